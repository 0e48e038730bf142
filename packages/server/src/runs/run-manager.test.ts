import { type AgentEvent, MemoryEventStore, ModelError } from '@agent/core';
import { textResponse } from '@agent/core/testing';
import { LiveEvents } from '@agent/observability';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpProblem } from '../http/http-problem.js';
import {
  collect,
  createHarness,
  gate,
  gatedText,
  manualClock,
  principal,
  take,
} from './__fixtures__/run-harness.js';

const acme = principal('acme');
const globex = principal('globex');
const harnesses: { close(): Promise<void> }[] = [];

function harness(options: Parameters<typeof createHarness>[0] = {}) {
  const created = createHarness(options);
  harnesses.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((created) => created.close()));
});

const seqs = (events: readonly AgentEvent[]): number[] => events.map((event) => event.seq);
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

async function rejection(promise: Promise<unknown>): Promise<HttpProblem> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HttpProblem);
  return error as HttpProblem;
}

describe('createRunManager: start', () => {
  it('runs the agent in the background and resolves done with the stored record', async () => {
    const { runs, store } = harness({ script: [textResponse('Hello!')] });

    const started = await runs.start({
      agent: 'assistant',
      input: 'Hi',
      principal: acme,
      metadata: { source: 'test' },
      requestId: 'req-1',
    });
    const record = await started.done;

    expect(started).toMatchObject({ runId: 'run-1', reused: false });
    expect(record).toMatchObject({
      runId: 'run-1',
      agent: 'assistant',
      tenant: 'acme',
      status: 'completed',
      output: 'Hello!',
    });
    expect(record.error).toBeUndefined();
    const [first] = await store.readRun('run-1', { fromSeq: 0, limit: 1 });
    expect(first).toMatchObject({ type: 'run.started', tenant: 'acme', metadata: { source: 'test' } });
    expect(runs.active).toBe(0);
  });

  it('rejects an unknown agent with 404 agent-not-found naming the known agents', async () => {
    const { runs } = harness();

    const problem = await rejection(runs.start({ agent: 'nope', input: 'Hi', principal: acme }));

    expect(problem.status).toBe(404);
    expect(problem.code).toBe('agent-not-found');
    expect(problem.detail).toContain('assistant, helper');
  });

  it('records a failed run with its error code and message', async () => {
    const failure = new ModelError('MODEL_BAD_REQUEST', 'The model rejected the request.', {
      provider: 'scripted',
      modelId: 'scripted-model',
    });
    const { runs } = harness({ script: [failure] });

    const { runId, done } = await runs.start({ agent: 'assistant', input: 'Hi', principal: acme });
    const record = await done;

    expect(record).toMatchObject({ status: 'failed', errorCode: 'MODEL_BAD_REQUEST' });
    expect(record.error).toEqual({ code: 'MODEL_BAD_REQUEST', message: 'The model rejected the request.' });
    expect(await runs.get(runId, 'acme')).toMatchObject({ status: 'failed', error: record.error });
  });

  it('refuses new runs beyond maxActiveRuns with 503 overloaded', async () => {
    const opened = gate();
    const { runs } = harness({ fallback: gatedText(opened.promise), manager: { maxActiveRuns: 1 } });
    const first = await runs.start({ agent: 'assistant', input: 'one', principal: acme });

    const problem = await rejection(runs.start({ agent: 'assistant', input: 'two', principal: acme }));
    opened.open();
    await first.done;

    expect(problem).toMatchObject({ status: 503, code: 'overloaded', retryAfterSeconds: 1 });
    expect(runs.active).toBe(0);
  });
});

