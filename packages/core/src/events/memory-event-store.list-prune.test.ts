import { describe, expect, it } from 'vitest';
import { completed, failed, started } from './__fixtures__/agent-events.js';
import { MemoryEventStore, type MemoryEventStoreOptions } from './memory-event-store.js';

// Listing and pruning runs; appending and reading events is in memory-event-store.test.ts.

function createStore(options: MemoryEventStoreOptions = {}) {
  const clock = { time: 10_000, now: () => clock.time };
  return { store: new MemoryEventStore({ clock, ...options }), clock };
}

/** Stores one run per entry: `run.started` at `startedAt`, plus `run.completed` at `endedAt` if given. */
async function addRuns(store: MemoryEventStore, runs: { id: string; startedAt: number; endedAt?: number }[]) {
  for (const run of runs) {
    await store.append([started(run.id, run.startedAt)]);
    if (run.endedAt !== undefined) await store.append([completed(run.id, 1, run.endedAt)]);
  }
}

describe('MemoryEventStore: listRuns', () => {
  it('pages through 120 runs 50 at a time, returning each run exactly once, newest first', async () => {
    const { store } = createStore();
    // Pairs of runs share a start time, so the runId tie-break is exercised at page edges.
    const runs = Array.from({ length: 120 }, (_, index) => ({ id: `run-${index}`, startedAt: index >> 1 }));
    await addRuns(store, runs);
    const newestFirst = runs
      .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1))
      .map((run) => run.id);

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listRuns({ limit: 50, ...(cursor !== undefined ? { cursor } : {}) });
      pages.push(page.runs.map((run) => run.runId));
      cursor = page.nextCursor;
    } while (cursor !== undefined);

    expect(pages.map((page) => page.length)).toEqual([50, 50, 20]);
    expect(new Set(pages.flat()).size).toBe(120);
    expect(pages.flat()).toEqual(newestFirst);
  });

  it('returns 50 runs by default and at most 500', async () => {
    const { store } = createStore();
    await addRuns(
      store,
      Array.from({ length: 501 }, (_, index) => ({ id: `run-${index}`, startedAt: index })),
    );

    expect((await store.listRuns()).runs).toHaveLength(50);
    expect((await store.listRuns({ limit: 10_000 })).runs).toHaveLength(500);
  });

  it('filters by agent, tenant and status', async () => {
    const { store } = createStore();
    await store.append([started('a', 1, 'researcher', 'acme'), started('b', 2, 'writer', 'acme')]);
    await store.append([started('c', 3, 'researcher', 'globex'), failed('c', 1)]);

    const ids = async (query: Parameters<MemoryEventStore['listRuns']>[0]) =>
      (await store.listRuns(query)).runs.map((run) => run.runId);

    expect(await ids({ agent: 'researcher' })).toEqual(['c', 'a']);
    expect(await ids({ tenant: 'acme' })).toEqual(['b', 'a']);
    expect(await ids({ status: 'failed' })).toEqual(['c']);
    expect(await ids({ agent: 'researcher', status: 'running' })).toEqual(['a']);
  });

  it('filters by start time, from startedAfter inclusive to startedBefore exclusive', async () => {
    const { store } = createStore();
    await addRuns(
      store,
      [1, 2, 3, 4].map((startedAt) => ({ id: `run-${startedAt}`, startedAt })),
    );

    const page = await store.listRuns({ startedAfter: 2, startedBefore: 4 });

    expect(page.runs.map((run) => run.runId)).toEqual(['run-3', 'run-2']);
    expect(page.nextCursor).toBeUndefined();
  });
});

describe('MemoryEventStore: prune', () => {
  it('deletes runs that ended before now minus maxAgeMs, never running ones', async () => {
    const { store } = createStore();
    await addRuns(store, [
      { id: 'old-ended', startedAt: 1, endedAt: 4_000 },
      { id: 'old-running', startedAt: 2 },
      { id: 'recent-ended', startedAt: 3, endedAt: 5_000 },
    ]);

    const deleted = await store.prune({ maxAgeMs: 5_000 });

    expect(deleted).toBe(1);
    expect((await store.listRuns()).runs.map((run) => run.runId)).toEqual(['recent-ended', 'old-running']);
  });

  it('measures age against the wall clock by default', async () => {
    const store = new MemoryEventStore();
    const dayMs = 86_400_000;
    await addRuns(store, [{ id: 'last-week', startedAt: 0, endedAt: Date.now() - 7 * dayMs }]);

    expect(await store.prune({ maxAgeMs: dayMs })).toBe(1);
  });

  it('keeps only the newest maxRuns runs', async () => {
    const { store } = createStore();
    await addRuns(
      store,
      [3, 1, 2].map((startedAt) => ({ id: `run-${startedAt}`, startedAt })),
    );

    const deleted = await store.prune({ maxRuns: 1 });

    expect(deleted).toBe(2);
    expect((await store.listRuns()).runs.map((run) => run.runId)).toEqual(['run-3']);
  });

  it('counts the runs deleted by both rules and deletes nothing when within them', async () => {
    const { store } = createStore();
    await addRuns(store, [
      { id: 'a', startedAt: 1, endedAt: 1 },
      { id: 'b', startedAt: 2 },
      { id: 'c', startedAt: 3 },
    ]);

    expect(await store.prune({ maxAgeMs: 1_000, maxRuns: 1 })).toBe(2);
    expect(await store.prune({ maxAgeMs: 1_000, maxRuns: 5 })).toBe(0);
  });
});
