import { AgentError, type AgentEvent, ConfigError, type EventStore, MemoryEventStore } from '@agent/core';
import { describe, expect, it } from 'vitest';
import type { Redactor } from '../redact/redactor.js';
import { makeEvent, makeRun, stubRedactor, tick } from './__fixtures__/events.js';
import { TestStore } from './__fixtures__/test-store.js';
import { createStoreSink, type StoreSinkOptions } from './store-sink.js';

/** A sleep that records the waits and returns at once. */
function fakeSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

function setup(store: EventStore, options: StoreSinkOptions = {}) {
  const errors: unknown[] = [];
  const drops: number[] = [];
  const { waits, sleep } = fakeSleep();
  const sink = createStoreSink(store, {
    sleep,
    onError: (error) => errors.push(error),
    onDrop: (count) => drops.push(count),
    ...options,
  });
  return { sink, errors, drops, waits };
}

const seqs = (events: readonly AgentEvent[]): number[] => events.map((event) => event.seq);

describe('StoreSink: batching and order', () => {
  it('sends a synchronous burst in batches of at most maxBatchEvents', async () => {
    const store = new TestStore();
    const { sink } = setup(store);
    const events = makeRun('r-1', 1000);

    for (const event of events) sink.handle(event);
    await sink.flush();

    expect(store.batches.map((batch) => batch.length)).toEqual([256, 256, 256, 232]);
    expect(await store.readRun('r-1')).toEqual(events);
    expect(sink.stats()).toEqual({ appended: 1000, dropped: 0, pending: 0, failedAppends: 0 });
  });

  it('keeps one append in flight and sends what arrived meanwhile as the next batch', async () => {
    const store = new TestStore().hold();
    const { sink } = setup(store);
    const events = makeRun('r-1', 101);

    sink.handle(events[0] as AgentEvent);
    await tick();
    for (const event of events.slice(1)) sink.handle(event);
    await tick();

    expect(store.batches.map((batch) => batch.length)).toEqual([1]);
    expect(sink.stats().pending).toBe(101);

    store.release();
    await sink.flush();

    expect(store.batches.map((batch) => batch.length)).toEqual([1, 100]);
    expect(store.maxRunning).toBe(1);
    expect(await store.readRun('r-1')).toEqual(events);
  });

  it('sends a lone event at once, without waiting to fill a batch', async () => {
    const store = new TestStore();
    const { sink } = setup(store);

    sink.handle(makeEvent('run.started'));
    await tick();

    expect(store.batches).toEqual([[makeEvent('run.started')]]);
  });

  it('keeps each run in order when runs interleave', async () => {
    const store = new TestStore();
    const { sink } = setup(store, { maxBatchEvents: 7 });
    const runs = [makeRun('a', 30), makeRun('b', 25), makeRun('c', 40)];
    const longest = Math.max(...runs.map((run) => run.length));

    for (let index = 0; index < longest; index++) {
      for (const run of runs) if (run[index]) sink.handle(run[index] as AgentEvent);
      if (index % 9 === 0) await tick();
    }
    await sink.flush();

    for (const run of runs) expect(await store.readRun(run[0]?.runId as string)).toEqual(run);
    expect(Math.max(...store.batches.map((batch) => batch.length))).toBeLessThanOrEqual(7);
  });

  it('stores redacted events when given a redactor, leaving the originals untouched', async () => {
    const store = new TestStore();
    const { sink } = setup(store, { redactor: stubRedactor });
    const started = makeEvent('run.started');

    sink.handle(started);
    sink.handle(makeEvent('tool.called', { seq: 1 }));
    await sink.flush();

    const stored = await store.readRun('run-1');
    expect(stored[0]).toMatchObject({ input: 'hello [REDACTED:email]' });
    expect(stored[1]).toMatchObject({ toolCall: { arguments: { text: '[REDACTED] words' } } });
    expect(started.input).toBe('hello alice@example.com');
  });

  it('drops and reports an event the redactor throws on, rather than storing it unredacted', async () => {
    const store = new TestStore();
    const throwing: Redactor = {
      enabled: true,
      redactString: (text) => text,
      redact: <T>(value: T): T => {
        if ((value as AgentEvent).seq === 1) throw new Error('redactor broke');
        return value;
      },
    };
    const { sink, errors, drops } = setup(store, { redactor: throwing });

    for (const event of makeRun('r', 3)) sink.handle(event);
    await sink.flush();

    expect(seqs(await store.readRun('r'))).toEqual([0, 2]);
    expect(drops).toEqual([1]);
    expect((errors[0] as Error).message).toMatch(
      /dropped event step.started \(run r, seq 1\): the redactor threw/,
    );
  });

  it('skips a redactor that is switched off, and sends nothing for a batch whose events all failed redaction', async () => {
    const store = new TestStore();
    const off: Redactor = { enabled: false, redactString: (text) => text, redact: () => ({}) as never };
    const { sink } = setup(store, { redactor: off });
    const broken: Redactor = {
      enabled: true,
      redactString: (text) => text,
      redact: () => {
        throw new Error('no');
      },
    };
    const other = setup(new TestStore(), { redactor: broken });

    sink.handle(makeEvent('run.started'));
    other.sink.handle(makeEvent('run.started'));
    await Promise.all([sink.flush(), other.sink.flush()]);

    expect(await store.readRun('run-1')).toEqual([makeEvent('run.started')]);
    expect(other.sink.stats()).toMatchObject({ appended: 0, dropped: 1, pending: 0 });
  });
});