describe('createRunManager: idempotency', () => {
  it('returns the same run for the same key and body', async () => {
    const { runs } = harness({ fallback: textResponse('once') });
    const input = {
      agent: 'assistant',
      input: 'Hi',
      principal: acme,
      idempotencyKey: 'k1',
      metadata: { a: 1, b: 2 },
    };

    const first = await runs.start(input);
    const second = await runs.start({ ...input, metadata: { b: 2, a: 1 } });
    const [firstRecord, secondRecord] = await Promise.all([first.done, second.done]);
    const third = await runs.start(input);

    expect(second).toMatchObject({ runId: first.runId, reused: true });
    expect(secondRecord).toEqual(firstRecord);
    expect(third).toMatchObject({ runId: first.runId, reused: true });
    expect(await third.done).toMatchObject({ status: 'completed', output: 'once' });
    expect((await runs.list({ tenant: 'acme' })).runs).toHaveLength(1);
  });

  it('rejects the same key with a different body with 422 idempotency-key-reused', async () => {
    const { runs } = harness({ fallback: textResponse('ok') });
    const first = await runs.start({
      agent: 'assistant',
      input: 'Hi',
      principal: acme,
      idempotencyKey: 'k1',
    });

    const problem = await rejection(
      runs.start({ agent: 'assistant', input: 'Hello', principal: acme, idempotencyKey: 'k1' }),
    );
    await first.done;

    expect(problem).toMatchObject({ status: 422, code: 'idempotency-key-reused' });
  });

  it('scopes keys by tenant and agent', async () => {
    const { runs } = harness({ fallback: textResponse('ok') });
    const body = { input: 'Hi', idempotencyKey: 'k1' };

    const a = await runs.start({ ...body, agent: 'assistant', principal: acme });
    const b = await runs.start({ ...body, agent: 'assistant', principal: globex });
    const c = await runs.start({ ...body, agent: 'helper', principal: acme });
    await Promise.all([a.done, b.done, c.done]);

    expect(new Set([a.runId, b.runId, c.runId]).size).toBe(3);
    expect([a.reused, b.reused, c.reused]).toEqual([false, false, false]);
  });

  it('forgets a key after its time to live', async () => {
    const clock = manualClock();
    const { runs } = harness({ fallback: textResponse('ok'), manager: { clock, idempotencyTtlMs: 1000 } });
    const input = { agent: 'assistant', input: 'Hi', principal: acme, idempotencyKey: 'k1' };
    const first = await runs.start(input);
    await first.done;

    clock.time += 1000;
    const second = await runs.start(input);
    await second.done;

    expect(second.reused).toBe(false);
    expect(second.runId).not.toBe(first.runId);
  });

  it('resolves a reused run whose events were pruned with a not-found record', async () => {
    const { runs, store } = harness({ fallback: textResponse('ok') });
    const input = { agent: 'assistant', input: 'Hi', principal: acme, idempotencyKey: 'k1' };
    await (await runs.start(input)).done;
    await store.prune({ maxRuns: 0 });

    const again = await runs.start(input);

    expect(await again.done).toMatchObject({ status: 'failed', error: { code: 'RUN_NOT_FOUND' } });
  });
});

describe('createRunManager: get, list and tenants', () => {
  it('finds a run only for its own tenant, or for any tenant when tenant is undefined', async () => {
    const { runs } = harness({ fallback: textResponse('ok') });
    const { runId, done } = await runs.start({ agent: 'assistant', input: 'Hi', principal: acme });
    await done;

    expect(await runs.get(runId, 'acme')).toMatchObject({ runId, status: 'completed', output: 'ok' });
    expect(await runs.get(runId, 'globex')).toBeUndefined();
    expect(await runs.get(runId, undefined)).toMatchObject({ runId });
    expect(await runs.get('missing', undefined)).toBeUndefined();
  });

  it('reports a running run, also before its first event is stored', async () => {
    const opened = gate();
    const appended = gate();
    const store = new (class extends MemoryEventStore {
      override async append(events: Parameters<MemoryEventStore['append']>[0]): Promise<void> {
        await appended.promise;
        return super.append(events);
      }
    })();
    const { runs } = harness({ store, fallback: gatedText(opened.promise) });
    const { runId, done } = await runs.start({ agent: 'assistant', input: 'Hi', principal: acme });

    const early = await runs.get(runId, 'acme');
    const hidden = await runs.get(runId, 'globex');
    appended.open();
    opened.open();
    const record = await done;

    expect(early).toMatchObject({ runId, status: 'running', tenant: 'acme', eventCount: 0 });
    expect(hidden).toBeUndefined();
    expect(record.status).toBe('completed');
  });

  it('lists runs with the tenant the caller passes', async () => {
    const { runs } = harness({ fallback: textResponse('ok') });
    await (await runs.start({ agent: 'assistant', input: 'a', principal: acme })).done;
    await (await runs.start({ agent: 'assistant', input: 'b', principal: globex })).done;

    const page = await runs.list({ tenant: 'globex' });

    expect(page.runs.map((run) => run.tenant)).toEqual(['globex']);
  });
});

