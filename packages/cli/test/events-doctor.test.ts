import { type AgentConfig, agentConfigSchema } from '@agent/core';
import { startServer } from '@agent/server';
import { afterEach, describe, expect, it } from 'vitest';
import { checkNode, checkWritable } from '../src/commands/doctor.js';
import { EXIT_CONFIG, EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE } from '../src/exit-codes.js';
import { cli, project, VALID_CONFIG } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
async function dir(files?: Record<string, string>) {
  const created = await project(files);
  cleanups.push(created.remove);
  return created.path;
}

const SQLITE_CONFIG = VALID_CONFIG.replace(
  '    store: memory\n',
  '    store: sqlite\n    path: data/events.db\n',
);
const KEY = 'agk_test_cli_replay_0123456789abcdefghij';

describe('agent events replay (local store)', () => {
  it('replays a run recorded by agent run, as text and as JSON', async () => {
    const cwd = await dir({ 'agent.config.yaml': SQLITE_CONFIG });
    const ran = await cli(['run', 'assistant', 'What time is it?', '--json'], { cwd });
    expect(ran.code).toBe(EXIT_SUCCESS);
    const first = JSON.parse(ran.stdout.split('\n')[0] ?? '') as { runId: string };
    const json = await cli(['events', 'replay', first.runId, '--json'], { cwd });
    expect(json.code).toBe(EXIT_SUCCESS);
    expect(json.stdout).toBe(ran.stdout);
    const text = await cli(['events', 'replay', first.runId], { cwd });
    expect(text.code).toBe(EXIT_SUCCESS);
    expect(text.stdout).toContain('completed');
  });

  it('says when the run is unknown and exits 1', async () => {
    const cwd = await dir({ 'agent.config.yaml': SQLITE_CONFIG });
    const result = await cli(['events', 'replay', 'nope'], { cwd });
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toContain('no run "nope" found');
  });

  it('reads a memory store (always empty)', async () => {
    const cwd = await dir();
    const result = await cli(['events', 'replay', 'nope'], { cwd });
    expect(result.code).toBe(EXIT_FAILURE);
  });
});

describe('agent events replay --url', () => {
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

  it('fetches the events of a run from the server', async () => {
    const { url } = await server();
    const started = await fetch(`${url}/v1/agents/assistant/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ input: 'What time is it?' }),
    });
    const record = (await started.json()) as { runId: string; status: string };
    expect(record.status).toBe('completed');
    const json = await cli(['events', 'replay', record.runId, '--json', '--url', url, '--api-key', KEY], {
      cwd: '/',
    });
    expect(json.stderr).toBe('');
    expect(json.code).toBe(EXIT_SUCCESS);
    const lines = json.stdout.trim().split('\n');
    expect(JSON.parse(lines.at(-1) ?? '')).toMatchObject({ type: 'run.completed', runId: record.runId });
    const text = await cli(['events', 'replay', record.runId, '--url', `${url}/`], {
      cwd: '/',
      env: { AGENT_API_KEY: KEY },
    });
    expect(text.code).toBe(EXIT_SUCCESS);
    expect(text.stdout).toContain('completed');
  });

  it('exits 1 for an unknown run and reports auth errors', async () => {
    const { url } = await server();
    const unknown = await cli(['events', 'replay', 'nope', '--url', url, '--api-key', KEY], { cwd: '/' });
    expect(unknown).toMatchObject({ code: EXIT_FAILURE });
    expect(unknown.stderr).toContain('no run "nope" found');
    const denied = await cli(['events', 'replay', 'nope', '--url', url], { cwd: '/' });
    expect(denied.code).toBe(EXIT_FAILURE);
    expect(denied.stderr).toContain('answered 401');
  });

  it('names the URL when the server cannot be reached', async () => {
    const result = await cli(['events', 'replay', 'r1', '--url', 'http://127.0.0.1:1'], { cwd: '/' });
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toContain('cannot reach the server at http://127.0.0.1:1');
  });

  it('rejects a malformed URL with exit 2', async () => {
    const result = await cli(['events', 'replay', 'r1', '--url', 'not a url'], { cwd: '/' });
    expect(result.code).toBe(EXIT_USAGE);
  });
});

describe('agent doctor', () => {
  it('passes with warnings when API keys are missing', async () => {
    const cwd = await dir({ 'agent.config.yaml': SQLITE_CONFIG });
    const result = await cli(['doctor'], { cwd });
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toMatch(/^ok {3}node: v/m);
    expect(result.stdout).toMatch(/^ok {3}config: /m);
    expect(result.stdout).toContain('warn model main: openai/gpt-4o-mini: OPENAI_API_KEY is not set');
    expect(result.stdout).toMatch(/^ok {3}store directory: /m);
    expect(result.stdout).toContain('ok   event store: sqlite is reachable');
  });

  it('accepts keys from the environment or the config', async () => {
    const config = VALID_CONFIG.replace(
      'models:\n',
      'models:\n  other:\n    provider: anthropic\n    model: claude\n    apiKey: sk-x\n',
    );
    const cwd = await dir({ 'agent.config.yaml': config });
    const result = await cli(['doctor'], { cwd, env: { OPENAI_API_KEY: 'sk-y' } });
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toContain('OPENAI_API_KEY is set');
    expect(result.stdout).toContain('apiKey in config');
  });

  it('fails with the config exit code when the config is missing or invalid', async () => {
    const cwd = await dir({});
    const missing = await cli(['doctor'], { cwd });
    expect(missing.code).toBe(EXIT_CONFIG);
    expect(missing.stdout).toMatch(/^fail config: /m);
    const bad = await dir({ 'agent.config.yaml': 'models:\n  main:\n    provider: 3\n' });
    expect((await cli(['doctor'], { cwd: bad })).code).toBe(EXIT_CONFIG);
  });

  it('fails when Redis is unreachable', async () => {
    const config = `${VALID_CONFIG}rateLimits:\n  backend: redis\n  redis:\n    url: redis://127.0.0.1:1\n`;
    const cwd = await dir({ 'agent.config.yaml': config });
    const result = await cli(['doctor'], { cwd });
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stdout).toMatch(/fail (redis|runtime)/);
  });

  it('checks the Node version and the store directory', async () => {
    expect(checkNode('20.19.0').status).toBe('ok');
    expect(checkNode('22.1.0').status).toBe('ok');
    expect(checkNode('20.18.1').status).toBe('fail');
    const cwd = await dir({ file: 'x' });
    expect((await checkWritable(`${cwd}/file/events.db`)).status).toBe('fail');
    expect((await checkWritable(`${cwd}/a/b/events.db`)).status).toBe('ok');
  });
});
