import type { AgentEvent } from '@agent/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createHarness, KEYS, runToEnd, startRun } from './support/harness.js';
import { eventsOf, parseSse, sseReader } from './support/sse.js';

const harness = await createHarness({ app: { sse: { heartbeatMs: 20 } } });
afterAll(() => harness.close());

const finishedRun = await startRun(harness, 'replay me');
await runToEnd(harness, finishedRun);

const eventsUrl = (runId: string, query = '') => `/v1/runs/${runId}/events${query}`;

describe('GET /v1/runs/{id}/events', () => {
  it('replays a finished run from the store, then ends with event: end', async () => {
    const response = await harness.request(eventsUrl(finishedRun), { key: KEYS.acme });

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('no-cache, no-transform');
    const messages = eventsOf(parseSse(await response.text()));
    const events = messages.slice(0, -1);
    expect(events.map((message) => message.id)).toEqual(events.map((_, index) => String(index)));
    for (const message of events) {
      const event = JSON.parse(message.data ?? '') as AgentEvent;
      expect(message.event).toBe(event.type);
      expect(message.id).toBe(String(event.seq));
      expect(event.runId).toBe(finishedRun);
    }
    expect(messages.at(-1)).toMatchObject({
      event: 'end',
      data: JSON.stringify({ runId: finishedRun, status: 'completed' }),
    });
    expect(messages.at(-1)?.id).toBeUndefined();
  });

  it('resumes exactly after Last-Event-ID', async () => {
    const response = await harness.request(eventsUrl(finishedRun), {
      key: KEYS.acme,
      headers: { 'Last-Event-ID': '2' },
    });

    const ids = eventsOf(parseSse(await response.text())).map((message) => message.id);
    expect(ids[0]).toBe('3');
    expect(ids.at(-1)).toBeUndefined();
  });

  it('resumes after ?after=, and Last-Event-ID wins over it', async () => {
    const query = await harness.request(eventsUrl(finishedRun, '?after=3'), { key: KEYS.acme });
    const both = await harness.request(eventsUrl(finishedRun, '?after=3'), {
      key: KEYS.acme,
      headers: { 'Last-Event-ID': '0' },
    });

    expect(eventsOf(parseSse(await query.text()))[0]?.id).toBe('4');
    expect(eventsOf(parseSse(await both.text()))[0]?.id).toBe('1');
  });

  it('sends only the end when resuming after the last event', async () => {
    const response = await harness.request(eventsUrl(finishedRun, '?after=999'), { key: KEYS.acme });

    expect(eventsOf(parseSse(await response.text()))).toEqual([
      { event: 'end', data: JSON.stringify({ runId: finishedRun, status: 'completed' }), comments: [] },
    ]);
  });

  it('streams a live run until its terminal event', async () => {
    const runId = await startRun(harness, 'live [hold:live-1]');
    const response = await harness.request(eventsUrl(runId), { key: KEYS.acme });
    const reader = sseReader(response.body as ReadableStream<Uint8Array>);

    expect((await reader.nextEvent())?.event).toBe('run.started');
    harness.gates.open('live-1');
    const rest: string[] = [];
    for (let message = await reader.nextEvent(); message !== undefined; message = await reader.nextEvent()) {
      rest.push(message.event as string);
    }
    expect(rest.at(-2)).toBe('run.completed');
    expect(rest.at(-1)).toBe('end');
  });

  it('sends heartbeat comments while nothing happens', async () => {
    const runId = await startRun(harness, 'quiet [hold:heartbeat]');
    const response = await harness.request(eventsUrl(runId, '?after=2'), { key: KEYS.acme });
    const reader = sseReader(response.body as ReadableStream<Uint8Array>);

    expect(await reader.next()).toMatchObject({ comments: ['stream opened'] });
    expect(await reader.next()).toMatchObject({ comments: ['heartbeat'] });
    await reader.close();
    harness.gates.open('heartbeat');
    await runToEnd(harness, runId);
  });

  it('stops the stream but not the run when the client goes away', async () => {
    const runId = await startRun(harness, 'keep going [hold:disconnect]');
    const response = await harness.request(eventsUrl(runId), { key: KEYS.acme });
    const reader = sseReader(response.body as ReadableStream<Uint8Array>);
    await reader.nextEvent();

    await reader.close();

    harness.gates.open('disconnect');
    expect(await runToEnd(harness, runId)).toContain('"status":"completed"');
  });

  it('returns the stored events as JSON with Accept: application/json, paged by after and limit', async () => {
    const all = await harness.request(eventsUrl(finishedRun), {
      key: KEYS.acme,
      headers: { Accept: 'application/json' },
    });
    const page = await harness.request(eventsUrl(finishedRun, '?after=1&limit=2'), {
      key: KEYS.acme,
      headers: { Accept: 'application/json' },
    });

    expect(all.headers.get('Content-Type')).toMatch(/^application\/json/);
    const events = (await all.json()) as AgentEvent[];
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
    expect(events.at(-1)?.type).toBe('run.completed');
    expect(((await page.json()) as AgentEvent[]).map((event) => event.seq)).toEqual([2, 3]);
  });

  it('streams when the client accepts both JSON and event streams', async () => {
    const response = await harness.request(eventsUrl(finishedRun), {
      key: KEYS.acme,
      headers: { Accept: 'application/json, text/event-stream' },
    });

    expect(response.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    await response.body?.cancel();
  });

  it.each([
    ['a non-numeric Last-Event-ID', { 'Last-Event-ID': 'abc' }, '', '/Last-Event-ID'],
    ['a non-numeric after', {}, '?after=x', '/after'],
    ['an after below -1', {}, '?after=-2', '/after'],
    ['a limit of 0', {}, '?limit=0', '/limit'],
    ['a limit over 10,000', {}, '?limit=10001', '/limit'],
  ])('answers 400 for %s', async (_name, headers, query, path) => {
    const response = await harness.request(eventsUrl(finishedRun, query), { key: KEYS.acme, headers });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe(path);
  });

  it('answers 404 before streaming for an unknown run', async () => {
    const response = await harness.request(eventsUrl(crypto.randomUUID()), { key: KEYS.acme });

    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
  });
});

describe('GET /v1/events', () => {
  it("streams the live events of the caller's tenant only", async () => {
    const response = await harness.request('/v1/events', { key: KEYS.acmeReader });
    const reader = sseReader(response.body as ReadableStream<Uint8Array>);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/event-stream/);

    await runToEnd(harness, await startRun(harness, 'globex run', { key: KEYS.globex }));
    const acmeRun = await startRun(harness, 'acme run');
    await runToEnd(harness, acmeRun);

    const first = await reader.nextEvent();
    expect(first?.event).toBe('run.started');
    expect(first?.id).toBeUndefined();
    expect(JSON.parse(first?.data ?? '')).toMatchObject({ runId: acmeRun, tenant: 'acme' });
    await reader.close();
  });

  it('shows every tenant to an admin', async () => {
    const response = await harness.request('/v1/events', { key: KEYS.admin });
    const reader = sseReader(response.body as ReadableStream<Uint8Array>);

    await runToEnd(harness, await startRun(harness, 'globex run', { key: KEYS.globex }));

    expect(JSON.parse((await reader.nextEvent())?.data ?? '')).toMatchObject({ tenant: 'globex' });
    await reader.close();
  });

  it('ends with event: end when the server shuts down', async () => {
    const closing = await createHarness();
    const response = await closing.request('/v1/events', { key: KEYS.acme });
    const reader = sseReader(response.body as ReadableStream<Uint8Array>);

    closing.runtime.live.close();

    expect(await reader.nextEvent()).toMatchObject({
      event: 'end',
      data: JSON.stringify({ reason: 'server-closing' }),
    });
    expect(await reader.next()).toBeUndefined();
    await closing.close();
  });
});
