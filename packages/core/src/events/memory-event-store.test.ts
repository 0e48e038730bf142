import { describe, expect, it } from 'vitest';
import { ConfigError, ValidationError } from '../errors/errors.js';
import { completed, failed, responded, started, step } from './__fixtures__/agent-events.js';
import { MemoryEventStore, type MemoryEventStoreOptions } from './memory-event-store.js';

function createStore(options: MemoryEventStoreOptions = {}) {
  const clock = { time: 10_000, now: () => clock.time };
  return { store: new MemoryEventStore({ clock, ...options }), clock };
}

describe('MemoryEventStore: failure paths', () => {
  it.each([
    ['maxRuns', { maxRuns: 0 }],
    ['maxEventsPerRun', { maxEventsPerRun: 1.5 }],
  ])('rejects a %s that is not a positive integer with a ConfigError naming it', (name, options) => {
    expect(() => new MemoryEventStore(options)).toThrow(ConfigError);
    expect(() => new MemoryEventStore(options)).toThrow(name);
  });

  it('stores events after a gap and counts the missing ones, so a dropped event never costs the run its outcome', async () => {
    const { store } = createStore();
    await store.append([started('run-1'), step('run-1', 1)]);

    await store.append([step('run-1', 4), completed('run-1', 5)]);

    expect(await store.getRun('run-1')).toMatchObject({
      status: 'completed',
      missingEvents: 2,
      eventCount: 4,
    });
    expect((await store.readRun('run-1')).map((event) => event.seq)).toEqual([0, 1, 4, 5]);
  });

  it('stores a run whose first events were lost, counting them as missing', async () => {
    const { store } = createStore();

    await store.append([step('run-1', 3)]);

    expect(await store.getRun('run-1')).toMatchObject({ status: 'running', missingEvents: 3 });
  });

  it('leaves missingEvents out of a run that lost nothing', async () => {
    const { store } = createStore();

    await store.append([started('run-1'), completed('run-1', 1)]);

    expect(await store.getRun('run-1')).not.toHaveProperty('missingEvents');
  });

  it('stores nothing from a batch with a malformed event anywhere in it', async () => {
    const { store } = createStore();

    await expect(
      store.append([started('run-1'), step('run-1', 1), { ...step('run-1', 2), seq: -3 }]),
    ).rejects.toThrow(ValidationError);

    expect(await store.getRun('run-1')).toBeUndefined();
  });

  it('rejects an event with a negative or fractional seq', async () => {
    const { store } = createStore();

    await expect(store.append([{ ...started('run-1'), seq: -1 }])).rejects.toThrow(/invalid runId or seq/);
    await expect(store.append([{ ...started('run-1'), seq: 0.5 }])).rejects.toThrow(ValidationError);
  });

  it.each([
    ['characters outside base64url', 'not a cursor!'],
    ['base64url that is not JSON', 'bm90IGpzb24'],
    ['JSON null', Buffer.from('null').toString('base64url')],
    ['JSON with a text startedAt', Buffer.from('{"startedAt":"1","runId":"x"}').toString('base64url')],
    ['JSON without a runId', Buffer.from('{"startedAt":1}').toString('base64url')],
    ['bytes that are not UTF-8', Buffer.from([0xff, 0xfe]).toString('base64url')],
  ])('rejects a cursor made of %s with a ValidationError', async (_name, cursor) => {
    await expect(createStore().store.listRuns({ cursor })).rejects.toThrow(/was not made by listRuns/);
  });

  it('rejects a listRuns limit below 1 with a ValidationError', async () => {
    await expect(createStore().store.listRuns({ limit: 0 })).rejects.toThrow(/listRuns limit/);
  });

  it('rejects a negative readRun fromSeq or a zero limit with a ValidationError', async () => {
    const { store } = createStore();

    await expect(store.readRun('run-1', { fromSeq: -1 })).rejects.toThrow(/fromSeq/);
    await expect(store.readRun('run-1', { limit: 0 })).rejects.toThrow(/readRun limit/);
  });

  it('rejects a prune policy with a negative age or run count', async () => {
    const { store } = createStore();

    await expect(store.prune({ maxAgeMs: -1 })).rejects.toThrow(/maxAgeMs/);
    await expect(store.prune({ maxRuns: -1 })).rejects.toThrow(/maxRuns/);
  });

  it('rejects every call after close with an error that says the store is closed', async () => {
    const { store } = createStore();
    await store.close();
    await store.close();

    await expect(store.append([started('run-1')])).rejects.toThrow(/append\(\) was called after close\(\)/);
    await expect(store.readRun('run-1')).rejects.toThrow(/closed|close\(\)/);
    await expect(store.getRun('run-1')).rejects.toThrow(/close\(\)/);
    await expect(store.listRuns()).rejects.toThrow(/close\(\)/);
    await expect(store.prune({ maxRuns: 1 })).rejects.toThrow(/close\(\)/);
  });
});

