import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeToolCall, noopLogger, ToolRegistry } from '@agent/core';
import { testToolContext } from '@agent/core/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentErrorOf } from './__fixtures__/agent-error-of.js';
import { callToolByName, toolNamed } from './__fixtures__/call-tool-by-name.js';
import { logHas, stdioFixture, waitFor } from './__fixtures__/fixture-process.js';
import { trackToolSets } from './__fixtures__/tool-set-tracker.js';
import type { McpToolsOptions } from './mcp-client-options.js';
import type { McpToolSet } from './mcp-tools.js';

const toolSets = trackToolSets();
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'mcp-stdio-'));
  return () => rm(workDir, { recursive: true, force: true });
});

afterEach(async () => {
  await toolSets.closeAll();
});

function open(options: Partial<McpToolsOptions> = {}, env: Record<string, string> = {}) {
  return toolSets.open({
    ...stdioFixture('our-server.ts', env),
    name: 'fixture',
    ...options,
  } as McpToolsOptions);
}

/** Runs a call the way the agent loop does (validation, timeout, error mapping). */
function callThroughCore(set: McpToolSet, name: string, args: unknown) {
  return executeToolCall(
    { id: 'call-1', name, arguments: args },
    {
      registry: new ToolRegistry(set.tools),
      runId: 'run-1',
      agent: 'test',
      tenant: undefined,
      logger: noopLogger,
      signal: undefined,
      defaultTimeoutMs: 60_000,
    },
  );
}

describe('mcpTools over stdio (our server in a child process)', () => {
  it('lists the server tools with their JSON Schemas and calls one', async () => {
    const set = await open();

    const add = toolNamed(set, 'add');
    const output = await add.execute({ a: 2, b: 3 }, testToolContext());

    expect(set.tools.map((tool) => tool.name).sort()).toEqual([
      'add',
      'echo_big',
      'fail',
      'pid',
      'slow',
      'whoami',
    ]);
    expect(add.description).toBe('Adds two numbers.');
    expect(add.inputJsonSchema).toMatchObject({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
    });
    expect(add.inputJsonSchema).not.toHaveProperty('$schema');
    expect(output).toBe('5');
    expect(set.connected).toBe(true);
  });

  it('returns structured content as an object', async () => {
    const set = await open();

    const output = await callToolByName(set, 'pid');

    expect(output).toEqual({ pid: expect.any(Number) });
  });

  it('rejects invalid arguments against the server JSON Schema before calling', async () => {
    const set = await open();

    const outcome = await callThroughCore(set, 'add', { a: 'two', b: 3 });

    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? undefined : outcome.error.code).toBe('TOOL_INPUT_INVALID');
    expect(outcome.content).toContain('must be number');
  });

  it('maps an isError result to TOOL_FAILED with the server message', async () => {
    const set = await open();

    const error = await agentErrorOf(callToolByName(set, 'fail'));

    expect(error.code).toBe('TOOL_FAILED');
    expect(error.message).toContain('boom: the fixture tool always fails');
  });

  it('cuts results larger than maxResultBytes and marks them', async () => {
    const set = await open({ maxResultBytes: 1000 });

    const small = await callToolByName(set, 'echo_big', { bytes: 1000 });
    const big = await callToolByName(set, 'echo_big', { bytes: 13_345 });

    expect(small).toBe('x'.repeat(1000));
    expect(big).toEqual({
      text: `${'x'.repeat(1000)}…[truncated: 12345 more bytes]`,
      truncated: true,
      originalBytes: 13_345,
    });
  });

  it('times out a slow call with TOOL_TIMEOUT and cancels it on the server', async () => {
    const log = join(workDir, 'timeout.log');
    const set = await open({ timeoutMs: 300 }, { MCP_FIXTURE_LOG: log });

    const started = Date.now();
    const error = await agentErrorOf(callToolByName(set, 'slow', { ms: 20_000, tag: 'timeout' }));

    expect(error.code).toBe('TOOL_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5000);
    await waitFor(() => logHas(log, 'cancelled timeout'), 10_000, 'the server to see the cancellation');
    expect(await callToolByName(set, 'add', { a: 1, b: 1 })).toBe('2');
  });

  it('cancels the request when the caller aborts', async () => {
    const log = join(workDir, 'abort.log');
    const set = await open({}, { MCP_FIXTURE_LOG: log });
    const controller = new AbortController();

    const call = callToolByName(
      set,
      'slow',
      { ms: 20_000, tag: 'abort' },
      testToolContext({ signal: controller.signal }),
    );
    setTimeout(() => controller.abort(new Error('user pressed stop')), 200);
    const error = await agentErrorOf(call);

    expect(error.code).toBe('ABORTED');
    await waitFor(() => logHas(log, 'cancelled abort'), 10_000, 'the server to see the cancellation');
  });

  it('keeps only allowed tools, and deny wins over allow', async () => {
    const set = await open({ allow: ['a*', 'echo_*', 'fail'], deny: ['fail'] });

    expect(set.tools.map((tool) => tool.name).sort()).toEqual(['add', 'echo_big']);
  });

  it('prefixes tool names with the namespace and still calls the server tool', async () => {
    const set = await open({ namespace: 'calc', allow: ['add'] });

    const tool = toolNamed(set, 'calc_add');

    expect(set.tools.map((each) => each.name)).toEqual(['calc_add']);
    expect(await tool.execute({ a: 20, b: 22 }, testToolContext())).toBe('42');
  });

  it('fails calls after close with TOOL_FAILED', async () => {
    const set = await open();
    const add = toolNamed(set, 'add');

    await set.close();
    const error = await agentErrorOf(add.execute({ a: 1, b: 2 }, testToolContext()));

    expect(error.code).toBe('TOOL_FAILED');
    expect(error.message).toContain('closed');
    expect(set.connected).toBe(false);
  });
});
