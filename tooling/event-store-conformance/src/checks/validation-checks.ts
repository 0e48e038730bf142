import type { AgentEvent } from '@agent/core';
import { expect } from 'vitest';
import { type ConformanceCheck, expectAgentError, seqsOf, summaryOf } from '../harness.js';
import { RunEvents } from '../run-events.js';

// Events come from the runtime, so a malformed one is a bug upstream: the store must refuse the
// whole batch loudly rather than store half of it.

/** Events whose runId or seq no store can index, each with what is wrong with it. */
const malformed: readonly [string, (event: AgentEvent) => AgentEvent][] = [
  ['an empty runId', (event) => ({ ...event, runId: '' })],
  ['a runId that is not a string', (event) => ({ ...event, runId: 42 as unknown as string })],
  ['a negative seq', (event) => ({ ...event, seq: -1 })],
  ['a fractional seq', (event) => ({ ...event, seq: 2.5 })],
  ['a NaN seq', (event) => ({ ...event, seq: Number.NaN })],
  ['a seq given as text', (event) => ({ ...event, seq: '3' as unknown as number })],
];

/** A bad event anywhere in a batch must leave every run as it was, including runs earlier in the batch. */
export const rejectsMalformedBatchWhole: ConformanceCheck = {
  name: 'rejects a batch with a malformed runId or seq with a ValidationError and stores none of it',
  async run(setup) {
    const store = await setup.open();
    const existing = new RunEvents('run-existing');
    await store.append([existing.started(), existing.modelRequested()]);
    const before = await summaryOf(store, 'run-existing');

    for (const [index, [what, breakEvent]] of malformed.entries()) {
      const fresh = new RunEvents(`run-fresh-${index}`);
      const replay = new RunEvents('run-existing').skip(2);
      const batch = [fresh.started(), replay.modelResponded(), breakEvent(replay.toolCalled())];

      await expectAgentError(
        () => store.append(batch),
        'VALIDATION_FAILED',
        `append of a batch with ${what}`,
      );

      expect(
        await store.getRun(fresh.runId),
        `run created earlier in the batch with ${what}`,
      ).toBeUndefined();
      expect(await store.getRun('run-existing'), `existing run after the batch with ${what}`).toEqual(before);
      expect(seqsOf(await store.readRun('run-existing')), `events after the batch with ${what}`).toEqual([
        0, 1,
      ]);
    }
  },
};

/** A cursor is opaque: one the store did not make must be refused, not read as "start over". */
export const rejectsForeignCursor: ConformanceCheck = {
  name: 'rejects a cursor it did not make with a ValidationError',
  async run(setup) {
    const store = await setup.open();
    const cursors = [
      'not a cursor!',
      'bm90IGpzb24',
      Buffer.from('{"startedAt":"yesterday","runId":"run-1"}').toString('base64url'),
      Buffer.from('{"startedAt":1}').toString('base64url'),
    ];

    for (const cursor of cursors) {
      await expectAgentError(
        () => store.listRuns({ cursor }),
        'VALIDATION_FAILED',
        `listRuns cursor ${cursor}`,
      );
    }
  },
};

/** Out-of-range paging and retention arguments are caller bugs, reported rather than guessed at. */
export const rejectsOutOfRangeArguments: ConformanceCheck = {
  name: 'rejects a listRuns limit below 1, a negative readRun fromSeq or limit 0, and a negative prune policy',
  async run(setup) {
    const store = await setup.open();

    await expectAgentError(() => store.listRuns({ limit: 0 }), 'VALIDATION_FAILED', 'listRuns limit 0');
    await expectAgentError(
      () => store.readRun('run-1', { fromSeq: -1 }),
      'VALIDATION_FAILED',
      'readRun fromSeq -1',
    );
    await expectAgentError(
      () => store.readRun('run-1', { limit: 0 }),
      'VALIDATION_FAILED',
      'readRun limit 0',
    );
    await expectAgentError(() => store.prune({ maxAgeMs: -1 }), 'VALIDATION_FAILED', 'prune maxAgeMs -1');
    await expectAgentError(() => store.prune({ maxRuns: -1 }), 'VALIDATION_FAILED', 'prune maxRuns -1');
    await expectAgentError(() => store.prune({ maxRuns: 1.5 }), 'VALIDATION_FAILED', 'prune maxRuns 1.5');
  },
};

/** The validation checks, in order. */
export const validationChecks: readonly ConformanceCheck[] = [
  rejectsMalformedBatchWhole,
  rejectsForeignCursor,
  rejectsOutOfRangeArguments,
];
