import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../src/contract.js';
import { createHarness, KEYS, runToEnd, startRun } from './support/harness.js';
import { eventsOf, parseSse } from './support/sse.js';

const harness = await createHarness();
afterAll(() => harness.close());

const start = (
  body: unknown,
  init: { key?: string; headers?: Record<string, string>; agent?: string } = {},
) =>
  harness.request(`/v1/agents/${init.agent ?? 'assistant'}/runs`, {
    method: 'POST',
    key: init.key ?? KEYS.acme,
    json: body,
    ...(init.headers ? { headers: init.headers } : {}),
  });

describe('POST /v1/agents/{agent}/runs', () => {
  it('waits for the run and returns its record by default', async () => {
    const response = await start({ input: 'hello' });

    expect(response.status).toBe(200);
    const record = (await response.json()) as RunRecord;
    expect(record).toMatchObject({
      agent: 'assistant',
      tenant: 'acme',
      status: 'completed',
      output: 'echo: hello',
    });
    expect(record.eventCount).toBeGreaterThan(0);
  });

  it('answers 200 with status failed and the error when the run fails', async () => {
    const response = await start({ input: 'please [fail]' });

    expect(response.status).toBe(200);
    const record = (await response.json()) as RunRecord;
    expect(record.status).toBe('failed');
    expect(record.error?.code).toEqual(expect.any(String));
    expect(record.error?.message).toEqual(expect.any(String));
  });

  it('answers 202 with links and Location in async mode', async () => {
    const response = await start({ input: 'later [hold:async-1]', mode: 'async' });

    expect(response.status).toBe(202);
    const body = (await response.json()) as {
      runId: string;
      status: string;
      links: { self: string; events: string };
    };
    expect(body.status).toBe('running');
    expect(body.links).toEqual({ self: `/v1/runs/${body.runId}`, events: `/v1/runs/${body.runId}/events` });
    expect(response.headers.get('Location')).toBe(body.links.self);
    harness.gates.open('async-1');
    expect(await runToEnd(harness, body.runId)).toContain('event: run.completed');
  });

  it('selects async mode with Prefer: respond-async and says so', async () => {
    const response = await start({ input: 'x' }, { headers: { Prefer: 'respond-async, wait=10' } });

    expect(response.status).toBe(202);
    expect(response.headers.get('Preference-Applied')).toBe('respond-async');
    await runToEnd(harness, ((await response.json()) as { runId: string }).runId);
  });

  it('streams the run from seq 0 with Accept: text/event-stream', async () => {
    const response = await start({ input: 'stream me' }, { headers: { Accept: 'text/event-stream' } });

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    const messages = eventsOf(parseSse(await response.text()));
    const events = messages.filter((message) => message.event !== 'end');
    expect(events.map((message) => Number(message.id))).toEqual(events.map((_, index) => index));
    expect(events[0]?.event).toBe('run.started');
    expect(events.at(-1)?.event).toBe('run.completed');
    const end = messages.at(-1);
    expect(end?.event).toBe('end');
    expect(JSON.parse(end?.data ?? '')).toEqual({
      runId: JSON.parse(events[0]?.data ?? '').runId,
      status: 'completed',
    });
  });

  it('lets the body mode win over the headers', async () => {
    const response = await start(
      { input: 'x', mode: 'wait' },
      { headers: { Accept: 'text/event-stream', Prefer: 'respond-async' } },
    );

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
  });

  it('does not claim Preference-Applied when Prefer did not ask for async', async () => {
    const response = await start({ input: 'x', mode: 'async' }, { headers: { Prefer: 'return=minimal' } });

    expect(response.status).toBe(202);
    expect(response.headers.get('Preference-Applied')).toBeNull();
    await runToEnd(harness, ((await response.json()) as { runId: string }).runId);
  });

  it('streams in stream mode even when Prefer asks for async', async () => {
    const response = await start({ input: 'x', mode: 'stream' }, { headers: { Prefer: 'respond-async' } });

    expect(response.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    expect(await response.text()).toContain('event: end');
  });

  it('passes conversationId and metadata to the run', async () => {
    const response = await start({
      input: 'x',
      conversationId: 'conv-1',
      metadata: { ticket: 42, tags: ['a'] },
      mode: 'stream',
    });

    const started = eventsOf(parseSse(await response.text()))[0];
    expect(JSON.parse(started?.data ?? '')).toMatchObject({
      conversationId: 'conv-1',
      metadata: { ticket: 42, tags: ['a'] },
    });
  });

  it('answers 404 agent-not-found for an unknown agent', async () => {
    const response = await start({ input: 'x' }, { agent: 'nobody' });

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'agent-not-found', status: 404 });
  });

  it('answers 415 for a body that is not JSON and 400 invalid-json for broken JSON', async () => {
    const text = await harness.request('/v1/agents/assistant/runs', {
      method: 'POST',
      key: KEYS.acme,
      headers: { 'Content-Type': 'text/plain' },
      body: 'hello',
    });
    const none = await harness.request('/v1/agents/assistant/runs', {
      method: 'POST',
      key: KEYS.acme,
      body: 'hello',
    });
    const broken = await harness.request('/v1/agents/assistant/runs', {
      method: 'POST',
      key: KEYS.acme,
      headers: { 'Content-Type': 'application/json' },
      body: '{"input": ',
    });

    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: 'unsupported-media-type' });
    expect(none.status).toBe(415);
    expect(broken.status).toBe(400);
    expect(broken.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await broken.json()).toMatchObject({ code: 'invalid-json' });
  });

  it('answers 413 for a body over server.bodyLimitBytes', async () => {
    const small = await createHarness({ server: { bodyLimitBytes: 1024 } });
    try {
      const response = await small.request('/v1/agents/assistant/runs', {
        method: 'POST',
        key: KEYS.acme,
        json: { input: 'x'.repeat(2000) },
      });

      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ code: 'payload-too-large' });
    } finally {
      await small.close();
    }
  });

  it.each([
    ['a missing input', {}, '/input'],
    ['an empty input', { input: '' }, '/input'],
    ['an input over 100,000 characters', { input: 'x'.repeat(100_001) }, '/input'],
    ['an unknown field', { input: 'x', extra: true }, ''],
    ['an unsafe conversationId', { input: 'x', conversationId: 'a b/../c' }, '/conversationId'],
    ['an unknown mode', { input: 'x', mode: 'later' }, '/mode'],
    [
      'metadata with too many keys',
      { input: 'x', metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
      '/metadata',
    ],
    ['metadata over 16 KiB', { input: 'x', metadata: { blob: 'x'.repeat(17_000) } }, '/metadata'],
    [
      'deeply nested metadata',
      { input: 'x', metadata: { deep: JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) } },
      '/metadata',
    ],
    ['metadata that is an array', { input: 'x', metadata: [1, 2] }, '/metadata'],
  ])('answers 400 validation-failed for %s', async (_name, body, path) => {
    const response = await start(body);

    expect(response.status).toBe(400);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    const problem = (await response.json()) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe('validation-failed');
    expect(problem.errors.map((error) => error.path)).toContain(path);
    expect(JSON.stringify(problem)).not.toMatch(/"(?:expected|received|origin)"|ZodError|"issues"/);
  });

  it('answers 400 for an invalid agent name and an invalid Idempotency-Key', async () => {
    const agent = await start({ input: 'x' }, { agent: '9-bad!' });
    const key = await start({ input: 'x' }, { headers: { 'Idempotency-Key': 'has spaces in it' } });

    expect(agent.status).toBe(400);
    expect(key.status).toBe(400);
    expect(await key.json()).toMatchObject({ errors: [{ path: '/Idempotency-Key' }] });
  });

  describe('idempotency', () => {
    it('returns the same run for the same key and body, marked as replayed', async () => {
      const headers = { 'Idempotency-Key': 'order-4711' };
      const first = await start({ input: 'once [hold:idem-1]', mode: 'async' }, { headers });
      const second = await start({ input: 'once [hold:idem-1]', mode: 'async' }, { headers });

      const firstBody = (await first.json()) as { runId: string };
      const secondBody = (await second.json()) as { runId: string; status: string };
      expect(secondBody.runId).toBe(firstBody.runId);
      expect(secondBody.status).toBe('running');
      expect(first.headers.get('Idempotent-Replayed')).toBeNull();
      expect(second.headers.get('Idempotent-Replayed')).toBe('true');
      harness.gates.open('idem-1');
      await runToEnd(harness, firstBody.runId);
      const third = await start({ input: 'once [hold:idem-1]', mode: 'async' }, { headers });
      expect(await third.json()).toMatchObject({ runId: firstBody.runId, status: 'completed' });
    });

    it('waits for the original run when a retry comes in wait mode', async () => {
      const headers = { 'Idempotency-Key': 'order-4712' };
      const first = (await (await start({ input: 'twice' }, { headers })).json()) as RunRecord;
      const retry = await start({ input: 'twice' }, { headers });

      expect(retry.status).toBe(200);
      expect(((await retry.json()) as RunRecord).runId).toBe(first.runId);
    });

    it('answers 422 for the same key with a different body', async () => {
      const headers = { 'Idempotency-Key': 'order-4713' };
      await start({ input: 'one' }, { headers });
      const response = await start({ input: 'two' }, { headers });

      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ code: 'idempotency-key-reused' });
    });

    it('keeps keys apart per tenant', async () => {
      const headers = { 'Idempotency-Key': 'shared-key' };
      const acme = (await (await start({ input: 'x' }, { headers })).json()) as RunRecord;
      const globex = (await (await start({ input: 'x' }, { headers, key: KEYS.globex })).json()) as RunRecord;

      expect(globex.runId).not.toBe(acme.runId);
      expect(globex.tenant).toBe('globex');
    });
  });

  it('answers 202 instead of waiting past server.requestTimeoutMs, and the run goes on', async () => {
    const slow = await createHarness({ server: { requestTimeoutMs: 50 } });
    try {
      const response = await slow.request('/v1/agents/assistant/runs', {
        method: 'POST',
        key: KEYS.acme,
        json: { input: 'slow [hold:slow-1]' },
      });

      expect(response.status).toBe(202);
      const { runId } = (await response.json()) as { runId: string };
      expect(response.headers.get('Location')).toBe(`/v1/runs/${runId}`);
      slow.gates.open('slow-1');
      expect(await runToEnd(slow, runId)).toContain('"status":"completed"');
    } finally {
      await slow.close();
    }
  });

  it('answers 503 draining once the server shuts down', async () => {
    const closing = await createHarness();
    await closing.runtime.runs.drain(0);

    const response = await closing.request('/v1/agents/assistant/runs', {
      method: 'POST',
      key: KEYS.acme,
      json: { input: 'x' },
    });

    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('5');
    expect(await response.json()).toMatchObject({ code: 'draining' });
    await closing.close();
  });
});

