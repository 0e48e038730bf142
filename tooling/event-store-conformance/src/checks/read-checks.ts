import { expect } from 'vitest';
import { type ConformanceCheck, seqsOf, summaryOf } from '../harness.js';
import { RunEvents } from '../run-events.js';

/** Live views resume from the last seq they showed, a page at a time. */
export const readsFromSeqWithLimit: ConformanceCheck = {
  name: 'reads the events with seq >= fromSeq, at most limit of them',
  async run(setup) {
    const store = await setup.open();
    const events = new RunEvents('run-1').completedRun();
    await store.append(events);

    expect(await store.readRun('run-1', { fromSeq: 2, limit: 3 })).toEqual(events.slice(2, 5));
    expect(await store.readRun('run-1', { fromSeq: 5 })).toEqual(events.slice(5));
    expect(await store.readRun('run-1', { limit: 2 })).toEqual(events.slice(0, 2));
    expect(await store.readRun('run-1', { fromSeq: 7 })).toEqual([]);
  },
};

/** fromSeq is a position, not an index: after a gap it must still mean "seq >= fromSeq". */
export const readsFromSeqAcrossGaps: ConformanceCheck = {
  name: 'reads from a fromSeq that falls inside a gap, starting at the next stored event',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1');
    await store.append([run.started(), run.modelRequested(), run.skip(3).modelResponded(), run.completed()]);

    expect(seqsOf(await store.readRun('run-1', { fromSeq: 2 }))).toEqual([5, 6]);
    expect(seqsOf(await store.readRun('run-1', { fromSeq: 1, limit: 2 }))).toEqual([1, 5]);
  },
};

/** Asking about a run that was never stored (or was pruned) is normal, not an error. */
export const answersUnknownRuns: ConformanceCheck = {
  name: 'returns [] from readRun and undefined from getRun for an unknown run',
  async run(setup) {
    const store = await setup.open();
    await store.append(new RunEvents('run-1').completedRun());

    expect(await store.readRun('run-unknown')).toEqual([]);
    expect(await store.readRun('run-unknown', { fromSeq: 3, limit: 10 })).toEqual([]);
    expect(await store.getRun('run-unknown')).toBeUndefined();
  },
};

/** Callers (an API handler adding fields) may change what they got; the store's state must not follow. */
export const returnsDetachedSummaries: ConformanceCheck = {
  name: 'returns summaries the caller may change without changing the stored run',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1');
    await store.append([run.started(), run.modelResponded({ inputTokens: 5, outputTokens: 1 })]);

    const summary = await summaryOf(store, 'run-1');
    summary.usage.inputTokens = 999;
    summary.status = 'failed';
    for (const listed of (await store.listRuns()).runs) listed.usage.outputTokens = 999;

    expect(await store.getRun('run-1')).toMatchObject({
      status: 'running',
      usage: { inputTokens: 5, outputTokens: 1 },
    });
  },
};

/** The read checks, in order. */
export const readChecks: readonly ConformanceCheck[] = [
  readsFromSeqWithLimit,
  readsFromSeqAcrossGaps,
  answersUnknownRuns,
  returnsDetachedSummaries,
];
