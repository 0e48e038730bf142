// SIGTERM against the real server process: readiness turns 503 and new runs are refused while
// the process keeps answering; an in-flight run that finishes within the grace period completes;
// one that cannot is cancelled and recorded as cancelled; open SSE clients get a final event;
// the process exits 0 and the store holds both runs' final states.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeLlmServer, startFakeLlmServer } from '@agent/fake-llm-server';
import { SqliteEventStore } from '@agent/observability/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
let llm: FakeLlmServer;
let dir: string;

beforeAll(async () => {
  llm = await startFakeLlmServer();
  dir = await mkdtemp(join(tmpdir(), 'agent-server-shutdown-'));
});
afterAll(async () => {
  await llm.close();
  await rm(dir, { recursive: true, force: true });
});

/** Starts `node dist/main.js` with a config on the fake LLM server; resolves with its URL. */
async function startServerProcess(): Promise<{
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}> {
  const config = [
    'models:',
    '  main:',
    '    provider: openai',
    '    model: gpt-4o-mini',
    `    baseURL: ${llm.openaiBaseURL}`,
    '    apiKey: test-key',
    '    retry:',
    '      maxRetries: 0',
    'agents:',
    '  assistant:',
    '    model: main',
    '    instructions: Answer briefly.',
    'server:',
    '  host: 127.0.0.1',
    '  port: 0',
    '  shutdownGraceMs: 6000',
    'observability:',
    '  logFormat: json',
    '  events:',
    '    store: sqlite',
    `    path: ${join(dir, 'events.db')}`,
  ].join('\n');
  const configFile = join(dir, 'agent.config.yaml');
  await writeFile(configFile, config);
  const child = spawn(process.execPath, [main], {
    cwd: dir,
    env: { ...process.env, AGENT_CONFIG: configFile, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /API:\s+(http:\/\/[^\s]+)\/v1/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', () => reject(new Error(`server exited early:\n${output}`)));
  });
  return { child, url, output: () => output, exit };
}

/** Reads an SSE response to its end; resolves with the event names seen. */
async function readSse(response: Response): Promise<string[]> {
  const names: string[] = [];
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (const line of buffer.split('\n').slice(0, -1))
      if (line.startsWith('event: ')) names.push(line.slice(7));
    buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
  }
  return names;
}

describe('the reference server under SIGTERM', () => {
  it('drains: 503 readiness, new runs refused, quick run completes, slow run cancelled, SSE ends, exit 0', {
    timeout: 60_000,
  }, async () => {
    // Run "quick" answers after 300 ms, well within the 6 s grace (a loaded machine must not turn it
    // into a cancellation); run "stuck" never answers.
    llm.enqueue({
      kind: 'slow-first-byte',
      delayMs: 300,
      // biome-ignore lint/suspicious/noThenProperty: the FakeReply contract names the delayed reply `then`.
      then: { kind: 'text', text: 'quick answer' },
    });
    llm.enqueue({ kind: 'hang' });
    const server = await startServerProcess();
    const post = (input: string) =>
      fetch(`${server.url}/v1/agents/assistant/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input, mode: 'async' }),
      });

    const quick = (await (await post('quick')).json()) as { runId: string };
    const stuck = (await (await post('stuck')).json()) as { runId: string };
    const liveStream = fetch(`${server.url}/v1/events`).then(readSse);
    const stuckStream = fetch(`${server.url}/v1/runs/${stuck.runId}/events`).then(readSse);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);

    server.child.kill('SIGTERM');
    // Still answering, but not ready and refusing new work.
    let ready = 200;
    for (let attempt = 0; attempt < 50 && ready === 200; attempt++) {
      ready = (await fetch(`${server.url}/ready`)).status;
    }
    expect(ready).toBe(503);
    expect((await post('too late')).status).toBe(503);

    expect(await server.exit).toBe(0);
    expect(await stuckStream).toContain('end');
    expect((await stuckStream).at(-2)).toBe('run.cancelled');
    await expect(liveStream).resolves.toBeDefined();

    const store = new SqliteEventStore({ path: join(dir, 'events.db') });
    expect((await store.getRun(quick.runId))?.status).toBe('completed');
    expect((await store.getRun(stuck.runId))?.status).toBe('cancelled');
    await store.close();
    expect(server.output()).toContain('runs drained');
  });
});