describe('MemoryEventStore: append and read', () => {
  it('returns a run’s events in seq order, from fromSeq, at most limit', async () => {
    const { store } = createStore();
    await store.append([started('run-1'), step('run-1', 1), step('run-1', 2), step('run-1', 3)]);

    expect(await store.readRun('run-1')).toEqual([
      started('run-1'),
      step('run-1', 1),
      step('run-1', 2),
      step('run-1', 3),
    ]);
    expect(await store.readRun('run-1', { fromSeq: 1, limit: 2 })).toEqual([
      step('run-1', 1),
      step('run-1', 2),
    ]);
    expect(await store.readRun('unknown')).toEqual([]);
  });

  it('ignores events re-appended with a seq it already has', async () => {
    const { store } = createStore();
    const batch = [started('run-1'), step('run-1', 1)];
    await store.append(batch);

    await store.append(batch);
    await store.append([step('run-1', 1), step('run-1', 2)]);

    expect((await store.readRun('run-1')).map((event) => event.seq)).toEqual([0, 1, 2]);
    expect((await store.getRun('run-1'))?.eventCount).toBe(3);
  });

  it('keeps a summary of each run up to date as events arrive', async () => {
    const { store } = createStore();
    await store.append([
      started('run-1', 1_000, 'researcher', 'acme'),
      responded('run-1', 1, { inputTokens: 10, outputTokens: 2 }),
    ]);
    await store.append([
      responded('run-1', 2, { inputTokens: 5, outputTokens: 1 }),
      completed('run-1', 3, 1_500, { inputTokens: 15, outputTokens: 3 }),
    ]);

    expect(await store.getRun('run-1')).toEqual({
      runId: 'run-1',
      agent: 'researcher',
      tenant: 'acme',
      status: 'completed',
      startedAt: 1_000,
      endedAt: 1_500,
      usage: { inputTokens: 15, outputTokens: 3 },
      eventCount: 4,
    });
  });

  it('takes the final usage from the terminal event, which stays right when a model event was lost', async () => {
    const { store } = createStore();

    await store.append([
      started('run-1'),
      completed('run-1', 1, 2_000, { inputTokens: 40, outputTokens: 9 }),
    ]);

    expect((await store.getRun('run-1'))?.usage).toEqual({ inputTokens: 40, outputTokens: 9 });
  });

  it('records the error code of a failed run', async () => {
    const { store } = createStore();

    await store.append([started('run-1'), failed('run-1', 1)]);

    expect(await store.getRun('run-1')).toMatchObject({ status: 'failed', errorCode: 'MODEL_TIMEOUT' });
  });

  it('drops and counts events past maxEventsPerRun, but still counts their usage', async () => {
    const { store } = createStore({ maxEventsPerRun: 2 });

    await store.append([
      started('run-1'),
      step('run-1', 1),
      responded('run-1', 2, { inputTokens: 7, outputTokens: 3 }),
      step('run-1', 3),
    ]);

    expect((await store.readRun('run-1')).map((event) => event.seq)).toEqual([0, 1]);
    expect(await store.getRun('run-1')).toMatchObject({
      eventCount: 2,
      usage: { inputTokens: 7, outputTokens: 3 },
    });
    expect(store.stats()).toMatchObject({ events: 2, droppedEvents: 2 });
  });

  it('stores the terminal event even past maxEventsPerRun', async () => {
    const { store } = createStore({ maxEventsPerRun: 2 });
    await store.append([started('run-1'), step('run-1', 1), step('run-1', 2)]);

    await store.append([completed('run-1', 3), completed('run-1', 4)]);

    expect((await store.readRun('run-1', { fromSeq: 2 })).map((event) => event.type)).toEqual([
      'run.completed',
    ]);
    expect(await store.getRun('run-1')).toMatchObject({ status: 'completed', eventCount: 3 });
  });

  it('forgets the oldest runs past maxRuns', async () => {
    const { store } = createStore({ maxRuns: 2 });

    await store.append([started('run-1'), started('run-2'), step('run-1', 1), started('run-3')]);

    expect(await store.getRun('run-1')).toBeUndefined();
    expect((await store.listRuns()).runs.map((run) => run.runId)).toEqual(['run-3', 'run-2']);
    expect(store.stats()).toMatchObject({ runs: 2, evictedRuns: 1 });
  });

  it('returns copies of summaries', async () => {
    const { store } = createStore();
    await store.append([started('run-1')]);

    const summary = await store.getRun('run-1');
    if (summary) summary.usage.inputTokens = 99;

    expect((await store.getRun('run-1'))?.usage.inputTokens).toBe(0);
  });
});
