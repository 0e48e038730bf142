import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type AgentConfig, agentConfigSchema } from '@agent/core';
import { testEvents } from '@agent/core/testing';
import { SqliteEventStore } from '@agent/observability/sqlite';
import { startServer } from '@agent/server';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE } from '../src/exit-codes.js';
import { cli, project, VALID_CONFIG } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
async function sqliteProject() {
  const created = await project({
    'agent.config.yaml': VALID_CONFIG.replace(
      '    store: memory\n',
      '    store: sqlite\n    path: data/events.db\n',
    ),
  });
  cleanups.push(created.remove);
  await mkdir(join(created.path, 'data'));
  const store = new SqliteEventStore({ path: join(created.path, 'data', 'events.db') });
  cleanups.unshift(() => store.close());
  return { cwd: created.path, store };
}

/** Waits until `check` passes, polling; bounded. */
async function eventually(check: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function liveCli(argv: string[], cwd: string) {
  const controller = new AbortController();
  const chunks: string[] = [];
  const stdout = { write: (text: string) => chunks.push(text) };
  const stderr = { write: (text: string) => chunks.push(`[err] ${text}`) };
  const done = import('../src/run.js').then(({ run }) =>
    run(argv, { stdout, stderr, env: {}, cwd, signal: controller.signal }),
  );
  return { done, stop: () => controller.abort(), output: () => chunks.join('') };
}

describe('agent events tail (local store)', () => {
  it('prints the new events of every run, one line each, and not the ones recorded before it started', async () => {
    const { cwd, store } = await sqliteProject();
    await store.append([testEvents.started('old-run'), testEvents.completed('old-run', 1)]);

    const tail = liveCli(['events', 'tail', '--interval', '20'], cwd);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await store.append([testEvents.started('new-run-1'), testEvents.step('new-run-1', 1)]);
    await eventually(() => tail.output().includes('step.started'));
    await store.append([testEvents.completed('new-run-1', 2)]);
    await eventually(() => tail.output().includes('run.completed'));
    tail.stop();

    expect(await tail.done).toBe(EXIT_SUCCESS);
    const lines = tail.output().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/new-run- assistant run\.started$/);
    expect(tail.output()).not.toContain('old-run');
  });

  it('follows one run to its end with --run and exits with its outcome', async () => {
    const { cwd, store } = await sqliteProject();
    await store.append([testEvents.started('ok-run'), testEvents.step('ok-run', 1)]);
    await store.append([testEvents.started('bad-run'), testEvents.failed('bad-run', 1)]);

    const ok = liveCli(['events', 'tail', '--run', 'ok-run', '--json', '--interval', '20'], cwd);
    await eventually(() => ok.output().includes('step.started'));
    await store.append([testEvents.completed('ok-run', 2)]);
    expect(await ok.done).toBe(EXIT_SUCCESS);
    const types = ok
      .output()
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types).toEqual(['run.started', 'step.started', 'run.completed']);

    const bad = await cli(['events', 'tail', '--run', 'bad-run'], { cwd });
    expect(bad.code).toBe(EXIT_FAILURE);
    expect(bad.stderr).toContain('run failed');
  });

  it('sees a run made by agent run in another command', async () => {
    const { cwd } = await sqliteProject();
    const tail = liveCli(['events', 'tail', '--interval', '20'], cwd);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const ran = await cli(['run', 'assistant', 'What time is it?'], { cwd });
    expect(ran.code).toBe(EXIT_SUCCESS);
    await eventually(() => tail.output().includes('run.completed'));
    tail.stop();
    await tail.done;

    expect(tail.output()).toContain('tool.called current_time');
  });

  it('says so for an unknown run, a memory store and a bad --interval', async () => {
    const { cwd } = await sqliteProject();
    const unknown = await cli(['events', 'tail', '--run', 'nope'], { cwd });
    expect(unknown.code).toBe(EXIT_FAILURE);
    expect(unknown.stderr).toContain('no run "nope"');

    const interval = await cli(['events', 'tail', '--interval', 'soon'], { cwd });
    expect(interval.code).toBe(EXIT_USAGE);
    expect(interval.stderr).toContain('--interval must be');

    const memory = await project();
    cleanups.push(memory.remove);
    const result = await cli(['events', 'tail'], { cwd: memory.path });
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toContain('agent events tail --url');
  });
});

describe('agent events tail --url', () => {
  const KEY = 'agk_test_cli_tail_0123456789abcdefghijk';
  async function server() {
    const config: AgentConfig = agentConfigSchema.parse({
      models: { main: { provider: 'openai', model: 'gpt-4o-mini' } },
      agents: { assistant: { model: 'main', instructions: 'Be brief.', tools: ['current_time'] } },
      server: {
        auth: { apiKeys: [{ name: 'cli', key: KEY, tenant: 'acme', scopes: ['runs:read', 'runs:write'] }] },
      },
      observability: { logLevel: 'error', events: { store: 'memory' }, metrics: { enabled: false } },
    });
    const running = await startServer({ config, cwd: '/', env: {}, host: '127.0.0.1', port: 0 });
    cleanups.push(() => running.close());
    return running;
  }
  const startRun = (url: string, mode: 'wait' | 'async') =>
    fetch(`${url}/v1/agents/assistant/runs${mode === 'async' ? '?mode=async' : ''}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ input: 'What time is it?' }),
    }).then((response) => response.json() as Promise<{ runId: string }>);

  it('follows one run over SSE to its end', async () => {
    const { url } = await server();
    const { runId } = await startRun(url, 'wait');

    const result = await cli(['events', 'tail', '--run', runId, '--url', url, '--api-key', KEY], {
      cwd: '/',
    });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toContain('→ current_time({})');
    expect(result.stdout).toContain('completed');
  });

  it('follows every run live until stopped, with the key from AGENT_API_KEY', async () => {
    const { url } = await server();
    const controller = new AbortController();
    const chunks: string[] = [];
    const { run } = await import('../src/run.js');
    const done = run(['events', 'tail', '--url', url], {
      stdout: { write: (text: string) => chunks.push(text) },
      stderr: { write: (text: string) => chunks.push(text) },
      env: { AGENT_API_KEY: KEY },
      cwd: '/',
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await startRun(url, 'wait');
    await eventually(() => chunks.join('').includes('run.completed'));
    controller.abort();

    expect(await done).toBe(EXIT_SUCCESS);
    expect(chunks.join('')).toMatch(/assistant tool\.called current_time/);
  });

  it('explains a missing key, an unknown run and an unreachable server', async () => {
    const { url } = await server();
    const unauthorised = await cli(['events', 'tail', '--url', url], { cwd: '/' });
    expect(unauthorised.code).toBe(EXIT_FAILURE);
    expect(unauthorised.stderr).toContain('--api-key');

    const unknown = await cli(['events', 'tail', '--run', 'nope', '--url', url, '--api-key', KEY], {
      cwd: '/',
    });
    expect(unknown.code).toBe(EXIT_FAILURE);
    expect(unknown.stderr).toContain('no run "nope"');

    const down = await cli(['events', 'tail', '--url', 'http://127.0.0.1:9'], { cwd: '/' });
    expect(down.code).toBe(EXIT_FAILURE);
    expect(down.stderr).toContain('cannot reach the server');
  });
});