describe('StoreSink: failures and retries', () => {
  it('retries a failed append with exponential backoff and then stores the batch', async () => {
    const store = new TestStore().failNext(2);
    const { sink, errors, waits } = setup(store);
    const events = makeRun('r', 4);

    for (const event of events) sink.handle(event);
    await sink.flush();

    expect(waits).toEqual([100, 200]);
    expect(store.batches).toHaveLength(3);
    expect(await store.readRun('r')).toEqual(events);
    expect(sink.stats()).toEqual({ appended: 4, dropped: 0, pending: 0, failedAppends: 2 });
    expect(errors).toEqual([]);
  });

  it('caps the backoff at maxDelayMs', async () => {
    const store = new TestStore().failNext(5);
    const { sink, waits } = setup(store, { retry: { attempts: 6, initialDelayMs: 100, maxDelayMs: 300 } });

    sink.handle(makeEvent('run.started'));
    await sink.flush();

    expect(waits).toEqual([100, 200, 300, 300, 300]);
    expect(sink.stats().appended).toBe(1);
  });

  it('drops, counts and reports a batch once its attempts are used up, then goes on with the next', async () => {
    const cause = new Error('database is down');
    const store = new TestStore().failNext(3, cause);
    const { sink, errors, drops, waits } = setup(store, { retry: { attempts: 3 } });
    const first = makeRun('lost', 3);

    for (const event of first) sink.handle(event);
    await sink.flush();
    sink.handle(makeEvent('run.started', { runId: 'kept' }));
    await sink.flush();

    expect(waits).toEqual([100, 200]);
    expect(sink.stats()).toEqual({ appended: 1, dropped: 3, pending: 0, failedAppends: 3 });
    expect(drops).toEqual([3]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(AgentError);
    expect((errors[0] as AgentError).cause).toBe(cause);
    expect((errors[0] as AgentError).message).toMatch(
      /dropped 3 event\(s\) after 3 failed append attempt\(s\): database is down/,
    );
    expect((errors[0] as AgentError).details).toMatchObject({ runIds: ['lost'], attempts: 3 });
    expect(await store.getRun('lost')).toBeUndefined();
    expect(await store.readRun('kept')).toHaveLength(1);
  });

  it('retries an append that throws synchronously, and a failing sleep only shortens the wait', async () => {
    let calls = 0;
    const inner = new MemoryEventStore();
    const store = {
      append(events: readonly AgentEvent[]) {
        calls++;
        if (calls === 1) throw 'sync failure';
        return inner.append(events);
      },
    } as unknown as EventStore;
    const sink = createStoreSink(store, {
      sleep: () => Promise.reject(new Error('timer broke')),
    });

    sink.handle(makeEvent('run.started'));
    await sink.flush();

    expect(calls).toBe(2);
    expect(sink.stats()).toMatchObject({ appended: 1, failedAppends: 1 });
  });

  it('reports a non-Error rejection by its string form', async () => {
    const store = new TestStore().failNext(1, 'plain string');
    const { sink, errors } = setup(store, { retry: { attempts: 1 } });

    sink.handle(makeEvent('run.started'));
    await sink.flush();

    expect((errors[0] as Error).message).toMatch(/attempt\(s\): plain string\./);
  });
});

describe('StoreSink: bounded buffer', () => {
  it('drops the oldest non-terminal events past maxBufferedEvents and keeps the terminal one', async () => {
    const store = new TestStore().hold();
    const { sink, drops } = setup(store, { maxBufferedEvents: 5 });
    const run = makeRun('r', 20);

    sink.handle(run[0] as AgentEvent);
    await tick();
    for (const event of run.slice(1)) sink.handle(event);

    expect(sink.stats()).toMatchObject({ pending: 6, dropped: 14 });
    store.release();
    await sink.flush();

    expect(seqs(await store.readRun('r'))).toEqual([0, 15, 16, 17, 18, 19]);
    expect(await store.getRun('r')).toMatchObject({ status: 'completed', missingEvents: 14 });
    expect(drops.reduce((sum, count) => sum + count, 0)).toBe(14);
  });

  it('keeps a terminal event that arrived early while later non-terminal events pile up', async () => {
    const store = new TestStore().hold();
    const { sink } = setup(store, { maxBufferedEvents: 3 });
    const finished = makeRun('done', 2);
    const busy = makeRun('busy', 12).slice(0, -1);

    sink.handle(makeEvent('run.started', { runId: 'first' }));
    await tick();
    for (const event of [...finished, ...busy]) sink.handle(event);
    store.release();
    await sink.flush();

    expect(seqs(await store.readRun('done'))).toEqual([1]);
    expect(await store.getRun('done')).toMatchObject({ status: 'completed' });
    expect(seqs(await store.readRun('busy'))).toEqual([9, 10]);
  });

  it('drops the oldest terminal event only when the buffer holds nothing else', async () => {
    const store = new TestStore().hold();
    const { sink } = setup(store, { maxBufferedEvents: 2 });
    const ends = ['a', 'b', 'c', 'd'].map((runId) => makeEvent('run.completed', { runId, seq: 0 }));

    sink.handle(makeEvent('run.started', { runId: 'first' }));
    await tick();
    for (const event of ends) sink.handle(event);
    store.release();
    await sink.flush();

    expect(sink.stats()).toMatchObject({ appended: 3, dropped: 2 });
    expect((await store.listRuns()).runs.map((run) => run.runId).sort()).toEqual(['c', 'd', 'first']);
  });

  it('stays bounded while the store is stalled and 100k events arrive', async () => {
    const store = new TestStore().hold();
    const { sink } = setup(store, { maxBufferedEvents: 1000 });
    sink.handle(makeEvent('run.started', { runId: 'big', seq: 0 }));
    await tick();

    for (let seq = 1; seq < 100_000; seq++) sink.handle(makeEvent('step.started', { runId: 'big', seq }));
    sink.handle(makeEvent('run.completed', { runId: 'big', seq: 100_000 }));

    expect(sink.stats()).toMatchObject({ pending: 1001, dropped: 99_000 });
    store.release();
    await sink.flush();
    const stored = await store.readRun('big');
    expect(stored).toHaveLength(1001);
    expect(seqs(stored).slice(-2)).toEqual([99_999, 100_000]);
    expect(store.batches.length).toBe(5);
  });
});

describe('StoreSink: flush and close', () => {
  it('resolves flush at once when nothing is pending', async () => {
    const { sink } = setup(new TestStore());

    await expect(sink.flush()).resolves.toBeUndefined();
  });

  it('resolves flush only once the store has the events', async () => {
    const store = new TestStore().hold();
    const { sink } = setup(store);
    let flushed = false;

    for (const event of makeRun('r', 3)) sink.handle(event);
    const flushing = sink.flush().then(() => {
      flushed = true;
    });
    await tick();
    await tick();

    expect(flushed).toBe(false);
    store.release();
    await flushing;
    expect(await store.readRun('r')).toHaveLength(3);
  });

  it('resolves flush for what was handled before it, even while newer events keep it busy', async () => {
    const store = new TestStore().hold();
    const { sink } = setup(store, { maxBatchEvents: 2 });
    let flushed = false;
    sink.handle(makeEvent('run.started', { seq: 0 }));
    await tick();
    const flushing = sink.flush().then(() => {
      flushed = true;
    });
    sink.handle(makeEvent('step.started', { seq: 1 }));
    sink.handle(makeEvent('step.started', { seq: 2 }));
    sink.handle(makeEvent('step.started', { seq: 3 }));

    const pending = store.batches.length;
    store.release();
    store.hold();
    await flushing;

    expect(pending).toBe(1);
    expect(flushed).toBe(true);
    expect(sink.stats().appended).toBe(1);
    store.release();
    await sink.flush();
    expect(sink.stats().appended).toBe(4);
  });

  it('resolves flush once a failing batch is given up', async () => {
    const store = new TestStore().failNext(5);
    const { sink, errors } = setup(store);

    sink.handle(makeEvent('run.started'));
    await sink.flush();

    expect(errors).toHaveLength(1);
    expect(sink.stats()).toMatchObject({ pending: 0, dropped: 1, failedAppends: 5 });
  });

  it('close flushes, leaves the store open, drops later events, and is idempotent', async () => {
    const store = new TestStore();
    const { sink, drops } = setup(store);
    for (const event of makeRun('r', 3)) sink.handle(event);

    await sink.close();
    sink.handle(makeEvent('run.started', { runId: 'late' }));
    await sink.close();

    expect(await store.readRun('r')).toHaveLength(3);
    expect(await store.getRun('late')).toBeUndefined();
    expect(drops).toEqual([1]);
  });

  it('rejects bad options with a ConfigError that says what to pass', () => {
    const store = new MemoryEventStore();

    expect(() => createStoreSink(undefined as unknown as EventStore)).toThrow(/needs an EventStore/);
    expect(() => createStoreSink(store, { maxBatchEvents: 0 })).toThrow(ConfigError);
    expect(() => createStoreSink(store, { maxBufferedEvents: -5 })).toThrow(
      /"maxBufferedEvents" must be an integer >= 1/,
    );
    expect(() => createStoreSink(store, { retry: 3 as unknown as object })).toThrow(
      /"retry" must be an object/,
    );
    expect(() => createStoreSink(store, { retry: { attempts: 0 } })).toThrow(/"retry.attempts"/);
    expect(() => createStoreSink(store, { retry: { initialDelayMs: -1 } })).toThrow(
      /"retry.initialDelayMs" must be an integer >= 0/,
    );
    expect(() => createStoreSink(store, { sleep: 5 as unknown as StoreSinkOptions['sleep'] })).toThrow(
      /"sleep" must be a function/,
    );
  });
});
