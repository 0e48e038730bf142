import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { ScriptedModel, textResponse } from '@agent/core/testing';
import { type FakeLlmServer, startFakeLlmServer } from '@agent/fake-llm-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerRuntime } from '../contract.js';
import { acme, recordingLogger, testConfig } from './__fixtures__/runtime-fixtures.js';
import { createServerRuntime } from './create-server-runtime.js';

// Real services: Redis at 127.0.0.1:6379, PostgreSQL at AGENT_TEST_POSTGRES_URL (or a local
// trust-auth one), and the fake LLM server speaking the vendors' wire formats.

const POSTGRES_URL = process.env.AGENT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.AGENT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const runtimes: ServerRuntime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.close({ graceMs: 0 })));
});

async function create(...args: Parameters<typeof createServerRuntime>): Promise<ServerRuntime> {
  const runtime = await createServerRuntime(...args);
  runtimes.push(runtime);
  return runtime;
}

/** The part of pg the test uses (pg's types are not a dependency of this package). */
interface PgModule {
  Client: new (config: {
    connectionString: string;
  }) => {
    connect(): Promise<void>;
    query(sql: string, parameters?: unknown[]): Promise<{ rows: unknown[] }>;
    end(): Promise<void>;
  };
}

describe('createServerRuntime with a Redis rate limiter', () => {
  const rateLimits = (url: string) => ({
    backend: 'redis' as const,
    redis: { url, keyPrefix: `agent-test:${randomUUID()}:`, commandTimeoutMs: 500 },
    rules: [{ name: 'per-tenant', scope: 'tenant' as const, maxCalls: 1, windowMs: 60_000 }],
    onLimit: 'fail' as const,
  });

  it('is ready when Redis answers, and the limiter counts calls there', async () => {
    const runtime = await create(testConfig({ rateLimits: rateLimits(REDIS_URL) }), {
      cwd: '/unused',
      models: { main: new ScriptedModel([], { fallback: textResponse('ok') }) },
      logger: recordingLogger(),
    });

    const report = await runtime.ready();
    const first = await (await runtime.runs.start({ agent: 'assistant', input: 'one', principal: acme }))
      .done;
    const second = await (await runtime.runs.start({ agent: 'assistant', input: 'two', principal: acme }))
      .done;

    expect(report).toMatchObject({ ready: true, checks: { redis: { ok: true }, store: { ok: true } } });
    expect(first.status).toBe('completed');
    expect(second).toMatchObject({ status: 'failed', errorCode: 'RATE_LIMITED' });
  });

  it('is not ready when Redis cannot be reached, and says why', async () => {
    const logger = recordingLogger();
    const unreachable = { backend: 'redis' as const, redis: { url: 'redis://127.0.0.1:1' } };
    const runtime = await create(testConfig({ rateLimits: unreachable }), {
      cwd: '/unused',
      models: { main: new ScriptedModel() },
      logger,
      readinessTimeoutMs: 1000,
    });

    const report = await runtime.ready();

    expect(report.ready).toBe(false);
    expect(report.checks.redis?.ok).toBe(false);
    expect(report.checks.redis?.detail).toBeTruthy();
    expect(report.checks.store).toEqual({ ok: true });
  });
});

