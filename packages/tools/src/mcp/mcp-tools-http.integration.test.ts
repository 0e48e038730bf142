import { AgentError, noopLogger, type ToolContext } from '@agent/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type HttpFixture, startHttpFixture } from './__fixtures__/fixture-process.js';
import { type McpToolSet, mcpTools } from './mcp-tools.js';

let fixture: HttpFixture;
const sets: McpToolSet[] = [];

beforeAll(async () => {
  fixture = await startHttpFixture('our-server.ts');
});

afterAll(async () => {
  await fixture.kill();
});

afterEach(async () => {
  await Promise.all(sets.splice(0).map((set) => set.close()));
});

async function open(options: { timeoutMs?: number; maxResultBytes?: number; namespace?: string } = {}) {
  const set = await mcpTools({ transport: 'http', url: fixture.url, name: 'fixture-http', ...options });
  sets.push(set);
  return set;
}

function context(): ToolContext {
  return {
    signal: new AbortController().signal,
    runId: 'run-1',
    agent: 'test',
    tenant: undefined,
    toolCallId: 'call-1',
    logger: noopLogger,
  };
}

async function call(set: McpToolSet, name: string, args: Record<string, unknown>): Promise<unknown> {
  const tool = set.tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool.execute(args, context());
}

async function rejection(promise: Promise<unknown>): Promise<AgentError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!AgentError.isInstance(error)) throw new Error(`expected an AgentError, got ${String(error)}`);
  return error;
}

describe('mcpTools over HTTP (our server in a separate process)', () => {
  it('connects by URL, lists the tools and calls one', async () => {
    const set = await open();

    const sum = await call(set, 'add', { a: 40, b: 2 });

    expect(set.name).toBe('fixture-http');
    expect(set.tools.map((tool) => tool.name).sort()).toEqual([
      'add',
      'echo_big',
      'fail',
      'pid',
      'slow',
      'whoami',
    ]);
    expect(sum).toBe('42');
  });

  it('gives the server tool an MCP execution context', async () => {
    const set = await open();

    const identity = await call(set, 'whoami', {});

    expect(identity).toEqual({
      runId: expect.stringMatching(/^mcp-[0-9a-f-]{36}$/),
      agent: 'mcp',
      tenant: null,
      toolCallId: expect.stringMatching(/^\d+$/),
    });
  });

  it('maps a failing server tool to TOOL_FAILED', async () => {
    const set = await open();

    const error = await rejection(call(set, 'fail', {}));

    expect(error.code).toBe('TOOL_FAILED');
    expect(error.message).toContain('boom');
  });

  it('times out with TOOL_TIMEOUT', async () => {
    const set = await open({ timeoutMs: 300 });

    const error = await rejection(call(set, 'slow', { ms: 3000 }));

    expect(error.code).toBe('TOOL_TIMEOUT');
    expect(error.message).toContain('300 ms');
  });

  it('truncates large results', async () => {
    const set = await open({ maxResultBytes: 64 });

    const output = await call(set, 'echo_big', { bytes: 100 });

    expect(output).toMatchObject({
      truncated: true,
      originalBytes: 100,
      text: `${'x'.repeat(64)}…[truncated: 36 more bytes]`,
    });
  });
});
