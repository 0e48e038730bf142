import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { McpStdioOptions } from '../mcp-client-options.js';

// Helpers that run the fixture servers as real child processes (`node --import tsx`), for tests.

const FIXTURES = dirname(fileURLToPath(import.meta.url));
/** packages/tools: where `tsx` resolves from. */
const PACKAGE_DIR = resolve(FIXTURES, '../../..');

/** A fixture server file in this folder. */
export type FixtureFile = 'our-server.ts' | 'sdk-server.ts';

/** The stdio options that make `mcpTools` spawn a fixture server. */
export function stdioFixture(file: FixtureFile, env: Record<string, string> = {}): McpStdioOptions {
  return {
    transport: 'stdio',
    command: process.execPath,
    args: ['--import', 'tsx', join(FIXTURES, file), 'stdio'],
    cwd: PACKAGE_DIR,
    env,
  };
}

/** A fixture server listening over HTTP in its own process. */
export interface HttpFixture {
  url: string;
  port: number;
  child: ChildProcess;
  /** Kills the process (SIGKILL) and waits until it is gone. Idempotent. */
  kill(): Promise<void>;
}

/** Starts a fixture server over HTTP (port 0: any) and waits for its `LISTENING <url>` line. */
export async function startHttpFixture(
  file: FixtureFile,
  port = 0,
  env: Record<string, string> = {},
): Promise<HttpFixture> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(FIXTURES, file), 'http', String(port)], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    const url = await new Promise<string>((done, fail) => {
      let stdout = '';
      const timer = setTimeout(() => fail(new Error(`fixture did not start in 20 s: ${stderr}`)), 20_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /LISTENING (\S+)/.exec(stdout);
        if (match?.[1]) {
          clearTimeout(timer);
          done(match[1]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`fixture exited with ${code}: ${stderr}`));
      });
    });
    return { url, port: Number(new URL(url).port), child, kill };
  } catch (error) {
    await kill();
    throw error;
  }
}

/** Kills the process with this pid (SIGKILL) and waits, bounded, until it no longer exists. */
export async function killPid(pid: number, timeoutMs = 10_000): Promise<void> {
  process.kill(pid, 'SIGKILL');
  await waitFor(() => !processExists(pid), timeoutMs, `process ${pid} to exit`);
}

/** Whether a fixture's event log (`MCP_FIXTURE_LOG`) has this line yet. */
export async function logHas(file: string, line: string): Promise<boolean> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').includes(line);
}

/** Polls `condition` every 20 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** Whether a process with this pid exists (signal 0 probes without touching it). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
