import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentErrorOf } from './__fixtures__/agent-error-of.js';
import { callToolByName } from './__fixtures__/call-tool-by-name.js';
import { type HttpFixture, startHttpFixture } from './__fixtures__/fixture-process.js';
import { trackToolSets } from './__fixtures__/tool-set-tracker.js';

let fixture: HttpFixture;
const toolSets = trackToolSets();

beforeAll(async () => {
  fixture = await startHttpFixture('our-server.ts');
});

afterAll(async () => {
  await fixture.kill();
});

afterEach(async () => {
  await toolSets.closeAll();
});

function open(options: { timeoutMs?: number; maxResultBytes?: number; namespace?: string } = {}) {
  return toolSets.open({ transport: 'http', url: fixture.url, name: 'fixture-http', ...options });
}

describe('mcpTools over HTTP (our server in a separate process)', () => {
  it('connects by URL, lists the tools and calls one', async () => {
    const set = await open();

    const sum = await callToolByName(set, 'add', { a: 40, b: 2 });

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

    const identity = await callToolByName(set, 'whoami', {});

    expect(identity).toEqual({
      runId: expect.stringMatching(/^mcp-[0-9a-f-]{36}$/),
      agent: 'mcp',
      tenant: null,
      toolCallId: expect.stringMatching(/^\d+$/),
    });
  });

  it('maps a failing server tool to TOOL_FAILED', async () => {
    const set = await open();

    const error = await agentErrorOf(callToolByName(set, 'fail', {}));

    expect(error.code).toBe('TOOL_FAILED');
    expect(error.message).toContain('boom');
  });

  it('times out with TOOL_TIMEOUT', async () => {
    const set = await open({ timeoutMs: 300 });

    const error = await agentErrorOf(callToolByName(set, 'slow', { ms: 3000 }));

    expect(error.code).toBe('TOOL_TIMEOUT');
    expect(error.message).toContain('300 ms');
  });

  it('truncates large results', async () => {
    const set = await open({ maxResultBytes: 64 });

    const output = await callToolByName(set, 'echo_big', { bytes: 100 });

    expect(output).toMatchObject({
      truncated: true,
      originalBytes: 100,
      text: `${'x'.repeat(64)}…[truncated: 36 more bytes]`,
    });
  });
});
