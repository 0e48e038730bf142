import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testToolContext } from '@agent/core/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentErrorOf } from './__fixtures__/agent-error-of.js';
import { callToolByName, toolNamed } from './__fixtures__/call-tool-by-name.js';
import { processExists, stdioFixture } from './__fixtures__/fixture-process.js';
import { add, slow } from './__fixtures__/fixture-tools.js';
import { RecordingLogger } from './__fixtures__/recording-logger.js';
import { trackToolSets } from './__fixtures__/tool-set-tracker.js';
import { type McpHttpServerHandle, serveMcpHttp } from './mcp-http-server.js';
import { mcpTools } from './mcp-tools.js';

// Connection edge cases against real servers: an in-process HTTP server that is stopped to play
// "down", and a real child process that never speaks MCP.

const toolSets = trackToolSets();
const servers: McpHttpServerHandle[] = [];
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'mcp-connection-'));
  return () => rm(workDir, { recursive: true, force: true });
});

afterEach(async () => {
  await toolSets.closeAll();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A tool set connected to an in-process server that the test then stops. */
async function setWithStoppedServer(options: { timeoutMs?: number; initialDelayMs?: number } = {}) {
  const server = await serveMcpHttp([add, slow], { name: 'edge', version: '1.0.0' });
  const set = await toolSets.open({
    transport: 'http',
    url: server.url,
    name: 'edge',
    timeoutMs: options.timeoutMs ?? 30_000,
    reconnect: { maxAttempts: 5, initialDelayMs: options.initialDelayMs ?? 10_000 },
  });
  await server.close();
  // The client learns that its idle keep-alive socket was closed from a FIN, a moment later; a
  // request sent before that fails as "lost" at once instead of going through the reconnect path.
  await new Promise((done) => setTimeout(done, 100));
  return { set, tool: toolNamed(set, 'add') };
}

describe('McpConnection edge cases', () => {
  it('stops waiting for a reconnect when the caller aborts', async () => {
    const { tool } = await setWithStoppedServer();
    const controller = new AbortController();

    const call = agentErrorOf(tool.execute({ a: 1, b: 1 }, testToolContext({ signal: controller.signal })));
    setTimeout(() => controller.abort(new Error('user stop')), 100);
    const started = Date.now();
    const error = await call;

    expect(error.code).toBe('ABORTED');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('bounds a call that is still reconnecting by timeoutMs', async () => {
    const { tool } = await setWithStoppedServer({ timeoutMs: 300 });

    const error = await agentErrorOf(tool.execute({ a: 1, b: 1 }, testToolContext()));

    expect(error.code).toBe('TOOL_TIMEOUT');
  });

  it('fails calls waiting on a reconnect when the set is closed', async () => {
    const { set, tool } = await setWithStoppedServer();

    const call = agentErrorOf(tool.execute({ a: 1, b: 1 }, testToolContext()));
    await new Promise((done) => setTimeout(done, 100));
    await set.close();
    const error = await call;

    expect(error.code).toBe('TOOL_FAILED');
    expect(error.message).toContain('were closed');
  });

  it('gives up on a server that never answers initialize, reports its stderr, and stops it', async () => {
    const pidFile = join(workDir, 'silent.pid');
    const logger = new RecordingLogger();
    const script = `require('fs').writeFileSync(process.argv[1], String(process.pid)); process.stderr.write('warming up forever\\n'); setInterval(() => {}, 1000);`;

    const error = await agentErrorOf(
      mcpTools({
        transport: 'stdio',
        command: process.execPath,
        args: ['-e', script, pidFile],
        name: 'silent',
        connectTimeoutMs: 500,
        reconnect: { maxAttempts: 1 },
        logger,
      }),
    );
    const pid = Number(await readFile(pidFile, 'utf8'));

    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.message).toContain('server stderr: warming up forever');
    expect(error.message).toContain('command runs and speaks MCP on stdout');
    expect(logger.matching('MCP server stderr').length).toBeGreaterThan(0);
    expect(processExists(pid)).toBe(false);
  });

  it('stops a server that ignores the end of its stdin and SIGTERM before close() resolves', async () => {
    const set = await toolSets.open({
      ...stdioFixture('our-server.ts', { MCP_FIXTURE_STUBBORN: '1' }),
      name: 'stubborn',
    });
    const { pid } = (await callToolByName(set, 'pid')) as { pid: number };

    await set.close();

    expect(processExists(pid)).toBe(false);
  });
});
