import { executeToolCall, noopLogger, ToolRegistry } from '@agent/core';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { describe, expect, it } from 'vitest';
import { RecordingLogger } from './__fixtures__/recording-logger.js';
import { createMcpTool, type McpToolBinding, mcpToolFingerprint } from './mcp-tool.js';

function binding(overrides: Partial<McpToolBinding> = {}): McpToolBinding & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    serverName: 'srv',
    timeoutMs: 1000,
    validator: new AjvJsonSchemaValidator(),
    logger: noopLogger,
    call: async (serverToolName, toolName, args) => {
      calls.push({ serverToolName, toolName, args });
      return 'done';
    },
    calls,
    ...overrides,
  };
}

function run(tool: ReturnType<typeof createMcpTool>, args: unknown) {
  return executeToolCall(
    { id: 'c1', name: tool.name, arguments: args },
    {
      registry: new ToolRegistry([tool]),
      runId: 'r',
      agent: 'a',
      tenant: undefined,
      logger: noopLogger,
      signal: undefined,
      defaultTimeoutMs: 5000,
    },
  );
}

const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object' as const,
  properties: { path: { type: 'string', minLength: 1 }, depth: { type: 'integer', maximum: 3 } },
  required: ['path'],
};

describe('createMcpTool', () => {
  it('shows the model the server schema (without $schema) and calls the server by its own name', async () => {
    const link = binding();
    const tool = createMcpTool(
      { name: 'files.list', description: 'Lists files.', inputSchema: schema },
      'fs_files_list',
      link,
    );

    const outcome = await run(tool, { path: '/srv', depth: 2, extra: true });

    expect(tool.name).toBe('fs_files_list');
    expect(tool.inputJsonSchema).toEqual({
      type: 'object',
      properties: schema.properties,
      required: ['path'],
    });
    expect(tool.timeoutMs).toBe(2000);
    expect(outcome).toMatchObject({ ok: true, output: 'done' });
    expect(link.calls).toEqual([
      {
        serverToolName: 'files.list',
        toolName: 'fs_files_list',
        args: { path: '/srv', depth: 2, extra: true },
      },
    ]);
  });

  it('rejects arguments that break the JSON Schema as TOOL_INPUT_INVALID without calling the server', async () => {
    const link = binding();
    const tool = createMcpTool({ name: 'list', inputSchema: schema }, 'list', link);

    const outcome = await run(tool, { path: '', depth: 9 });

    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.error.code).toBe('TOOL_INPUT_INVALID');
    expect(outcome.content).toContain('must NOT have fewer than 1 characters');
    expect(outcome.content).toContain('must be <= 3');
    expect(link.calls).toEqual([]);
  });

  it('sends arguments unchecked when the schema does not compile, and says so in the log', async () => {
    const logger = new RecordingLogger();
    const link = binding({ logger });
    const broken = { type: 'object' as const, properties: { x: { $ref: '#/nowhere' } } };

    const tool = createMcpTool({ name: 'odd', description: 'Odd.', inputSchema: broken }, 'odd', link);
    const outcome = await run(tool, { x: 1 });

    expect(outcome.ok).toBe(true);
    expect(logger.matching('does not compile')[0]?.fields).toMatchObject({ tool: 'odd' });
  });

  it('falls back to the title, then to a generic description, and caps long ones', () => {
    const titled = createMcpTool(
      { name: 't', title: 'Titled tool', inputSchema: { type: 'object' } },
      't',
      binding(),
    );
    const bare = createMcpTool(
      { name: 'b', description: '  ', inputSchema: { type: 'object' } },
      'b',
      binding(),
    );
    const long = createMcpTool(
      { name: 'l', description: 'd'.repeat(5000), inputSchema: { type: 'object' } },
      'l',
      binding(),
    );

    expect(titled.description).toBe('Titled tool');
    expect(bare.description).toBe('Tool "b" of MCP server "srv".');
    expect(long.description).toHaveLength(4097);
  });
});

describe('mcpToolFingerprint', () => {
  it('changes with the description or schema, not with other fields', () => {
    const base = { name: 'x', description: 'X', inputSchema: { type: 'object' as const } };

    expect(mcpToolFingerprint(base)).toBe(
      mcpToolFingerprint({ ...base, annotations: { readOnlyHint: true } }),
    );
    expect(mcpToolFingerprint(base)).not.toBe(mcpToolFingerprint({ ...base, description: 'Y' }));
    expect(mcpToolFingerprint(base)).not.toBe(
      mcpToolFingerprint({ ...base, inputSchema: { type: 'object', required: ['a'] } }),
    );
  });
});
