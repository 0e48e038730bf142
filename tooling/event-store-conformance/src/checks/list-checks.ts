import { expect } from 'vitest';
import { appendRuns, type ConformanceCheck, listedIds } from '../harness.js';
import { SUITE_START } from '../manual-clock.js';

const T = SUITE_START;

/** "Newest first" must be a total order, or pages could disagree about where ties go. */
export const listsNewestFirst: ConformanceCheck = {
  name: 'lists runs newest first by startedAt, ties broken by runId descending',
  async run(setup) {
    const store = await setup.open();
    await appendRuns(store, [
      { runId: 'run-b', startedAt: T + 1_000 },
      { runId: 'run-z', startedAt: T },
      { runId: 'run-a', startedAt: T + 1_000 },
      { runId: 'run-m', startedAt: T + 5_000, endedAt: T + 6_000 },
      { runId: 'run-c', startedAt: T + 1_000, endedAt: T + 9_000, end: 'failed' },
    ]);

    expect(await listedIds(store)).toEqual(['run-m', 'run-c', 'run-b', 'run-a', 'run-z']);
  },
};

/** The run list is the entry point of every dashboard; each filter must narrow it exactly. */
export const filtersRuns: ConformanceCheck = {
  name: 'filters by agent, tenant and status, alone and combined',
  async run(setup) {
    const store = await setup.open();
    await appendRuns(store, [
      { runId: 'run-1', startedAt: T + 1, agent: 'researcher', tenant: 'acme' },
      { runId: 'run-2', startedAt: T + 2, agent: 'writer', tenant: 'acme', endedAt: T + 50 },
      {
        runId: 'run-3',
        startedAt: T + 3,
        agent: 'researcher',
        tenant: 'globex',
        endedAt: T + 50,
        end: 'failed',
      },
      { runId: 'run-4', startedAt: T + 4, agent: 'researcher', endedAt: T + 50, end: 'cancelled' },
    ]);

    expect(await listedIds(store, { agent: 'researcher' })).toEqual(['run-4', 'run-3', 'run-1']);
    expect(await listedIds(store, { tenant: 'acme' })).toEqual(['run-2', 'run-1']);
    expect(await listedIds(store, { status: 'running' })).toEqual(['run-1']);
    expect(await listedIds(store, { status: 'completed' })).toEqual(['run-2']);
    expect(await listedIds(store, { status: 'failed' })).toEqual(['run-3']);
    expect(await listedIds(store, { status: 'cancelled' })).toEqual(['run-4']);
    expect(await listedIds(store, { agent: 'researcher', tenant: 'acme' })).toEqual(['run-1']);
    expect(await listedIds(store, { agent: 'nobody' })).toEqual([]);
  },
};

/** Time windows tile without overlap only if one end is inclusive and the other exclusive. */
export const filtersByStartTime: ConformanceCheck = {
  name: 'filters by start time, startedAfter inclusive and startedBefore exclusive',
  async run(setup) {
    const store = await setup.open();
    await appendRuns(
      store,
      [1, 2, 3, 4].map((minute) => ({ runId: `run-${minute}`, startedAt: T + minute * 60_000 })),
    );

    const page = await store.listRuns({ startedAfter: T + 2 * 60_000, startedBefore: T + 4 * 60_000 });

    expect(page.runs.map((run) => run.runId)).toEqual(['run-3', 'run-2']);
    expect(page.nextCursor).toBeUndefined();
    expect(await listedIds(store, { startedAfter: T + 4 * 60_000 })).toEqual(['run-4']);
    expect(await listedIds(store, { startedBefore: T + 2 * 60_000 })).toEqual(['run-1']);
  },
};

/** Pages carry whole summaries, the same as getRun returns. */
export const listsFullSummaries: ConformanceCheck = {
  name: 'lists the same summaries getRun returns',
  async run(setup) {
    const store = await setup.open();
    await appendRuns(store, [
      { runId: 'run-1', startedAt: T, tenant: 'acme', endedAt: T + 500, end: 'failed' },
      { runId: 'run-2', startedAt: T + 1, agent: 'writer' },
    ]);

    const { runs } = await store.listRuns();

    expect(runs).toEqual([await store.getRun('run-2'), await store.getRun('run-1')]);
  },
};

/** Unbounded pages would let one request pull a whole table; the limit is clamped, not refused. */
export const boundsPageSize: ConformanceCheck = {
  name: 'returns 50 runs by default and at most 500 whatever the limit',
  async run(setup) {
    const store = await setup.open();
    await appendRuns(
      store,
      Array.from({ length: 501 }, (_, index) => ({
        runId: `run-${String(index).padStart(3, '0')}`,
        startedAt: T + index,
      })),
    );

    const byDefault = await store.listRuns();
    const huge = await store.listRuns({ limit: 10_000 });

    expect(byDefault.runs).toHaveLength(50);
    expect(byDefault.nextCursor).toBeDefined();
    expect(huge.runs, 'runs on a page asked for 10000').toHaveLength(500);
    expect(huge.runs[0]?.runId).toBe('run-500');
    expect(huge.nextCursor).toBeDefined();
  },
};

/** The listing checks, in order. */
export const listChecks: readonly ConformanceCheck[] = [
  listsNewestFirst,
  filtersRuns,
  filtersByStartTime,
  listsFullSummaries,
  boundsPageSize,
];
