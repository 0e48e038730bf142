import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentEvent, ConfigError, defineTool } from '@agent/core';
import { ScriptedModel, textResponse, toolCallResponse } from '@agent/core/testing';
import { SqliteEventStore } from '@agent/observability/sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ServerRuntime } from '../contract.js';
import { acme, recordingLogger, temporaryDirectory, testConfig } from './__fixtures__/runtime-fixtures.js';
import { createServerRuntime } from './create-server-runtime.js';

const runtimes: ServerRuntime[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.close({ graceMs: 0 })));
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function create(...args: Parameters<typeof createServerRuntime>): Promise<ServerRuntime> {
  const runtime = await createServerRuntime(...args);
  runtimes.push(runtime);
  return runtime;
}

async function storedEvents(runtime: ServerRuntime, runId: string): Promise<AgentEvent[]> {
  return runtime.store.readRun(runId);
}

describe('createServerRuntime: models and agents', () => {
  it('runs an agent on an overriding model with its configured tools', async () => {
    const model = new ScriptedModel([
      toolCallResponse('word_count', { text: 'a b c' }),
      textResponse('Three words.'),
    ]);
    const runtime = await create(testConfig(), {
      cwd: '/unused',
      models: { main: model },
      logger: recordingLogger(),
      idGenerator: () => 'run-fixed',
    });

    const { runId, done } = await runtime.runs.start({
      agent: 'assistant',
      input: 'Count a b c',
      principal: acme,
    });
    const record = await done;

    expect(runId).toBe('run-fixed');
    expect(record).toMatchObject({ status: 'completed', output: 'Three words.', tenant: 'acme' });
    expect(model.calls[0]?.tools.map((tool) => tool.name)).toEqual(['current_time', 'word_count']);
    expect(model.calls[0]?.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    const succeeded = (await storedEvents(runtime, runId)).find((event) => event.type === 'tool.succeeded');
    expect(succeeded).toMatchObject({ toolName: 'word_count', output: { words: 3 } });
    expect(runtime.demoModel).toBe(false);
    expect(runtime.agents).toEqual([
      {
        name: 'assistant',
        description: 'Helps.',
        kind: 'agent',
        model: { name: 'main', provider: 'scripted', model: 'scripted-model' },
        tools: ['current_time', 'word_count'],
      },
    ]);
  });

  it('lists the enabled tools with their JSON Schema, including extra tools', async () => {
    const extra = defineTool({
      name: 'shout',
      description: 'Upper-cases a text.',
      input: z.object({ text: z.string() }),
      version: '1.2.0',
      execute: ({ text }) => text.toUpperCase(),
    });
    const config = testConfig({
      agents: { assistant: { model: 'main', instructions: 'Be brief.', tools: ['shout@^1'] } },
      tools: { builtins: ['current_time'] },
    });
    const runtime = await create(config, {
      cwd: '/unused',
      tools: [extra],
      models: { main: new ScriptedModel() },
      logger: recordingLogger(),
    });

    const definitions = runtime.tools.definitions();

    // word_count, the demo tool, is always there; built-ins only when enabled or used.
    expect(definitions.map((tool) => tool.name).sort()).toEqual(['current_time', 'shout', 'word_count']);
    expect(definitions.find((tool) => tool.name === 'shout')?.inputSchema).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' } },
      required: ['text'],
    });
    expect(runtime.agents[0]?.tools).toEqual(['shout']);
  });

  it('uses the demo model without an API key, and a run asking the time calls current_time', async () => {
    const logger = recordingLogger();
    const runtime = await create(testConfig(), { cwd: '/unused', env: {}, logger, demoLatencyMs: 0 });

    const { runId, done } = await runtime.runs.start({
      agent: 'assistant',
      input: 'What time is it?',
      principal: acme,
    });
    const record = await done;

    expect(runtime.demoModel).toBe(true);
    expect(runtime.agents[0]?.model).toEqual({ name: 'main', provider: 'demo', model: 'demo' });
    expect(record.status).toBe('completed');
    expect(String(record.output)).toContain('demo model');
    const called = (await storedEvents(runtime, runId)).find((event) => event.type === 'tool.succeeded');
    expect(called).toMatchObject({ toolName: 'current_time' });
    const warning = logger.lines.find((line) => line.level === 'warn' && line.message.includes('demo model'));
    expect(warning?.message).toContain('"main"');
    expect(warning?.message).toContain('OPENAI_API_KEY');
  });

  it('names ANTHROPIC_API_KEY when an Anthropic model has no key', async () => {
    const logger = recordingLogger();
    const config = testConfig({ models: { main: { provider: 'anthropic', model: 'claude-haiku-4-5' } } });

    const runtime = await create(config, { cwd: '/unused', env: { ANTHROPIC_API_KEY: ' ' }, logger });

    expect(runtime.demoModel).toBe(true);
    expect(logger.lines.some((line) => line.message.includes('ANTHROPIC_API_KEY'))).toBe(true);
  });

  it('builds the real adapters when keys are set in the environment or the config', async () => {
    const config = testConfig({
      models: {
        main: { provider: 'openai', model: 'gpt-4o-mini', timeoutMs: 5000, fallback: ['backup'] },
        backup: {
          provider: 'anthropic',
          model: 'claude-haiku-4-5',
          apiKey: 'from-config',
          retry: { maxRetries: 0 },
        },
      },
      agents: {
        assistant: { model: 'main', instructions: 'Be brief.' },
        researcher: { model: 'main', instructions: 'Plan.', planner: { model: 'backup', maxReplans: 1 } },
      },
    });

    const runtime = await create(config, {
      cwd: '/unused',
      env: { OPENAI_API_KEY: 'sk-test' },
      logger: recordingLogger(),
    });

    expect(runtime.demoModel).toBe(false);
    expect(
      runtime.agents.map((agent) => [agent.name, agent.kind, agent.model.provider, agent.model.model]),
    ).toEqual([
      ['assistant', 'agent', 'openai', 'gpt-4o-mini'],
      ['researcher', 'planner-executor', 'openai', 'gpt-4o-mini'],
    ]);
  });

  it('rejects an unknown provider naming the model and the providers available', async () => {
    const config = testConfig({ models: { main: { provider: 'mistral', model: 'large' } } });

    const creating = createServerRuntime(config, { cwd: '/unused', logger: recordingLogger() });

    await expect(creating).rejects.toBeInstanceOf(ConfigError);
    await expect(creating).rejects.toThrow(/"main".*"mistral".*openai, anthropic/);
  });

  it('rejects an unknown tool of an agent listing the available ones', async () => {
    const config = testConfig({
      agents: { assistant: { model: 'main', instructions: 'x', tools: ['weather@^1'] } },
    });

    const creating = createServerRuntime(config, { cwd: '/unused', logger: recordingLogger() });

    await expect(creating).rejects.toBeInstanceOf(ConfigError);
    await expect(creating).rejects.toThrow(
      /agents\.assistant\.tools\[0\] names "weather@\^1".*Known tools: word_count.*Built-in tools.*current_time/,
    );
  });

  it('rejects an unknown built-in tool', async () => {
    const config = testConfig({ tools: { builtins: ['calculater'] } });

    await expect(createServerRuntime(config, { cwd: '/unused', logger: recordingLogger() })).rejects.toThrow(
      /tools\.builtins\[0\].*"calculater".*calculator/,
    );
  });

  it('rejects a version range no tool satisfies, listing the versions there are', async () => {
    const config = testConfig({
      agents: { assistant: { model: 'main', instructions: 'x', tools: ['word_count@^2'] } },
    });

    await expect(createServerRuntime(config, { cwd: '/unused', logger: recordingLogger() })).rejects.toThrow(
      /agents\.assistant\.tools\[0\].*"word_count".*unversioned/,
    );
  });
});

