import { defineTool, ToolRegistry } from '@agent/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { add, fail, pid, whoami } from './__fixtures__/fixture-tools.js';
import { RecordingLogger } from './__fixtures__/recording-logger.js';
import { createMcpServer, type McpServerOptions, type McpServerTools } from './mcp-server.js';

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Our server and the SDK's client, linked in memory (a real transport pair, no mocks). */
async function connect(tools: McpServerTools, options: Partial<McpServerOptions> = {}) {
  const server: Server = createMcpServer(tools, { name: 'unit', version: '2.0.0', ...options });
  const client = new Client({ name: 'unit-client', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  closers.push(async () => {
    await client.close();
    await server.close();
  });
  return client;
}

const greeting = defineTool({
  name: 'greeting',
  description: 'Returns a greeting string.',
  input: z.object({ name: z.string() }),
  output: z.string(),
  execute: ({ name }) => `hi ${name}`,
});

const liar = defineTool({
  name: 'liar',
  description: 'Returns output that breaks its own schema.',
  input: z.object({}),
  output: z.object({ count: z.number() }),
  execute: () => ({ count: 'many' }) as unknown as { count: number },
});

describe('createMcpServer', () => {
  it('lists tools with our JSON Schemas, and outputSchema only for object outputs', async () => {
    const client = await connect([add, pid, greeting]);

    const { tools } = await client.listTools();

    expect(tools.map((tool) => tool.name)).toEqual(['add', 'pid', 'greeting']);
    expect(tools[0]).toEqual({
      name: 'add',
      description: 'Adds two numbers.',
      inputSchema: add.inputJsonSchema,
    });
    expect(tools[1]?.outputSchema).toEqual({
      type: 'object',
      properties: { pid: { type: 'number' } },
      required: ['pid'],
      additionalProperties: false,
    });
    expect(tools[2]).not.toHaveProperty('outputSchema');
  });

  it('reads a ToolRegistry live, so tools registered later are listed', async () => {
    const registry = new ToolRegistry([add]);
    const client = await connect(registry, { instructions: 'Use add for sums.' });

    registry.register(greeting);
    const { tools } = await client.listTools();

    expect(tools.map((tool) => tool.name)).toEqual(['add', 'greeting']);
    expect(client.getInstructions()).toBe('Use add for sums.');
  });

  it('returns text, plus structuredContent for object outputs', async () => {
    const client = await connect([add, pid, greeting]);

    const sum = await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } });
    const text = await client.callTool({ name: 'greeting', arguments: { name: 'Bo' } });
    const structured = await client.callTool({ name: 'pid', arguments: {} });

    expect(sum).toEqual({ content: [{ type: 'text', text: '3' }] });
    expect(text).toEqual({ content: [{ type: 'text', text: 'hi Bo' }] });
    expect(structured.structuredContent).toEqual({ pid: process.pid });
  });

  it('answers invalid arguments with an isError result naming the problem', async () => {
    const client = await connect([add]);

    const result = await client.callTool({ name: 'add', arguments: { a: 1 } });

    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      {
        type: 'text',
        text: expect.stringMatching(/^Error: Tool "add" input invalid: "b" .*Fix the arguments/),
      },
    ]);
  });

  it('answers a throwing tool and invalid output with isError results', async () => {
    const client = await connect([fail, liar]);

    const thrown = await client.callTool({ name: 'fail', arguments: {} });
    const invalid = await client.callTool({ name: 'liar', arguments: {} });

    expect(thrown).toEqual({
      content: [{ type: 'text', text: 'Error: Tool "fail" failed: boom: the fixture tool always fails' }],
      isError: true,
    });
    expect(invalid.isError).toBe(true);
    expect(JSON.stringify(invalid.content)).toContain('does not match its output schema');
  });

  it('rejects an unknown tool with InvalidParams', async () => {
    const client = await connect([add]);

    const error = await client
      .callTool({ name: 'missing', arguments: {} })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(ErrorCode.InvalidParams);
    expect((error as McpError).message).toContain('Available tools: add');
  });

  it('gives tools an MCP context: runId, agent, request id and the logger', async () => {
    const logger = new RecordingLogger();
    const logging = defineTool({
      name: 'logging',
      description: 'Logs a line.',
      input: z.object({}),
      execute: (_input, context) => {
        context.logger.info('tool ran');
        return 'ok';
      },
    });
    const client = await connect([whoami, logging], { logger });

    const result = await client.callTool({ name: 'whoami', arguments: {} });
    await client.callTool({ name: 'logging', arguments: {} });

    expect(result.structuredContent).toEqual({
      runId: expect.stringMatching(/^mcp-[0-9a-f-]{36}$/),
      agent: 'mcp',
      tenant: null,
      toolCallId: expect.stringMatching(/^\d+$/),
    });
    expect(logger.matching('tool ran')[0]?.fields).toMatchObject({
      tool: 'logging',
      runId: expect.any(String),
    });
  });

  it('aborts the tool signal when the client cancels the request', async () => {
    let markStarted = () => {};
    let markAborted = (_reason: unknown) => {};
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const aborted = new Promise<unknown>((resolve) => {
      markAborted = resolve;
    });
    const waiting = defineTool({
      name: 'waiting',
      description: 'Waits until cancelled.',
      input: z.object({}),
      execute: (_input, context) =>
        new Promise((_resolve, reject) => {
          markStarted();
          context.signal.addEventListener('abort', () => {
            markAborted(context.signal.reason);
            reject(new Error('aborted'));
          });
        }),
    });
    const client = await connect([waiting]);
    const controller = new AbortController();

    const call = client.callTool({ name: 'waiting', arguments: {} }, undefined, {
      signal: controller.signal,
    });
    await started;
    controller.abort(new Error('stop'));
    const callError = await call.catch((caught: unknown) => caught);

    expect(String(await aborted)).toContain('stop');
    expect(callError).toBeInstanceOf(McpError);
  });
});
