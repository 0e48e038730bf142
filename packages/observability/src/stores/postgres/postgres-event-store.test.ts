import { AgentError, type AgentEvent, MemoryEventStore, ValidationError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { completed, failed, responded, started, step } from './__fixtures__/agent-events.js';
import { useTestDatabase } from './__fixtures__/test-database.js';

// Appending and reading; listing and pruning are in postgres-event-store.list-prune.test.ts.

const database = useTestDatabase('event_store_append');

async function createStore() {
  return database.openStore({ schema: await database.freshSchema() });
}

describe('PostgresEventStore: append and read', () => {
  it('returns a run’s events in seq order, from fromSeq, at most limit', async () => {
    const store = await createStore();
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

  it('returns every field of an event as it was appended, nested payloads and tenant included', async () => {
    const store = await createStore();
    const event = {
      ...responded('run-1', 0, { inputTokens: 3, outputTokens: 4, cacheReadTokens: 1 }),
      tenant: 'acme',
      timestamp: 1_700_000_000_123.5,
      message: { role: 'assistant', content: 'héllo "quoted" \\ back\\u0000slash 😀' },
    } as AgentEvent;

    await store.append([event]);

    expect(await store.readRun('run-1')).toEqual([event]);
  });

  it('ignores events re-appended with a seq it already has', async () => {
    const store = await createStore();
    const batch = [started('run-1'), step('run-1', 1)];
    await store.append(batch);

    await store.append(batch);
    await store.append([step('run-1', 1), step('run-1', 2)]);

    expect((await store.readRun('run-1')).map((event) => event.seq)).toEqual([0, 1, 2]);
    expect((await store.getRun('run-1'))?.eventCount).toBe(3);
  });

  it('ignores an event older than the newest stored one, even one that would fill a gap', async () => {
    const store = await createStore();
    await store.append([started('run-1'), step('run-1', 3)]);

    await store.append([step('run-1', 2)]);

    expect((await store.readRun('run-1')).map((event) => event.seq)).toEqual([0, 3]);
    expect(await store.getRun('run-1')).toMatchObject({ eventCount: 2, missingEvents: 2 });
  });

  it('keeps a summary of each run up to date as events arrive', async () => {
    const store = await createStore();
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
    expect(await store.getRun('unknown')).toBeUndefined();
  });

  it('derives the same summaries as MemoryEventStore from the same appends', async () => {
    const store = await createStore();
    const memory = new MemoryEventStore();
    const batches: AgentEvent[][] = [
      [started('a', 1_000, 'researcher', 'acme'), responded('a', 1, { inputTokens: 2, outputTokens: 1 })],
      [started('b', 1_100), step('b', 4)],
      [step('a', 1), completed('a', 2, 3_000, { inputTokens: 9, outputTokens: 9 })],
      [failed('b', 6), completed('b', 7)],
      [step('c', 2), responded('c', 3, { inputTokens: 1, outputTokens: 1, cacheWriteTokens: 4 })],
    ];

    for (const batch of batches) {
      await store.append(batch);
      await memory.append(batch);
    }

    for (const runId of ['a', 'b', 'c']) {
      expect(await store.getRun(runId)).toEqual(await memory.getRun(runId));
      expect(await store.readRun(runId)).toEqual(await memory.readRun(runId));
    }
  });

  it('records the error code of a failed run and keeps the first terminal state', async () => {
    const store = await createStore();

    await store.append([started('run-1'), failed('run-1', 1), completed('run-1', 2, 9_000)]);

    expect(await store.getRun('run-1')).toMatchObject({
      status: 'failed',
      errorCode: 'MODEL_TIMEOUT',
      endedAt: 2_000,
      eventCount: 3,
    });
  });

  it('stores events after a gap and counts the missing ones, so a dropped event never costs the run its outcome', async () => {
    const store = await createStore();
    await store.append([started('run-1'), step('run-1', 1)]);

    await store.append([step('run-1', 4), completed('run-1', 5)]);

    expect(await store.getRun('run-1')).toMatchObject({
      status: 'completed',
      missingEvents: 2,
      eventCount: 4,
    });
    expect((await store.readRun('run-1')).map((event) => event.seq)).toEqual([0, 1, 4, 5]);
    expect((await store.readRun('run-1', { fromSeq: 2 })).map((event) => event.seq)).toEqual([4, 5]);
  });

  it('stores a run whose first events were lost, counting them as missing', async () => {
    const store = await createStore();

    await store.append([step('run-1', 3)]);

    expect(await store.getRun('run-1')).toMatchObject({
      status: 'running',
      missingEvents: 3,
      startedAt: 1_000,
    });
  });

  it('leaves missingEvents out of a run that lost nothing', async () => {
    const store = await createStore();

    await store.append([started('run-1'), completed('run-1', 1)]);

    expect(await store.getRun('run-1')).not.toHaveProperty('missingEvents');
  });

  it('resolves an empty append without writing anything', async () => {
    const store = await createStore();

    await store.append([]);

    expect((await store.listRuns()).runs).toEqual([]);
  });

  it('keeps events across store instances on the same schema', async () => {
    const schema = await database.freshSchema();
    const first = database.openStore({ schema });
    await first.append([started('run-1'), completed('run-1', 1)]);
    await first.close();

    const second = database.openStore({ schema });

    expect(await second.getRun('run-1')).toMatchObject({ status: 'completed', eventCount: 2 });
    expect(await second.readRun('run-1')).toHaveLength(2);
  });
});

describe('PostgresEventStore: failure paths', () => {
  it('stores nothing from a batch with a malformed event anywhere in it', async () => {
    const store = await createStore();

    await expect(
      store.append([started('run-1'), step('run-1', 1), { ...step('run-1', 2), seq: -3 }]),
    ).rejects.toThrow(ValidationError);

    expect(await store.getRun('run-1')).toBeUndefined();
    expect(await store.readRun('run-1')).toEqual([]);
  });

  it('rejects an event with a negative or fractional seq, or an empty runId', async () => {
    const store = await createStore();

    await expect(store.append([{ ...started('run-1'), seq: -1 }])).rejects.toThrow(/invalid runId or seq/);
    await expect(store.append([{ ...started('run-1'), seq: 0.5 }])).rejects.toThrow(ValidationError);
    await expect(store.append([started('')])).rejects.toThrow(/invalid runId or seq/);
  });

  it.each([
    ['a missing type', { type: undefined }, /type is not a non-empty string/],
    ['a text timestamp', { timestamp: '2024-01-01' }, /timestamp is not a number/],
    ['a missing agent', { agent: undefined }, /agent is not a string/],
    ['a numeric tenant', { tenant: 7 }, /tenant is neither a string nor undefined/],
    ['a BigInt in its payload', { input: 10n }, /not serialisable as JSON/],
    ['a NUL character', { input: 'a\u0000b' }, /NUL character/],
    ['an unpaired surrogate', { input: 'a\ud800b' }, /unpaired surrogate/],
  ])('rejects an event with %s, naming the problem, and stores nothing', async (_name, change, message) => {
    const store = await createStore();

    await expect(store.append([{ ...started('run-1'), ...change } as AgentEvent])).rejects.toThrow(message);

    expect(await store.getRun('run-1')).toBeUndefined();
  });

  it('rejects a runId PostgreSQL cannot store', async () => {
    const store = await createStore();

    await expect(store.append([started('run\u0000-1')])).rejects.toThrow(ValidationError);
  });

  it('rejects an event that cannot be summarised with a ValidationError, storing nothing of its append', async () => {
    const store = await createStore();
    const noUsage = { ...responded('run-1', 1, { inputTokens: 1, outputTokens: 1 }), usage: undefined };

    await expect(store.append([started('run-1'), noUsage as unknown as AgentEvent])).rejects.toThrow(
      /could not be summarised/,
    );

    expect(await store.getRun('run-1')).toBeUndefined();
    expect(await store.readRun('run-1')).toEqual([]);
  });

  it.each([
    ['characters outside base64url', 'not a cursor!'],
    ['base64url that is not JSON', 'bm90IGpzb24'],
    ['JSON without a runId', Buffer.from('{"startedAt":1}').toString('base64url')],
  ])('rejects a cursor made of %s with a ValidationError', async (_name, cursor) => {
    const store = await createStore();

    await expect(store.listRuns({ cursor })).rejects.toThrow(/was not made by listRuns/);
  });

  it('rejects a listRuns limit below 1 with a ValidationError', async () => {
    const store = await createStore();

    await expect(store.listRuns({ limit: 0 })).rejects.toThrow(ValidationError);
    await expect(store.listRuns({ limit: 0 })).rejects.toThrow(/listRuns limit/);
  });

  it('rejects a negative readRun fromSeq or a zero limit with a ValidationError', async () => {
    const store = await createStore();

    await expect(store.readRun('run-1', { fromSeq: -1 })).rejects.toThrow(/fromSeq/);
    await expect(store.readRun('run-1', { limit: 0 })).rejects.toThrow(/readRun limit/);
  });

  it('rejects a prune policy with a negative age or run count', async () => {
    const store = await createStore();

    await expect(store.prune({ maxAgeMs: -1 })).rejects.toThrow(/maxAgeMs/);
    await expect(store.prune({ maxAgeMs: Number.NaN })).rejects.toThrow(ValidationError);
    await expect(store.prune({ maxRuns: -1 })).rejects.toThrow(/maxRuns/);
  });

  it('rejects every call after close with an error that says the store is closed', async () => {
    const store = await createStore();
    await store.close();
    await store.close();

    const calls = [
      store.append([started('run-1')]),
      store.readRun('run-1'),
      store.getRun('run-1'),
      store.listRuns(),
      store.prune({ maxRuns: 1 }),
    ];

    await expect(calls[0]).rejects.toThrow(/append\(\) was called after close\(\)/);
    for (const call of calls) {
      await expect(call).rejects.toThrow(AgentError);
      await expect(call).rejects.toMatchObject({ code: 'INTERNAL' });
    }
  });
});