describe('createRunManager: events', () => {
  it('replays a finished run from the store after afterSeq', async () => {
    const { runs } = harness({ fallback: textResponse('ok') });
    const { runId, done } = await runs.start({ agent: 'assistant', input: 'Hi', principal: acme });
    const record = await done;

    const all = await collect((await runs.events(runId, 'acme', {})) as AsyncIterable<AgentEvent>);
    const tail = await collect(
      (await runs.events(runId, 'acme', { afterSeq: 2 })) as AsyncIterable<AgentEvent>,
    );

    expect(seqs(all)).toEqual(range(0, record.eventCount - 1));
    expect(all.at(-1)?.type).toBe('run.completed');
    expect(seqs(tail)).toEqual(range(3, record.eventCount - 1));
  });

  it('resumes a live run from afterSeq with no gap or duplicate at the seam', async () => {
    const opened = gate();
    const { runs } = harness({ fallback: gatedText(opened.promise, 'a long answer that streams') });
    const { runId, done } = await runs.start({ agent: 'assistant', input: 'Hi', principal: acme });
    const first = (await runs.events(runId, 'acme', {})) as AsyncIterable<AgentEvent>;
    const firstIterator = first[Symbol.asyncIterator]();
    const seen = await take(firstIterator, 3);

    // The run waits in its model call: seq 2 is stored, the rest will only arrive live.
    const resumed = (await runs.events(runId, 'acme', { afterSeq: 1 })) as AsyncIterable<AgentEvent>;
    const resumedIterator = resumed[Symbol.asyncIterator]();
    const fromStore = await take(resumedIterator, 1);
    opened.open();
    const rest = [...fromStore, ...(await collect({ [Symbol.asyncIterator]: () => resumedIterator }))];
    const firstRest = await collect({ [Symbol.asyncIterator]: () => firstIterator });
    const record = await done;

    expect(seqs(seen)).toEqual([0, 1, 2]);
    expect(seqs(fromStore)).toEqual([2]);
    expect(seqs(rest)).toEqual(range(2, record.eventCount - 1));
    expect(rest.at(-1)?.type).toBe('run.completed');
    expect(seqs([...seen, ...firstRest])).toEqual(range(0, record.eventCount - 1));
  });

  it('fills events a slow live reader dropped from the store', async () => {
    const opened = gate();
    const { runs } = harness({
      live: new LiveEvents({ maxQueue: 1 }),
      fallback: gatedText(opened.promise, 'x'.repeat(200)),
    });
    const { runId, done } = await runs.start({ agent: 'assistant', input: 'Hi', principal: acme });
    const events = (await runs.events(runId, 'acme', {})) as AsyncIterable<AgentEvent>;
    const iterator = events[Symbol.asyncIterator]();
    const before = await take(iterator, 1);

    opened.open();
    const record = await done;
    const after = await collect({ [Symbol.asyncIterator]: () => iterator });

    expect(seqs([...before, ...after])).toEqual(range(0, record.eventCount - 1));
  });

  it('reads the rest from the store when the live feed closes before the run ends', async () => {
    const opened = gate();
    const live = new LiveEvents();
    const { runs } = harness({ live, fallback: gatedText(opened.promise) });
    const { runId, done } = await runs.start({ agent: 'assistant', input: 'Hi', principal: acme });
    const iterator = ((await runs.events(runId, 'acme', {})) as AsyncIterable<AgentEvent>)[
      Symbol.asyncIterator
    ]();
    const before = await take(iterator, 1);

    live.close();
    opened.open();
    const record = await done;
    const after = await collect({ [Symbol.asyncIterator]: () => iterator });

    expect(seqs([...before, ...after])).toEqual(range(0, record.eventCount - 1));
  });

  it('hides a run from another tenant, live or finished', async () => {
    const opened = gate();
    const { runs } = harness({ fallback: gatedText(opened.promise) });
    const { runId, done } = await runs.start({ agent: 'assistant', input: 'Hi', principal: acme });

    const whileRunning = await runs.events(runId, 'globex', {});
    opened.open();
    await done;
    const afterwards = await runs.events(runId, 'globex', {});
    const unknown = await runs.events('missing', undefined, {});

    expect(whileRunning).toBeUndefined();
    expect(afterwards).toBeUndefined();
    expect(unknown).toBeUndefined();
  });

  it('stops when the signal aborts', async () => {
    const opened = gate();
    const { runs } = harness({ fallback: gatedText(opened.promise) });
    const { runId, done } = await runs.start({ agent: 'assistant', input: 'Hi', principal: acme });
    const controller = new AbortController();
    const events = (await runs.events(runId, 'acme', {
      signal: controller.signal,
    })) as AsyncIterable<AgentEvent>;
    const iterator = events[Symbol.asyncIterator]();
    await take(iterator, 1);

    controller.abort();
    const rest = await collect({ [Symbol.asyncIterator]: () => iterator });
    opened.open();
    await done;

    expect(rest.some((event) => event.type === 'run.completed')).toBe(false);
  });

  it('streams live events of one tenant only', async () => {
    const { runs } = harness({ fallback: textResponse('ok') });
    const controller = new AbortController();
    const feed = runs.liveEvents('acme', controller.signal)[Symbol.asyncIterator]();

    const other = await runs.start({ agent: 'assistant', input: 'other', principal: globex });
    await other.done;
    const own = await runs.start({ agent: 'assistant', input: 'own', principal: acme });
    const received: AgentEvent[] = [];
    for (let next = await feed.next(); !next.done; next = await feed.next()) {
      received.push(next.value);
      if (next.value.type === 'run.completed') break;
    }
    controller.abort();
    await own.done;

    expect(received.length).toBeGreaterThan(2);
    expect(new Set(received.map((event) => event.runId))).toEqual(new Set([own.runId]));
    expect(await feed.next()).toMatchObject({ done: true });
  });
});

