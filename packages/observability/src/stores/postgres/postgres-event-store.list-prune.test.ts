import type { AgentEvent } from '@agent/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { completed, failed, started } from './__fixtures__/agent-events.js';
import { manualClock, type TestStoreOptions, useTestDatabase } from './__fixtures__/test-database.js';
import type { PostgresEventStore } from './postgres-event-store.js';

// Listing and pruning runs, and periodic retention; appending and reading is in postgres-event-store.test.ts.

const database = useTestDatabase('event_store_list');

async function createStore(options: Omit<TestStoreOptions, 'schema'> = {}) {
  const clock = manualClock();
  const schema = await database.freshSchema();
  return { store: database.openStore({ clock, schema, ...options }), clock, schema };
}

/** Stores one run per entry: `run.started` at `startedAt`, plus `run.completed` at `endedAt` if given. */
async function addRuns(
  store: PostgresEventStore,
  runs: { id: string; startedAt: number; endedAt?: number }[],
) {
  const events: AgentEvent[] = [];
  for (const run of runs) {
    events.push(started(run.id, run.startedAt));
    if (run.endedAt !== undefined) events.push(completed(run.id, 1, run.endedAt));
  }
  await store.append(events);
}

const ids = (page: { runs: { runId: string }[] }) => page.runs.map((run) => run.runId);