describe('GET /v1/runs', () => {
  it("lists the caller's tenant's runs newest first and pages with the cursor", async () => {
    const own = await createHarness();
    try {
      const ids: string[] = [];
      for (const input of ['a', 'b', 'c']) {
        const runId = await startRun(own, input);
        await runToEnd(own, runId);
        ids.push(runId);
      }
      await runToEnd(own, await startRun(own, 'other tenant', { key: KEYS.globex }));

      const first = (await (await own.request('/v1/runs?limit=2', { key: KEYS.acme })).json()) as {
        runs: RunRecord[];
        nextCursor?: string;
      };
      const second = (await (
        await own.request(`/v1/runs?limit=2&cursor=${first.nextCursor}`, { key: KEYS.acme })
      ).json()) as { runs: RunRecord[]; nextCursor?: string };

      expect(first.runs).toHaveLength(2);
      expect(first.nextCursor).toEqual(expect.any(String));
      expect(second.nextCursor).toBeUndefined();
      expect([...first.runs, ...second.runs].map((run) => run.runId).sort()).toEqual([...ids].sort());
      expect([...first.runs, ...second.runs].every((run) => run.tenant === 'acme')).toBe(true);
      const all = (await (await own.request('/v1/runs', { key: KEYS.admin })).json()) as {
        runs: RunRecord[];
      };
      expect(new Set(all.runs.map((run) => run.tenant))).toEqual(new Set(['acme', 'globex']));
    } finally {
      await own.close();
    }
  });

  it('filters by agent, status and start time (ISO 8601 or epoch ms)', async () => {
    const own = await createHarness();
    try {
      const before = Date.now() - 1;
      await runToEnd(own, await startRun(own, 'ok'));
      await runToEnd(own, await startRun(own, 'x [fail]'));
      await runToEnd(own, await startRun(own, 'helper', { agent: 'helper' }));
      const list = async (query: string) =>
        ((await (await own.request(`/v1/runs?${query}`, { key: KEYS.acme })).json()) as { runs: RunRecord[] })
          .runs;

      expect((await list('status=failed')).map((run) => run.status)).toEqual(['failed']);
      expect((await list('agent=helper')).map((run) => run.agent)).toEqual(['helper']);
      expect(await list(`startedAfter=${before}`)).toHaveLength(3);
      expect(await list(`startedAfter=${new Date(before).toISOString()}`)).toHaveLength(3);
      expect(await list(`startedBefore=${encodeURIComponent(new Date(before).toISOString())}`)).toHaveLength(
        0,
      );
    } finally {
      await own.close();
    }
  });

  it('answers 400 invalid-cursor for a cursor it did not make', async () => {
    const response = await harness.request('/v1/runs?cursor=not-a-cursor', { key: KEYS.acme });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'invalid-cursor', errors: [{ path: '/cursor' }] });
  });

  it.each([
    ['limit=0', '/limit'],
    ['limit=501', '/limit'],
    ['limit=-1', '/limit'],
    ['limit=abc', '/limit'],
    ['status=sleeping', '/status'],
    ['startedAfter=yesterday', '/startedAfter'],
    ['startedBefore=2026-13-45T99:00:00Z', '/startedBefore'],
    ['agent=a&agent=b', '/agent'],
  ])('answers 400 for %s', async (query, path) => {
    const response = await harness.request(`/v1/runs?${query}`, { key: KEYS.acme });

    expect(response.status).toBe(400);
    expect(
      ((await response.json()) as { errors: { path: string }[] }).errors.map((error) => error.path),
    ).toContain(path);
  });
});

