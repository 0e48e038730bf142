import type { EventStore } from '@agent/core';
import { expect } from 'vitest';
import { type ConformanceCheck, expectAgentError } from '../harness.js';
import { RunEvents } from '../run-events.js';

/** Every method, called with arguments that would otherwise succeed. */
const operations: readonly [string, (store: EventStore) => Promise<unknown>][] = [
  ['append', (store) => store.append([new RunEvents('run-2').started()])],
  ['readRun', (store) => store.readRun('run-1')],
  ['getRun', (store) => store.getRun('run-1')],
  ['listRuns', (store) => store.listRuns()],
  ['prune', (store) => store.prune({ maxRuns: 10 })],
];

/** Use after close is a lifecycle bug in the caller; silently succeeding would hide lost writes. */
export const rejectsCallsAfterClose: ConformanceCheck = {
  name: 'rejects every method after close() with an AgentError of code INTERNAL',
  async run(setup) {
    const store = await setup.open();
    await store.append(new RunEvents('run-1').completedRun());

    await store.close();

    for (const [name, call] of operations) {
      await expectAgentError(() => call(store), 'INTERNAL', `${name}() after close()`);
    }
  },
};

/** Shutdown paths often close twice (a signal handler and a finally); that must not throw. */
export const closesTwiceHarmlessly: ConformanceCheck = {
  name: 'resolves close() called twice in a row and twice at once',
  async run(setup) {
    const first = await setup.open();
    const second = await setup.open();

    await first.close();
    await expect(first.close()).resolves.toBeUndefined();
    await expect(Promise.all([second.close(), second.close()])).resolves.toEqual([undefined, undefined]);
  },
};

/** A bus subscriber does not await its appends; closing at shutdown must not fail them. */
export const settlesAppendsStartedBeforeClose: ConformanceCheck = {
  name: 'resolves an append started before close() instead of rejecting it',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1');
    await store.append([run.started()]);

    const pending = store.append([run.modelRequested(), run.modelResponded()]);
    await store.close();

    await expect(pending).resolves.toBeUndefined();
  },
};

/** The lifecycle checks, in order. */
export const lifecycleChecks: readonly ConformanceCheck[] = [
  rejectsCallsAfterClose,
  closesTwiceHarmlessly,
  settlesAppendsStartedBeforeClose,
];
