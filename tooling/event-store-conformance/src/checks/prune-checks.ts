import { expect } from 'vitest';
import { appendRuns, type ConformanceCheck, listedIds, summaryOf } from '../harness.js';
import { SUITE_START } from '../manual-clock.js';
import { RunEvents } from '../run-events.js';

const T = SUITE_START;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Age counts from the end; a running run's final state is still to come, so it is never aged out. */
export const prunesEndedRunsByAge: ConformanceCheck = {
  name: 'prunes by maxAgeMs only runs that ended before now - maxAgeMs, with their events, never running ones',
  async run(setup) {
    const store = await setup.open();
    await appendRuns(store, [
      { runId: 'old-ended', startedAt: T - 3 * HOUR, endedAt: T - 2 * HOUR },
      { runId: 'old-failed', startedAt: T - 3 * HOUR, endedAt: T - 2 * HOUR, end: 'failed' },
      { runId: 'old-running', startedAt: T - 30 * DAY },
      { runId: 'at-cutoff', startedAt: T - 2 * HOUR, endedAt: T - HOUR },
      { runId: 'recent-ended', startedAt: T - 2 * HOUR, endedAt: T - 60_000, end: 'cancelled' },
    ]);

    const deleted = await store.prune({ maxAgeMs: HOUR });

    expect(deleted, 'runs deleted (old-ended, old-failed)').toBe(2);
    expect(await store.getRun('old-ended')).toBeUndefined();
    expect(await store.readRun('old-ended')).toEqual([]);
    expect(await store.readRun('old-failed')).toEqual([]);
    expect((await listedIds(store)).sort(), 'runs kept').toEqual([
      'at-cutoff',
      'old-running',
      'recent-ended',
    ]);
  },
};

/** "Now" is read when prune runs, so a periodic prune keeps removing runs as they age. */
export const agesRunsOutAsTimePasses: ConformanceCheck = {
  name: 'prunes a run once the clock has moved past its end plus maxAgeMs',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1', { startedAt: T - 1_000 });
    await store.append(run.completedRun());
    const { endedAt } = await summaryOf(store, 'run-1');

    // Number(undefined) is NaN, which advance() refuses: a run without endedAt fails here.
    setup.clock.advance(Number(endedAt) + 60_000 - T);
    const atLimit = await store.prune({ maxAgeMs: 60_000 });
    setup.clock.advance(1);
    const pastLimit = await store.prune({ maxAgeMs: 60_000 });

    expect(atLimit).toBe(0);
    expect(pastLimit).toBe(1);
    expect(await store.getRun('run-1')).toBeUndefined();
  },
};

/** A size cap keeps the newest runs in the list's own order, running or not. */
export const prunesToMaxRunsKeepingNewest: ConformanceCheck = {
  name: 'prunes by maxRuns keeping the newest runs (startedAt, then runId) and deleting their events',
  async run(setup) {
    const store = await setup.open();
    await appendRuns(store, [
      { runId: 'run-a', startedAt: T + 2 },
      { runId: 'run-b', startedAt: T + 2, endedAt: T + 50 },
      { runId: 'run-c', startedAt: T + 5 },
      { runId: 'run-d', startedAt: T + 1, endedAt: T + 50 },
      { runId: 'run-e', startedAt: T },
    ]);

    const deleted = await store.prune({ maxRuns: 2 });

    expect(deleted).toBe(3);
    expect(await listedIds(store)).toEqual(['run-c', 'run-b']);
    expect(await store.readRun('run-a')).toEqual([]);
    expect(await store.getRun('run-d')).toBeUndefined();
  },
};

/** Both rules apply in one call and the count covers both; a store within them loses nothing. */
export const countsBothRules: ConformanceCheck = {
  name: 'resolves to the number of runs deleted by both rules, and 0 when within them',
  async run(setup) {
    const store = await setup.open();
    await appendRuns(store, [
      { runId: 'run-old', startedAt: T - 2 * DAY, endedAt: T - DAY },
      { runId: 'run-1', startedAt: T - 3 },
      { runId: 'run-2', startedAt: T - 2 },
      { runId: 'run-3', startedAt: T - 1 },
    ]);

    expect(await store.prune({})).toBe(0);
    expect(await store.prune({ maxAgeMs: HOUR, maxRuns: 10 })).toBe(1);
    expect(await store.prune({ maxAgeMs: HOUR, maxRuns: 2 })).toBe(1);
    expect(await store.prune({ maxAgeMs: HOUR, maxRuns: 2 })).toBe(0);
    expect(await listedIds(store)).toEqual(['run-3', 'run-2']);
    expect(await store.prune({ maxRuns: 0 })).toBe(2);
    expect(await listedIds(store)).toEqual([]);
  },
};

/** The prune checks, in order. */
export const pruneChecks: readonly ConformanceCheck[] = [
  prunesEndedRunsByAge,
  agesRunsOutAsTimePasses,
  prunesToMaxRunsKeepingNewest,
  countsBothRules,
];