describe('GET /v1/runs/{id}', () => {
  it('returns the run with its output', async () => {
    const runId = await startRun(harness, 'fetch me');
    await runToEnd(harness, runId);

    const response = await harness.request(`/v1/runs/${runId}`, { key: KEYS.acmeReader });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ runId, status: 'completed', output: 'echo: fetch me' });
  });

  it('returns a running run as running', async () => {
    const runId = await startRun(harness, 'busy [hold:get-1]');

    const response = await harness.request(`/v1/runs/${runId}`, { key: KEYS.acme });

    expect(await response.json()).toMatchObject({ runId, status: 'running' });
    harness.gates.open('get-1');
    await runToEnd(harness, runId);
  });

  it('answers 404 run-not-found for an unknown id and 400 for a malformed one', async () => {
    const unknown = await harness.request(`/v1/runs/${crypto.randomUUID()}`, { key: KEYS.acme });
    const malformed = await harness.request('/v1/runs/..%2F..%2Fetc', { key: KEYS.acme });

    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'run-not-found' });
    expect(malformed.status).toBe(400);
  });
});

describe('POST /v1/runs/{id}/cancel', () => {
  it('cancels a running run: 202, then the run ends cancelled', async () => {
    const runId = await startRun(harness, 'forever [hold:never-opened]');

    const response = await harness.request(`/v1/runs/${runId}/cancel`, {
      method: 'POST',
      key: KEYS.acmeWriter,
    });

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ runId, status: 'cancelling' });
    const stream = await runToEnd(harness, runId);
    expect(stream).toContain('event: run.cancelled');
    expect(stream).toContain('"status":"cancelled"');
  });

  it('answers 409 run-not-running for a run that has ended', async () => {
    const runId = await startRun(harness, 'quick');
    await runToEnd(harness, runId);

    const response = await harness.request(`/v1/runs/${runId}/cancel`, { method: 'POST', key: KEYS.acme });

    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'run-not-running' });
  });

  it('answers 404 for an unknown run', async () => {
    const response = await harness.request(`/v1/runs/${crypto.randomUUID()}/cancel`, {
      method: 'POST',
      key: KEYS.acme,
    });

    expect(response.status).toBe(404);
  });
});