describe('createRunManager: cancel', () => {
  it('cancels a running run, which ends recorded as cancelled', async () => {
    const opened = gate();
    const { runs } = harness({ fallback: gatedText(opened.promise) });
    const { runId, done } = await runs.start({ agent: 'assistant', input: 'Hi', principal: acme });

    const otherTenant = await runs.cancel(runId, 'globex');
    const result = await runs.cancel(runId, 'acme');
    const record = await done;
    const again = await runs.cancel(runId, 'acme');

    expect(otherTenant).toBe('not-found');
    expect(result).toBe('cancelled');
    expect(record).toMatchObject({
      status: 'cancelled',
      error: { code: 'ABORTED', message: 'Cancelled by the caller.' },
    });
    expect(again).toBe('not-running');
    expect(await runs.cancel(runId, 'globex')).toBe('not-found');
    expect(await runs.cancel('missing', undefined)).toBe('not-found');
  });
});

describe('createRunManager: drain', () => {
  it('waits for runs that finish within the grace period', async () => {
    const opened = gate();
    const { runs } = harness({ fallback: gatedText(opened.promise) });
    const { done } = await runs.start({ agent: 'assistant', input: 'Hi', principal: acme });

    const draining = runs.drain(60_000);
    const refused = await rejection(runs.start({ agent: 'assistant', input: 'late', principal: acme }));
    opened.open();
    const counts = await draining;

    expect(runs.draining).toBe(true);
    expect(refused).toMatchObject({ status: 503, code: 'draining' });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(counts).toEqual({ finished: 1, cancelled: 0 });
    expect((await done).status).toBe('completed');
    expect(await runs.drain(0)).toEqual(counts);
  });

  it('cancels runs still going after the grace period and records them', async () => {
    const never = gate();
    const { runs, store } = harness({ fallback: gatedText(never.promise) });
    const quick = harness({ fallback: textResponse('quick') }).runs;
    const { runId, done } = await runs.start({ agent: 'assistant', input: 'Hi', principal: acme });

    const counts = await runs.drain(5);
    const record = await done;
    const stored = await store.getRun(runId);

    expect(counts).toEqual({ finished: 0, cancelled: 1 });
    expect(record).toMatchObject({ status: 'cancelled', error: { message: 'server shutting down' } });
    expect(stored?.status).toBe('cancelled');
    expect(runs.active).toBe(0);
    expect(await quick.drain(5)).toEqual({ finished: 0, cancelled: 0 });
  });
});

describe('createRunManager: a store that does not keep up', () => {
  it('still resolves done from the run itself when the store never acknowledges', async () => {
    const store = new (class extends MemoryEventStore {
      override append(): Promise<void> {
        return new Promise(() => {});
      }
    })();
    // Not closed afterwards: closing the telemetry would wait for the store forever.
    const { runs } = createHarness({
      store,
      fallback: textResponse('unstored'),
      manager: { flushTimeoutMs: 5 },
    });

    const { done } = await runs.start({ agent: 'assistant', input: 'Hi', principal: acme });
    const record = await done;

    expect(record).toMatchObject({ status: 'completed', output: 'unstored', eventCount: 0 });
  });

  it('records a failure from the run when reading the store fails', async () => {
    const store = new (class extends MemoryEventStore {
      override async getRun(): Promise<never> {
        throw new Error('store down');
      }
    })();
    const failure = new ModelError('MODEL_AUTH', 'Bad key.', { provider: 'scripted', modelId: 'm' });
    const { runs } = harness({ store, script: [failure] });

    const { done } = await runs.start({ agent: 'assistant', input: 'Hi', principal: acme });

    expect(await done).toMatchObject({
      status: 'failed',
      errorCode: 'MODEL_AUTH',
      error: { code: 'MODEL_AUTH' },
    });
  });
});
