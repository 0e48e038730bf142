import { expect } from 'vitest';
import { type ConformanceCheck, cursorOf, seqsOf } from '../harness.js';
import { SUITE_START } from '../manual-clock.js';
import { RunEvents } from '../run-events.js';

// Only for stores declared `persistent`: each check closes a store and opens its location again.

/** Persistence is the point of a durable store: what was acknowledged is there after a restart. */
export const survivesReopen: ConformanceCheck = {
  name: 'returns the same events, summaries and pages after close() and reopening the same location',
  requires: 'persistence',
  async run(setup) {
    const store = await setup.open();
    // Started in this order, so the first page of two is run-done, run-failed and then run-gap.
    const gapped = new RunEvents('run-gap', { startedAt: SUITE_START });
    await store.append([
      ...new RunEvents('run-done', { tenant: 'acme', startedAt: SUITE_START + 2_000 }).completedRun(),
      gapped.started(),
      gapped.skip(2).modelRequested(),
    ]);
    const failing = new RunEvents('run-failed', { agent: 'writer', startedAt: SUITE_START + 1_000 });
    await store.append([failing.started(), failing.failed('TOOL_TIMEOUT')]);
    const before = {
      events: await store.readRun('run-done'),
      summaries: await Promise.all(['run-done', 'run-gap', 'run-failed'].map((id) => store.getRun(id))),
      page: await store.listRuns({ limit: 2 }),
    };

    await store.close();
    const reopened = await setup.reopen(store);

    expect(await reopened.readRun('run-done'), 'events after reopening').toEqual(before.events);
    expect(await Promise.all(['run-done', 'run-gap', 'run-failed'].map((id) => reopened.getRun(id)))).toEqual(
      before.summaries,
    );
    expect(await reopened.listRuns({ limit: 2 })).toEqual(before.page);
    expect(
      await reopened.listRuns({ limit: 2, cursor: cursorOf(before.page, 'first page before closing') }),
    ).toEqual({
      runs: [before.summaries[1]],
    });
  },
};

/** Deduplication must hold across restarts, when writers are most likely to re-send. */
export const continuesSequencesAfterReopen: ConformanceCheck = {
  name: 'keeps ignoring re-sent and late events and counting gaps after reopening',
  requires: 'persistence',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1');
    const started = run.started();
    const requested = run.modelRequested();
    const late = run.modelResponded({ inputTokens: 1, outputTokens: 1 }, 'weather');
    const called = run.toolCalled();
    await store.append([started, requested, called]);
    await store.close();
    const reopened = await setup.reopen(store);

    // The late event first: with the stored position forgotten, it would start the run anew.
    await reopened.append([late]);
    await reopened.append([started, requested, called]);
    await reopened.append([run.skip(1).toolSucceeded(), run.completed({ inputTokens: 7, outputTokens: 2 })]);

    expect(seqsOf(await reopened.readRun('run-1')), 'seqs after reopening').toEqual([0, 1, 3, 5, 6]);
    expect(await reopened.getRun('run-1'), 'summary after reopening').toMatchObject({
      status: 'completed',
      eventCount: 5,
      missingEvents: 2,
      usage: { inputTokens: 7, outputTokens: 2 },
    });
  },
};

/** close() is documented to flush, so an append in flight at shutdown is not lost. */
export const flushesPendingAppendsOnClose: ConformanceCheck = {
  name: 'has the events of an append started before close() after reopening',
  requires: 'persistence',
  async run(setup) {
    const store = await setup.open();
    const events = new RunEvents('run-1').completedRun();

    const pending = store.append(events);
    await store.close();
    await pending;
    const reopened = await setup.reopen(store);

    expect(await reopened.readRun('run-1')).toEqual(events);
    expect(await reopened.getRun('run-1')).toMatchObject({ status: 'completed', eventCount: 7 });
  },
};

/** The persistence checks, in order. */
export const persistenceChecks: readonly ConformanceCheck[] = [
  survivesReopen,
  continuesSequencesAfterReopen,
  flushesPendingAppendsOnClose,
];
