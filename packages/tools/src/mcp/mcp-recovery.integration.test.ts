import { AgentError } from '@agent/core';
import { afterEach, describe, expect, it } from 'vitest';
import { callToolByName } from './__fixtures__/call-tool-by-name.js';
import {
  type FixtureFile,
  type HttpFixture,
  killPid,
  startHttpFixture,
  stdioFixture,
  waitFor,
} from './__fixtures__/fixture-process.js';
import { RecordingLogger } from './__fixtures__/recording-logger.js';
import { trackToolSets } from './__fixtures__/tool-set-tracker.js';
import type { McpToolsOptions } from './mcp-client-options.js';
import { type McpToolSet, mcpTools } from './mcp-tools.js';

const fixtures: HttpFixture[] = [];
const toolSets = trackToolSets();

afterEach(async () => {
  await toolSets.closeAll();
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.kill()));
});

async function startHttp(file: FixtureFile, port = 0): Promise<HttpFixture> {
  const fixture = await startHttpFixture(file, port);
  fixtures.push(fixture);
  return fixture;
}

function open(options: McpToolsOptions): Promise<McpToolSet> {
  return toolSets.open({ ...options, reconnect: { maxAttempts: 2, initialDelayMs: 50 } });
}

/** The server's pid, from our fixture's structured `pid` tool or the SDK fixture's text one. */
async function serverPid(set: McpToolSet): Promise<number> {
  const output = await callToolByName(set, 'pid');
  return typeof output === 'string' ? Number(output) : (output as { pid: number }).pid;
}

describe('reconnecting after the server went away', () => {
  it('HTTP: a call while the server is down is a tool error; after a restart on the same port calls work again', async () => {
    const first = await startHttp('our-server.ts');
    const set = await open({ transport: 'http', url: first.url, name: 'restartable' });
    const pidBefore = await serverPid(set);

    await first.kill();
    const failure = await callToolByName(set, 'add', { a: 1, b: 2 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const second = await startHttp('our-server.ts', first.port);
    const pidAfter = await serverPid(set);

    expect(AgentError.isInstance(failure) && failure.code).toBe('TOOL_FAILED');
    expect(String((failure as Error).message)).toContain('MCP server "restartable" is unreachable');
    expect(second.url).toBe(first.url);
    expect(pidAfter).not.toBe(pidBefore);
    expect(pidAfter).toBe(second.child.pid);
    expect(await callToolByName(set, 'add', { a: 1, b: 2 })).toBe('3');
  });

  it('HTTP with sessions: a restarted server forgets the session and the next call opens a new one', async () => {
    const first = await startHttp('sdk-server.ts');
    const logger = new RecordingLogger();
    const set = await open({ transport: 'http', url: first.url, name: 'stateful', logger });
    const pidBefore = await serverPid(set);

    await first.kill();
    const second = await startHttp('sdk-server.ts', first.port);
    const greeting = await callToolByName(set, 'greet', { name: 'again' });

    expect(greeting).toBe('Hello, again.');
    expect(logger.matching('MCP server connected')).toHaveLength(2);
    expect(logger.matching('connection lost')[0]?.fields.error).toContain('Session not found');
    expect(await serverPid(set)).toBe(second.child.pid);
    expect(second.child.pid).not.toBe(pidBefore);
  });

  it('stdio: after the child is killed, the next call respawns it and succeeds', async () => {
    const set = await open({ ...stdioFixture('our-server.ts'), name: 'respawn' });
    const pidBefore = await serverPid(set);

    await killPid(pidBefore);
    await waitFor(() => !set.connected, 10_000, 'the client to notice the exit');
    const pidAfter = await serverPid(set);

    expect(pidAfter).not.toBe(pidBefore);
    expect(set.connected).toBe(true);
    expect(await callToolByName(set, 'add', { a: 2, b: 2 })).toBe('4');
  });

  it('stdio: a command that cannot start fails the load with PLUGIN_LOAD_FAILED', async () => {
    const error = await mcpTools({
      transport: 'stdio',
      command: '/nonexistent/mcp-server',
      name: 'missing',
      reconnect: { maxAttempts: 2, initialDelayMs: 10 },
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(AgentError.isInstance(error) && error.code).toBe('PLUGIN_LOAD_FAILED');
    expect((error as Error).message).toContain('Could not load the tools of MCP server "missing"');
    expect((error as Error).message).toContain('2 attempt(s)');
  });
});