describe('PostgresEventStore: listRuns', () => {
  it('pages through 120 runs 50 at a time, returning each run exactly once, newest first', async () => {
    const { store } = await createStore();
    // Pairs of runs share a start time, so the runId tie-break is exercised at page edges.
    const runs = Array.from({ length: 120 }, (_, index) => ({ id: `run-${index}`, startedAt: index >> 1 }));
    await addRuns(store, runs);
    const newestFirst = runs
      .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1))
      .map((run) => run.id);

    const pages: string[][] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await store.listRuns({ limit: 50, ...(cursor !== undefined ? { cursor } : {}) });
      pages.push(ids(result));
      cursor = result.nextCursor;
      if (cursor === undefined) break;
    }

    expect(pages.map((page) => page.length)).toEqual([50, 50, 20]);
    expect(new Set(pages.flat()).size).toBe(120);
    expect(pages.flat()).toEqual(newestFirst);
  });

  it('returns 50 runs by default and at most 500', async () => {
    const { store } = await createStore();
    await addRuns(
      store,
      Array.from({ length: 501 }, (_, index) => ({ id: `run-${index}`, startedAt: index })),
    );

    const firstPage = await store.listRuns();

    expect(firstPage.runs).toHaveLength(50);
    expect(firstPage.runs[0]?.runId).toBe('run-500');
    expect((await store.listRuns({ limit: 10_000 })).runs).toHaveLength(500);
  });

  it('filters by agent, tenant and status', async () => {
    const { store } = await createStore();
    await store.append([started('a', 1, 'researcher', 'acme'), started('b', 2, 'writer', 'acme')]);
    await store.append([started('c', 3, 'researcher', 'globex'), failed('c', 1)]);

    const list = async (query: Parameters<PostgresEventStore['listRuns']>[0]) =>
      ids(await store.listRuns(query));

    expect(await list({ agent: 'researcher' })).toEqual(['c', 'a']);
    expect(await list({ tenant: 'acme' })).toEqual(['b', 'a']);
    expect(await list({ status: 'failed' })).toEqual(['c']);
    expect(await list({ agent: 'researcher', status: 'running' })).toEqual(['a']);
  });

  it('filters by start time, from startedAfter inclusive to startedBefore exclusive', async () => {
    const { store } = await createStore();
    await addRuns(
      store,
      [1, 2, 3, 4].map((startedAt) => ({ id: `run-${startedAt}`, startedAt })),
    );

    const page = await store.listRuns({ startedAfter: 2, startedBefore: 4 });

    expect(ids(page)).toEqual(['run-3', 'run-2']);
    expect(page.nextCursor).toBeUndefined();
  });

  it('applies filters on every page, cursor included', async () => {
    const { store } = await createStore();
    await store.append(
      Array.from({ length: 6 }, (_, index) => started(`run-${index}`, index, index % 2 ? 'odd' : 'even')),
    );

    const first = await store.listRuns({ agent: 'odd', limit: 2 });
    const second = await store.listRuns({ agent: 'odd', limit: 2, cursor: first.nextCursor as string });

    expect(ids(first)).toEqual(['run-5', 'run-3']);
    expect(ids(second)).toEqual(['run-1']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('sorts and pages by runId bytes, whatever the database locale', async () => {
    const { store } = await createStore();
    const runIds = ['b', 'B', 'a', 'A', '_', 'é'];
    await store.append(runIds.map((id) => started(id, 1)));

    const first = await store.listRuns({ limit: 3 });
    const second = await store.listRuns({ limit: 3, cursor: first.nextCursor as string });

    expect([...ids(first), ...ids(second)]).toEqual(['é', 'b', 'a', '_', 'B', 'A']);
  });
});

describe('PostgresEventStore: prune', () => {
  it('deletes runs that ended before now minus maxAgeMs, never running ones, and their events', async () => {
    const { store, schema } = await createStore();
    await addRuns(store, [
      { id: 'old-ended', startedAt: 1, endedAt: 4_000 },
      { id: 'old-running', startedAt: 2 },
      { id: 'recent-ended', startedAt: 3, endedAt: 5_000 },
    ]);

    const deleted = await store.prune({ maxAgeMs: 5_000 });

    expect(deleted).toBe(1);
    expect(ids(await store.listRuns())).toEqual(['recent-ended', 'old-running']);
    expect(await store.readRun('old-ended')).toEqual([]);
    const orphans = await database.admin.query(`SELECT 1 FROM "${schema}".events WHERE run_id = 'old-ended'`);
    expect(orphans.rowCount).toBe(0);
  });

  it('measures age against the wall clock by default', async () => {
    const store = database.openStore({ schema: await database.freshSchema() });
    const dayMs = 86_400_000;
    await addRuns(store, [{ id: 'last-week', startedAt: 0, endedAt: Date.now() - 7 * dayMs }]);

    expect(await store.prune({ maxAgeMs: dayMs })).toBe(1);
  });

  it('keeps only the newest maxRuns runs', async () => {
    const { store } = await createStore();
    await addRuns(
      store,
      [3, 1, 2].map((startedAt) => ({ id: `run-${startedAt}`, startedAt })),
    );

    const deleted = await store.prune({ maxRuns: 1 });

    expect(deleted).toBe(2);
    expect(ids(await store.listRuns())).toEqual(['run-3']);
  });

  it('counts the runs deleted by both rules and deletes nothing when within them', async () => {
    const { store } = await createStore();
    await addRuns(store, [
      { id: 'a', startedAt: 1, endedAt: 1 },
      { id: 'b', startedAt: 2 },
      { id: 'c', startedAt: 3 },
    ]);

    expect(await store.prune({ maxAgeMs: 1_000, maxRuns: 1 })).toBe(2);
    expect(await store.prune({ maxAgeMs: 1_000, maxRuns: 5 })).toBe(0);
    expect(await store.prune({})).toBe(0);
    expect(ids(await store.listRuns())).toEqual(['c']);
  });

  it('starts a pruned run afresh when its events are sent again', async () => {
    const { store } = await createStore();
    await addRuns(store, [{ id: 'a', startedAt: 1, endedAt: 1 }]);
    await store.prune({ maxRuns: 0 });

    await store.append([started('a', 1), completed('a', 1, 1)]);

    expect(await store.getRun('a')).toMatchObject({ status: 'completed', eventCount: 2 });
  });
});

describe('PostgresEventStore: retention', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('prunes with the retention policy every intervalMs, and close waits for a prune under way', async () => {
    // Only setInterval is faked: pg's own timers keep running for real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const clock = manualClock(10_000);
    const schema = await database.freshSchema();
    const store = database.openStore({
      schema,
      clock,
      retention: { maxAgeMs: 1_000, intervalMs: 60_000 },
    });
    await addRuns(store, [
      { id: 'ended-long-ago', startedAt: 1, endedAt: 2_000 },
      { id: 'running', startedAt: 2 },
    ]);

    const observer = database.openStore({ schema });

    vi.advanceTimersByTime(59_999);
    expect(ids(await observer.listRuns())).toEqual(['running', 'ended-long-ago']);
    vi.advanceTimersByTime(1);
    await store.close();

    expect(ids(await observer.listRuns())).toEqual(['running']);
  });

  it('reports a failed periodic prune to onRetentionError', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const schema = await database.freshSchema();
    const errors: unknown[] = [];
    const store = database.openStore({
      schema,
      retention: { maxRuns: 0, intervalMs: 1_000 },
      onRetentionError: (error) => {
        errors.push(error);
        throw new Error('a throwing hook must not crash the process');
      },
    });
    await addRuns(store, [{ id: 'a', startedAt: 1 }]);
    await database.admin.query(`ALTER TABLE "${schema}".runs RENAME TO runs_elsewhere`);

    vi.advanceTimersByTime(1_000);
    await store.close();

    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'INTERNAL', details: { reason: 'database', sqlState: '42P01' } });
    expect(String((errors[0] as Error).message)).toMatch(/prune\(\) failed in PostgreSQL/);
  });
});