describe('createServerRuntime with the Postgres store', () => {
  const schema = `server_runtime_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  // pg is a dependency of @agent/observability, not of this package: resolve it from there.
  const pg = createRequire(createRequire(import.meta.url).resolve('@agent/observability/package.json'))(
    'pg',
  ) as PgModule;

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('stores runs in the schema named in the URL', async () => {
    const separator = POSTGRES_URL.includes('?') ? '&' : '?';
    const config = testConfig({
      observability: {
        logLevel: 'error',
        events: {
          store: 'postgres',
          url: `${POSTGRES_URL}${separator}schema=${schema}`,
          retention: { maxRuns: 100 },
        },
        metrics: { enabled: false },
      },
    });
    const runtime = await create(config, {
      cwd: '/unused',
      models: { main: new ScriptedModel([textResponse('In Postgres.')]) },
      logger: recordingLogger(),
    });

    const { runId, done } = await runtime.runs.start({ agent: 'assistant', input: 'Hi', principal: acme });
    const record = await done;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    const tables = await admin.query(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    await admin.end();

    expect(record).toMatchObject({ runId, status: 'completed', output: 'In Postgres.' });
    expect(tables.rows.length).toBeGreaterThan(0);
    expect((await runtime.ready()).checks.store).toEqual({ ok: true });
  });
});

describe('createServerRuntime with real adapters against the fake LLM server', () => {
  let server: FakeLlmServer;
  beforeAll(async () => {
    server = await startFakeLlmServer();
  });
  afterEach(() => server.reset());
  afterAll(() => server.close());

  it('calls OpenAI with the configured key, base URL, organization and headers', async () => {
    server.enqueue({
      kind: 'text',
      text: 'Hello from the fake.',
      usage: { inputTokens: 12, outputTokens: 4 },
    });
    const config = testConfig({
      models: {
        main: {
          provider: 'openai',
          model: 'gpt-4o-mini',
          baseURL: server.openaiBaseURL,
          organization: 'org-test',
          headers: { 'x-team': 'agents' },
          timeoutMs: 10_000,
          retry: { maxRetries: 0 },
          settings: { temperature: 0.5, maxTokens: 100 },
        },
      },
    });
    const runtime = await create(config, {
      cwd: '/unused',
      env: { OPENAI_API_KEY: 'sk-env-key' },
      logger: recordingLogger(),
    });

    const record = await (await runtime.runs.start({ agent: 'assistant', input: 'Hi', principal: acme }))
      .done;
    const request = server.requests[0];

    expect(record).toMatchObject({
      status: 'completed',
      output: 'Hello from the fake.',
      usage: { inputTokens: 12, outputTokens: 4 },
    });
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer sk-env-key');
    expect(request?.headers['openai-organization']).toBe('org-test');
    expect(request?.headers['x-team']).toBe('agents');
    expect(request?.bodyAs<{ model: string; temperature: number }>()).toMatchObject({
      model: 'gpt-4o-mini',
      temperature: 0.5,
    });
  });

  it('falls back to the next model when the first fails with a server error', async () => {
    server.enqueue({ kind: 'status', status: 500, message: 'boom' }, { kind: 'text', text: 'Claude here.' });
    const logger = recordingLogger();
    const config = testConfig({
      models: {
        main: {
          provider: 'openai',
          model: 'gpt-4o-mini',
          apiKey: 'sk-config',
          baseURL: server.openaiBaseURL,
          retry: { maxRetries: 0 },
          fallback: ['backup'],
        },
        backup: {
          provider: 'anthropic',
          model: 'claude-haiku-4-5',
          apiKey: 'sk-ant-config',
          baseURL: server.anthropicBaseURL,
          retry: { maxRetries: 0 },
        },
      },
    });
    const runtime = await create(config, { cwd: '/unused', env: {}, logger });

    const record = await (await runtime.runs.start({ agent: 'assistant', input: 'Hi', principal: acme }))
      .done;

    expect(record).toMatchObject({ status: 'completed', output: 'Claude here.' });
    expect(server.requests.map((request) => request.provider)).toEqual(['openai', 'anthropic']);
    const anthropicHeaders = server.requests[1]?.headers ?? {};
    expect([anthropicHeaders['x-api-key'], anthropicHeaders.authorization]).toContainEqual(
      expect.stringContaining('sk-ant-config'),
    );
    expect(logger.lines.some((line) => line.message === 'model failed; trying its fallback')).toBe(true);
  });

  it('retries a failed call as configured', async () => {
    server.enqueue(
      { kind: 'status', status: 503, message: 'busy' },
      { kind: 'text', text: 'Second time lucky.' },
    );
    const logger = recordingLogger();
    const config = testConfig({
      models: {
        main: {
          provider: 'openai',
          model: 'gpt-4o-mini',
          apiKey: 'sk-config',
          baseURL: server.openaiBaseURL,
          retry: { maxRetries: 1, initialDelayMs: 0, maxDelayMs: 1, deadlineMs: 10_000 },
        },
      },
    });
    const runtime = await create(config, { cwd: '/unused', env: {}, logger });

    const record = await (await runtime.runs.start({ agent: 'assistant', input: 'Hi', principal: acme }))
      .done;

    expect(record).toMatchObject({ status: 'completed', output: 'Second time lucky.' });
    expect(logger.lines.find((line) => line.message === 'model call failed; retrying')?.fields).toMatchObject(
      { model: 'main', attempt: 1 },
    );
  });
});
