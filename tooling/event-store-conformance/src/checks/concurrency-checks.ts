import type { AgentEvent } from '@agent/core';
import { expect } from 'vitest';
import { type ConformanceCheck, listAllPages, seqsOf, summaryOf } from '../harness.js';
import { SUITE_START } from '../manual-clock.js';
import { RunEvents } from '../run-events.js';

/** A server runs many agents at once; their writes overlap and none may be lost. */
export const storesConcurrentRuns: ConformanceCheck = {
  name: 'stores every run of 50 appended concurrently, each whole',
  async run(setup) {
    const store = await setup.open();
    const runs = Array.from(
      { length: 50 },
      (_, index) =>
        new RunEvents(`run-${String(index).padStart(2, '0')}`, { startedAt: SUITE_START + index }),
    );
    const batches = runs.map((run) => run.completedRun());

    await Promise.all(batches.map((events) => store.append(events)));

    const pages = await listAllPages(store, { limit: 20 }, 5);
    expect(pages.flat()).toEqual(runs.map((run) => run.runId).reverse());
    for (const [index, run] of runs.entries()) {
      expect(await store.readRun(run.runId), run.runId).toEqual(batches[index]);
      expect(await summaryOf(store, run.runId), run.runId).toMatchObject({
        status: 'completed',
        eventCount: 7,
      });
    }
  },
};

/**
 * A bus subscriber calls `append([event])` for each event without awaiting the previous call.
 * A store that lets a later call overtake an earlier one would count phantom gaps and then drop
 * the overtaken events as stale.
 */
export const keepsCallOrderOfUnawaitedAppends: ConformanceCheck = {
  name: 'stores appends issued without awaiting each other in call order, per run',
  async run(setup) {
    const store = await setup.open();
    const runs = Array.from({ length: 10 }, (_, index) => new RunEvents(`run-${index}`));
    const streams: AgentEvent[][] = runs.map((run) => run.completedRun());

    const pending: Promise<void>[] = [];
    // Event by event, runs interleaved, as a bus delivers them.
    for (let position = 0; position < 7; position++) {
      for (const events of streams) pending.push(store.append([events[position] as AgentEvent]));
    }
    await Promise.all(pending);

    for (const run of runs) {
      expect(seqsOf(await store.readRun(run.runId)), run.runId).toEqual([0, 1, 2, 3, 4, 5, 6]);
      const summary = await summaryOf(store, run.runId);
      expect(summary.missingEvents, `${run.runId} missingEvents`).toBeUndefined();
      expect(summary, run.runId).toMatchObject({ status: 'completed', eventCount: 7 });
    }
  },
};

/** The concurrency checks, in order. */
export const concurrencyChecks: readonly ConformanceCheck[] = [
  storesConcurrentRuns,
  keepsCallOrderOfUnawaitedAppends,
];