describe('createServerRuntime: conversations and planners', () => {
  it('keeps conversation memory per tenant under the id the caller sent', async () => {
    const model = new ScriptedModel([], { fallback: textResponse('Noted.') });
    const runtime = await create(testConfig(), {
      cwd: '/unused',
      models: { main: model },
      logger: recordingLogger(),
    });
    const globex = { ...acme, tenant: 'globex' };
    const said = (index: number) => JSON.stringify(model.calls[index]?.messages);

    await (
      await runtime.runs.start({
        agent: 'assistant',
        input: 'My name is Ada.',
        conversationId: 'c1',
        principal: acme,
      })
    ).done;
    const own = await runtime.runs.start({
      agent: 'assistant',
      input: 'Who am I?',
      conversationId: 'c1',
      principal: acme,
    });
    await own.done;
    await (
      await runtime.runs.start({
        agent: 'assistant',
        input: 'Who am I?',
        conversationId: 'c1',
        principal: globex,
      })
    ).done;

    expect(said(1)).toContain('My name is Ada.');
    expect(said(2)).not.toContain('My name is Ada.');
    const [started] = await runtime.store.readRun(own.runId, { limit: 1 });
    expect(started).toMatchObject({ type: 'run.started', conversationId: 'c1' });
  });

  it('runs a planner-executor agent with the planner model, model settings and the given clock', async () => {
    const plan = { goal: 'Greet', steps: [{ description: 'Say hello' }] };
    const planner = new ScriptedModel([textResponse(JSON.stringify(plan))]);
    const executor = new ScriptedModel([textResponse('hello'), textResponse('Hello, done.')]);
    const config = testConfig({
      models: {
        main: { provider: 'openai', model: 'gpt-4o-mini', settings: { temperature: 0.1, maxTokens: 50 } },
        thinker: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      },
      agents: { researcher: { model: 'main', instructions: 'Plan it.', planner: { model: 'thinker' } } },
      rateLimits: {
        maxWaitMs: 1000,
        rules: [{ name: 'all', scope: 'global', maxCalls: 100, windowMs: 60_000 }],
      },
    });
    const clock = { now: () => 42_000 };
    const runtime = await create(config, {
      cwd: '/unused',
      models: { main: executor, thinker: planner },
      logger: recordingLogger(),
      clock,
    });

    const record = await (
      await runtime.runs.start({ agent: 'researcher', input: 'Greet me', principal: acme })
    ).done;

    expect(record).toMatchObject({ status: 'completed', output: 'Hello, done.', startedAt: 42_000 });
    expect(planner.calls).toHaveLength(1);
    expect(executor.calls[0]?.settings).toMatchObject({ temperature: 0.1, maxTokens: 50 });
    expect(runtime.agents[0]).toMatchObject({ kind: 'planner-executor', tools: [] });
  });
});

