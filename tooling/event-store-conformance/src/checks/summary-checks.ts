import { expect } from 'vitest';
import { type ConformanceCheck, summaryOf } from '../harness.js';
import { SUITE_START } from '../manual-clock.js';
import { RunEvents } from '../run-events.js';

/** Dashboards show a live run's tokens before it ends, so usage must add up as responses arrive. */
export const sumsUsageWhileRunning: ConformanceCheck = {
  name: 'sums the usage of model.responded events, cache tokens included, while the run is running',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1', { agent: 'researcher', tenant: 'acme' });

    await store.append([
      run.started(),
      run.modelRequested(),
      run.modelResponded({ inputTokens: 100, outputTokens: 20, cacheReadTokens: 64 }, 'weather'),
    ]);
    await store.append([
      run.toolCalled(),
      run.toolSucceeded(),
      run.modelResponded({ inputTokens: 150, outputTokens: 35, cacheWriteTokens: 12 }),
    ]);

    expect(await summaryOf(store, 'run-1')).toEqual({
      runId: 'run-1',
      agent: 'researcher',
      tenant: 'acme',
      status: 'running',
      startedAt: SUITE_START,
      usage: { inputTokens: 250, outputTokens: 55, cacheReadTokens: 64, cacheWriteTokens: 12 },
      eventCount: 6,
    });
  },
};

/** The terminal event carries the run's own total, right even when a model event was dropped. */
export const takesUsageFromTerminalEvent: ConformanceCheck = {
  name: 'completes the summary from run.completed: status, endedAt, and its usage in place of the sum',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1', { agent: 'researcher', tenant: 'acme' });
    const events = [
      run.started(),
      run.modelRequested(),
      run.modelResponded({ inputTokens: 80, outputTokens: 15, cacheReadTokens: 40 }, 'weather'),
      run.toolCalled(),
      run.toolSucceeded(),
      run.modelResponded({ inputTokens: 120, outputTokens: 30 }),
    ];
    const completed = run.completed({ inputTokens: 210, outputTokens: 48, costUsd: 0.0042 });

    await store.append([...events, completed]);

    expect(await summaryOf(store, 'run-1'), 'summary with the usage of run.completed').toEqual({
      runId: 'run-1',
      agent: 'researcher',
      tenant: 'acme',
      status: 'completed',
      startedAt: SUITE_START,
      endedAt: completed.timestamp,
      usage: { inputTokens: 210, outputTokens: 48, costUsd: 0.0042 },
      eventCount: 7,
    });
  },
};

/** Operators filter failed runs by cause, so the code must be on the summary, not only in the events. */
export const recordsFailure: ConformanceCheck = {
  name: 'records status failed, endedAt and the error code from run.failed',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1');
    const started = run.started();
    const requested = run.modelRequested();
    const failed = run.failed('MODEL_RATE_LIMITED', { inputTokens: 9, outputTokens: 0 });

    await store.append([started, requested, failed]);

    expect(await summaryOf(store, 'run-1')).toEqual({
      runId: 'run-1',
      agent: 'assistant',
      status: 'failed',
      startedAt: SUITE_START,
      endedAt: failed.timestamp,
      usage: { inputTokens: 9, outputTokens: 0 },
      eventCount: 3,
      errorCode: 'MODEL_RATE_LIMITED',
    });
  },
};

/** A cancelled run is not a failure: no error code. */
export const recordsCancellation: ConformanceCheck = {
  name: 'records status cancelled and endedAt from run.cancelled, without an error code',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1');
    const started = run.started();
    const requested = run.modelRequested();
    const cancelled = run.cancelled();

    await store.append([started, requested, cancelled]);

    const summary = await summaryOf(store, 'run-1');
    expect(summary).toMatchObject({ status: 'cancelled', endedAt: cancelled.timestamp, eventCount: 3 });
    expect(summary.errorCode).toBeUndefined();
  },
};

/** A late duplicate terminal event (a retry racing a cancel) must not rewrite how the run ended. */
export const firstTerminalEventWins: ConformanceCheck = {
  name: 'keeps the outcome of the first terminal event when another one follows',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1');
    const started = run.started();
    const completed = run.completed({ inputTokens: 30, outputTokens: 5 });
    await store.append([started, completed]);

    await store.append([run.failed('INTERNAL', { inputTokens: 99, outputTokens: 99 })]);

    const summary = await summaryOf(store, 'run-1');
    expect(summary, 'status and usage of the first terminal event').toMatchObject({
      status: 'completed',
      endedAt: completed.timestamp,
      usage: { inputTokens: 30, outputTokens: 5 },
      eventCount: 3,
    });
    expect(summary.errorCode).toBeUndefined();
  },
};

/** A subscriber that attached late still lists the run, dated by the first event it saw. */
export const datesRunWithoutStart: ConformanceCheck = {
  name: 'takes startedAt and agent from the first stored event when run.started was lost',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-1', { agent: 'writer', startedAt: SUITE_START - 5_000 }).skip(2);
    const first = run.modelResponded({ inputTokens: 4, outputTokens: 1 });

    await store.append([first, run.completed()]);

    expect(await summaryOf(store, 'run-1')).toMatchObject({
      agent: 'writer',
      startedAt: first.timestamp,
      status: 'completed',
      missingEvents: 2,
    });
  },
};

/** The summary checks, in order. */
export const summaryChecks: readonly ConformanceCheck[] = [
  sumsUsageWhileRunning,
  takesUsageFromTerminalEvent,
  recordsFailure,
  recordsCancellation,
  firstTerminalEventWins,
  datesRunWithoutStart,
];
