import type { AgentEvent } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { completed, responded, started } from './__fixtures__/agent-events.js';
import { useTestDatabase } from './__fixtures__/test-database.js';
import type { PostgresEventStore } from './postgres-event-store.js';

// Several stores (replicas) on one schema at once.

const database = useTestDatabase('event_store_replicas');

/** A run of `length` events: started, model responses of one input token each, completed. */
function runOf(runId: string, length: number): AgentEvent[] {
  return Array.from({ length }, (_, seq) => {
    if (seq === 0) return started(runId);
    if (seq === length - 1) return completed(runId, seq, 2_000, { inputTokens: length - 2, outputTokens: 0 });
    return responded(runId, seq, { inputTokens: 1, outputTokens: 0 });
  });
}

/** Appends `events` in consecutive chunks of `size`, each after the previous resolved. */
async function appendInChunks(store: PostgresEventStore, events: AgentEvent[], size: number) {
  for (let start = 0; start < events.length; start += size)
    await store.append(events.slice(start, start + size));
}

describe('PostgresEventStore: replicas', () => {
  it('stores a run exactly once when two replicas send it concurrently in different chunks', async () => {
    const schema = await database.freshSchema();
    const [first, second] = [database.openStore({ schema }), database.openStore({ schema })];
    const events = runOf('shared', 60);

    await Promise.all([appendInChunks(first, events, 3), appendInChunks(second, events, 7)]);

    expect((await first.readRun('shared')).map((event) => event.seq)).toEqual(
      events.map((event) => event.seq),
    );
    expect(await second.getRun('shared')).toEqual({
      runId: 'shared',
      agent: 'assistant',
      status: 'completed',
      startedAt: 1_000,
      endedAt: 2_000,
      usage: { inputTokens: 58, outputTokens: 0 },
      eventCount: 60,
    });
  });

  it('keeps summary and events consistent when two replicas append interleaved events of one run', async () => {
    const schema = await database.freshSchema();
    const [first, second] = [database.openStore({ schema }), database.openStore({ schema })];
    const events = runOf('interleaved', 40);
    const send = async (store: PostgresEventStore, parity: number) => {
      for (const event of events) if (event.seq % 2 === parity) await store.append([event]);
    };

    await Promise.all([send(first, 0), send(second, 1)]);

    // Which of the two gets in first at each step is up to the scheduler; an event that arrives
    // after a later one is counted as missing. Whatever the interleaving, the books must balance.
    const stored = await first.readRun('interleaved');
    const summary = await first.getRun('interleaved');
    const seqs = stored.map((event) => event.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(seqs.at(-1)).toBe(39);
    expect(summary?.status).toBe('completed');
    expect(summary?.eventCount).toBe(stored.length);
    expect(stored.length + (summary?.missingEvents ?? 0)).toBe(40);
  });

  it('does not deadlock when replicas append to the same runs in opposite orders', async () => {
    const schema = await database.freshSchema();
    const [first, second] = [database.openStore({ schema }), database.openStore({ schema })];
    const runIds = Array.from({ length: 12 }, (_, index) => `run-${index}`);
    const round = (ids: string[], seq: number) =>
      ids.map((runId) =>
        seq === 0 ? started(runId) : responded(runId, seq, { inputTokens: 1, outputTokens: 0 }),
      );
    const send = async (store: PostgresEventStore, ids: string[]) => {
      for (let seq = 0; seq < 15; seq++) await store.append(round(ids, seq));
    };

    await Promise.all([send(first, runIds), send(second, [...runIds].reverse())]);

    for (const runId of runIds) {
      expect(await first.getRun(runId)).toMatchObject({ eventCount: 15, usage: { inputTokens: 14 } });
    }
  });

  it('migrates once when three replicas start on a new schema at the same time', async () => {
    const schema = database.schemaName();
    const stores = [0, 1, 2].map(() => database.openStore({ schema }));

    await Promise.all(stores.map((store, index) => store.append([started(`run-${index}`)])));

    const versions = await database.admin.query(`SELECT version FROM "${schema}".event_store_schema_version`);
    expect(versions.rows).toEqual([{ version: 1 }]);
    for (const store of stores) expect((await store.listRuns()).runs).toHaveLength(3);
  });
});