describe('createServerRuntime: redaction', () => {
  it('redacts live events as the store does', async () => {
    const runtime = await create(testConfig(), {
      cwd: '/unused',
      models: { main: new ScriptedModel([textResponse('ok')]) },
      logger: recordingLogger(),
    });
    const controller = new AbortController();
    const feed = runtime.runs.liveEvents('acme', controller.signal)[Symbol.asyncIterator]();

    const { runId, done } = await runtime.runs.start({
      agent: 'assistant',
      input: 'Mail jane.doe@example.com',
      principal: acme,
    });
    const first = await feed.next();
    controller.abort();
    await done;
    const [stored] = await runtime.store.readRun(runId, { limit: 1 });

    expect(first.value).toMatchObject({ type: 'run.started', input: 'Mail [REDACTED:email]' });
    expect(stored).toMatchObject({ type: 'run.started', input: 'Mail [REDACTED:email]' });
  });
});

describe('createServerRuntime: store, metrics, readiness and close', () => {
  it('stores events in SQLite at a path relative to cwd', async () => {
    const directory = await temporaryDirectory();
    cleanups.push(directory.remove);
    const config = testConfig({
      observability: {
        logLevel: 'error',
        events: { store: 'sqlite', path: 'db/events.db' },
        metrics: { enabled: false },
      },
    });
    const runtime = await createServerRuntime(config, {
      cwd: directory.path,
      models: { main: new ScriptedModel([textResponse('Stored.')]) },
      logger: recordingLogger(),
    });

    const { runId, done } = await runtime.runs.start({ agent: 'assistant', input: 'Hi', principal: acme });
    await done;
    await runtime.close();
    const reopened = new SqliteEventStore({ path: join(directory.path, 'db/events.db') });
    const summary = await reopened.getRun(runId);
    await reopened.close();

    expect(summary).toMatchObject({ status: 'completed', tenant: 'acme' });
  });

  it('defaults the SQLite file to <cwd>/data/events.db', async () => {
    const directory = await temporaryDirectory();
    cleanups.push(directory.remove);
    const config = testConfig({
      observability: {
        logLevel: 'error',
        events: { retention: { maxRuns: 10 } },
        metrics: { enabled: false },
      },
    });

    const runtime = await create(config, {
      cwd: directory.path,
      models: { main: new ScriptedModel() },
      logger: recordingLogger(),
    });

    expect(existsSync(join(directory.path, 'data', 'events.db'))).toBe(true);
    expect((await runtime.ready()).checks.store).toEqual({ ok: true });
  });

  it('exposes metrics fed by runs when metrics are enabled', async () => {
    const config = testConfig({
      observability: { logLevel: 'error', events: { store: 'memory' }, metrics: { enabled: true } },
    });
    const runtime = await create(config, {
      cwd: '/unused',
      models: { main: new ScriptedModel([textResponse('ok')]) },
      logger: recordingLogger(),
    });

    await (await runtime.runs.start({ agent: 'assistant', input: 'Hi', principal: acme })).done;

    expect(await runtime.metrics?.metrics()).toMatch(/agent_runs_total\{[^}]*status="completed"[^}]*\} 1/);
  });

  it('is ready with a reachable store, and not ready once closing', async () => {
    const runtime = await create(testConfig(), {
      cwd: '/unused',
      models: { main: new ScriptedModel() },
      logger: recordingLogger(),
    });

    const before = await runtime.ready();
    await runtime.close();
    const after = await runtime.ready();

    expect(before).toEqual({
      ready: true,
      checks: { config: { ok: true }, store: { ok: true }, draining: { ok: true } },
    });
    expect(after.ready).toBe(false);
    expect(after.checks.draining).toEqual({ ok: false, detail: 'the server is shutting down' });
  });

  it('cancels runs still going at close and closes once', async () => {
    const logger = recordingLogger();
    const hanging = new ScriptedModel([], {
      fallback: (request) =>
        new Promise((resolve) =>
          request.signal?.addEventListener('abort', () => resolve(new Error('aborted'))),
        ),
    });
    const runtime = await createServerRuntime(testConfig(), {
      cwd: '/unused',
      models: { main: hanging },
      logger,
    });
    const { runId, done } = await runtime.runs.start({ agent: 'assistant', input: 'Hi', principal: acme });

    const first = runtime.close({ graceMs: 1 });
    const second = runtime.close();
    await first;
    const record = await done;

    expect(second).toBe(first);
    expect(record).toMatchObject({ runId, status: 'cancelled', error: { message: 'server shutting down' } });
    expect(logger.closed).toBe(false);
    expect(logger.lines.some((line) => line.message === 'runs drained' && line.fields?.cancelled === 1)).toBe(
      true,
    );
  });

  it('builds its own logger from observability.logLevel when none is given', async () => {
    const config = testConfig({
      observability: { logLevel: 'warn', events: { store: 'memory' }, metrics: { enabled: false } },
    });

    const runtime = await createServerRuntime(config, {
      cwd: '/unused',
      models: { main: new ScriptedModel() },
    });
    await runtime.close();

    expect(runtime.logger.level).toBe('warn');
  });
});
