import { afterAll, describe, expect, it } from 'vitest';
import { createHarness, KEYS } from './support/harness.js';

const harness = await createHarness();
afterAll(() => harness.close());

describe('GET /v1/agents', () => {
  it('lists the agents with their model and tools', async () => {
    const response = await harness.request('/v1/agents', { key: KEYS.acmeReader });

    expect(response.status).toBe(200);
    const { agents } = (await response.json()) as { agents: Record<string, unknown>[] };
    expect(agents.map((agent) => agent.name).sort()).toEqual(['assistant', 'helper']);
    expect(agents.find((agent) => agent.name === 'assistant')).toMatchObject({
      description: 'Answers briefly.',
      kind: 'agent',
      model: { name: 'main' },
      tools: [],
    });
    expect(agents.find((agent) => agent.name === 'helper')).toMatchObject({
      tools: ['current_time', 'word_count'],
    });
  });
});

describe('GET /health', () => {
  it('answers ok without a credential', async () => {
    const response = await harness.request('/health');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('X-Request-Id')).toEqual(expect.any(String));
  });
});

describe('GET /ready', () => {
  it('answers 200 ready with its checks', async () => {
    const response = await harness.request('/ready');

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ready',
      checks: { store: { ok: true }, draining: { ok: true } },
    });
  });

  it('answers 503 not-ready while draining', async () => {
    const draining = await createHarness();
    await draining.runtime.runs.drain(0);

    const response = await draining.request('/ready');

    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'not-ready', checks: { draining: { ok: false } } });
    await draining.close();
  });
});

describe('GET /metrics', () => {
  it('serves the Prometheus text without a credential by default', async () => {
    const response = await harness.request('/metrics');

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/plain/);
    expect(await response.text()).toContain('agent_runs_total');
  });

  it('needs the admin scope when observability.metrics.requireAuth is on', async () => {
    const guarded = await createHarness({ observability: { metrics: { enabled: true, requireAuth: true } } });
    try {
      const anonymous = await guarded.request('/metrics');
      const reader = await guarded.request('/metrics', { key: KEYS.acme });
      const admin = await guarded.request('/metrics', { key: KEYS.admin });

      expect(anonymous.status).toBe(401);
      expect(reader.status).toBe(403);
      expect(admin.status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('answers 404 problem when metrics are off', async () => {
    const off = await createHarness({ observability: { metrics: { enabled: false } } });
    try {
      const response = await off.request('/metrics');

      expect(response.status).toBe(404);
      expect(response.headers.get('Content-Type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ code: 'metrics-disabled' });
    } finally {
      await off.close();
    }
  });

  it('counts HTTP rate-limit rejections', async () => {
    const limited = await createHarness({
      server: { rateLimit: { perKey: { maxRequests: 2, windowMs: 60_000 } } },
    });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 3; index++)
        statuses.push((await limited.request('/v1/agents', { key: KEYS.acme })).status);
      const refused = await limited.request('/v1/tools', { key: KEYS.acme });
      const other = await limited.request('/v1/agents', { key: KEYS.globex });

      expect(statuses).toEqual([200, 200, 429]);
      expect(refused.headers.get('Retry-After')).toEqual(expect.any(String));
      expect(await refused.json()).toMatchObject({ status: 429, code: 'rate-limited' });
      expect(other.status).toBe(200);
      expect(await (await limited.request('/metrics')).text()).toMatch(
        /agent_ratelimit_rejections_total\{[^}]*scope="http"[^}]*\} 2/,
      );
    } finally {
      await limited.close();
    }
  });
});

describe('without auth configured', () => {
  it('serves every tenant-scoped route as tenant default', async () => {
    const open = await createHarness({ noAuth: true });
    try {
      const started = await open.request('/v1/agents/assistant/runs', {
        method: 'POST',
        json: { input: 'hi' },
      });

      expect(started.status).toBe(200);
      expect(await started.json()).toMatchObject({ tenant: 'default', status: 'completed' });
    } finally {
      await open.close();
    }
  });
});

describe('unknown routes and methods', () => {
  it('answers 404 problem for an unknown path', async () => {
    const response = await harness.request('/v2/nothing', { key: KEYS.acme });

    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'not-found' });
  });
  // A wrong method on a known path is a 405: test/method-not-allowed.test.ts.
});

describe('CORS', () => {
  it('answers preflights for the configured origins only', async () => {
    const cors = await createHarness({ server: { cors: { origins: ['https://app.example'] } } });
    try {
      const allowed = await cors.request('/v1/runs', {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' },
      });
      const other = await cors.request('/v1/runs', {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
      });

      expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example');
      expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();
    } finally {
      await cors.close();
    }
  });
});
