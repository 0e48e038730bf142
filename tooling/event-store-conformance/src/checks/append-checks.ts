import { expect } from 'vitest';
import { type ConformanceCheck, seqsOf, summaryOf } from '../harness.js';
import { RunEvents } from '../run-events.js';

/** Readers replay a run from its events, so they must come back exactly as the runtime emitted them. */
export const keepsAppendOrder: ConformanceCheck = {
  name: 'returns a run’s events in seq order, deep-equal to what was appended, across batches',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1', { tenant: 'acme' });
    const events = run.completedRun();

    await store.append(events.slice(0, 3));
    await store.append(events.slice(3, 5));
    await store.append(events.slice(5));

    expect(await store.readRun('run-1'), 'events read back').toEqual(events);
  },
};

/** One batch usually holds several runs' events interleaved, as a shared bus delivers them. */
export const separatesInterleavedRuns: ConformanceCheck = {
  name: 'stores the interleaved events of several runs in one batch, each run on its own',
  async run(setup) {
    const store = await setup.open();
    const first = new RunEvents('run-a');
    const second = new RunEvents('run-b', { agent: 'researcher' });
    const a = [first.started(), first.modelRequested(), first.modelResponded()] as const;
    const b = [second.started(), second.modelRequested(), second.modelResponded()] as const;

    await store.append([a[0], b[0], a[1], b[1], b[2], a[2]]);

    expect(await store.readRun('run-a')).toEqual(a);
    expect(await store.readRun('run-b')).toEqual(b);
  },
};

/** Writers retry a batch after a timeout without knowing whether it landed; that must be safe. */
export const ignoresResentEvents: ConformanceCheck = {
  name: 'ignores re-sent events: a repeated batch, an overlapping batch and a duplicate within one batch',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1');
    const [started, requested, responded, called, succeeded] = [
      run.started(),
      run.modelRequested(),
      run.modelResponded({ inputTokens: 10, outputTokens: 2 }, 'weather'),
      run.toolCalled(),
      run.toolSucceeded(),
    ];
    await store.append([started, requested]);

    await store.append([started, requested]);
    await store.append([requested, responded]);
    await store.append([called, called, succeeded]);

    expect(await store.readRun('run-1'), 'events after re-sends').toEqual([
      started,
      requested,
      responded,
      called,
      succeeded,
    ]);
    expect(await summaryOf(store, 'run-1'), 'summary after re-sends').toMatchObject({
      eventCount: 5,
      usage: { inputTokens: 10, outputTokens: 2 },
    });
  },
};

/** An event older than the newest stored one arrives late; storing it would reorder history. */
export const ignoresLateOlderEvents: ConformanceCheck = {
  name: 'ignores an event whose seq is below the newest stored one, even if that seq was never stored',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1');
    const started = run.started();
    const lost = run.modelRequested();
    const responded = run.modelResponded();
    await store.append([started, responded]);

    await store.append([lost]);

    expect(seqsOf(await store.readRun('run-1'))).toEqual([0, 2]);
    expect(await summaryOf(store, 'run-1')).toMatchObject({ eventCount: 2, missingEvents: 1 });
  },
};

/** A bus drops events for a slow subscriber; refusing what follows a hole would lose the outcome too. */
export const storesForwardGaps: ConformanceCheck = {
  name: 'stores events after a seq gap and counts the skipped ones in missingEvents',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1');
    await store.append([run.started(), run.modelRequested()]);

    await store.append([run.skip(2).modelResponded(), run.skip(1).completed()]);

    expect(seqsOf(await store.readRun('run-1')), 'seqs after the gap').toEqual([0, 1, 4, 6]);
    expect(await summaryOf(store, 'run-1'), 'summary after the gap (missingEvents 3)').toMatchObject({
      status: 'completed',
      eventCount: 4,
      missingEvents: 3,
    });
  },
};

/** A subscriber that attached late never saw the start; the run still counts, with its loss on record. */
export const countsLostFirstEvents: ConformanceCheck = {
  name: 'stores a run whose first events were lost, counting them as missing',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1').skip(3);

    await store.append([run.modelRequested()]);

    expect(await summaryOf(store, 'run-1')).toMatchObject({
      status: 'running',
      eventCount: 1,
      missingEvents: 3,
    });
  },
};

/** `missingEvents` is "absent when none are missing", so dashboards can filter on its presence. */
export const omitsMissingEventsWhenComplete: ConformanceCheck = {
  name: 'leaves missingEvents out of a run that lost nothing',
  async run(setup) {
    const store = await setup.open();

    await store.append(new RunEvents('run-1').completedRun());

    expect((await summaryOf(store, 'run-1')).missingEvents).toBeUndefined();
  },
};

/** The append checks, in order. */
export const appendChecks: readonly ConformanceCheck[] = [
  keepsAppendOrder,
  separatesInterleavedRuns,
  ignoresResentEvents,
  ignoresLateOlderEvents,
  storesForwardGaps,
  countsLostFirstEvents,
  omitsMissingEventsWhenComplete,
];
