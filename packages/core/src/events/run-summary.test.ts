import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/errors.js';
import { cancelled, completed, failed, responded, started, step } from './__fixtures__/agent-events.js';
import type { RunSummary } from './event-store.js';
import {
  applyEventToSummary,
  compareRunsNewestFirst,
  decodeRunCursor,
  encodeRunCursor,
} from './run-summary.js';

const running: RunSummary = {
  runId: 'run-1',
  agent: 'assistant',
  status: 'running',
  startedAt: 1_000,
  usage: { inputTokens: 0, outputTokens: 0 },
  eventCount: 1,
};

describe('applyEventToSummary', () => {
  it('starts a summary from a run.started event', () => {
    expect(applyEventToSummary(undefined, started('run-1', 1_000, 'researcher', 'acme'))).toEqual({
      runId: 'run-1',
      agent: 'researcher',
      tenant: 'acme',
      status: 'running',
      startedAt: 1_000,
      usage: { inputTokens: 0, outputTokens: 0 },
      eventCount: 1,
    });
  });

  it('starts a summary from any first event when run.started is missing', () => {
    expect(applyEventToSummary(undefined, step('run-1', 0))).toMatchObject({
      status: 'running',
      startedAt: 1_000,
      eventCount: 1,
    });
  });

  it('adds model usage, cache tokens included, without changing the summary it was given', () => {
    const event = responded('run-1', 1, {
      inputTokens: 10,
      outputTokens: 4,
      cacheReadTokens: 6,
      cacheWriteTokens: 2,
    });

    const twice = applyEventToSummary(applyEventToSummary(running, event), event);

    expect(twice.usage).toEqual({
      inputTokens: 20,
      outputTokens: 8,
      cacheReadTokens: 12,
      cacheWriteTokens: 4,
    });
    expect(twice.eventCount).toBe(3);
    expect(running.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  it('ends the run on a cancellation', () => {
    expect(applyEventToSummary(running, cancelled('run-1', 1, 1_500))).toMatchObject({
      status: 'cancelled',
      endedAt: 1_500,
    });
  });

  it('keeps the first terminal state when a second terminal event arrives', () => {
    const summary = applyEventToSummary(
      applyEventToSummary(running, completed('run-1', 1, 1_500)),
      failed('run-1', 2),
    );

    expect(summary).toMatchObject({ status: 'completed', endedAt: 1_500, eventCount: 3 });
    expect(summary.errorCode).toBeUndefined();
  });
});

describe('run cursors', () => {
  it('round-trips a position, including a runId outside ASCII', () => {
    const position = { startedAt: 1_700_000_000_123, runId: 'lauf-ü-🚀' };

    const cursor = encodeRunCursor(position);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeRunCursor(cursor)).toEqual(position);
  });

  it('rejects an empty cursor with a ValidationError', () => {
    expect(() => decodeRunCursor('')).toThrow(ValidationError);
  });
});

describe('compareRunsNewestFirst', () => {
  it('puts the later start first', () => {
    expect(compareRunsNewestFirst({ startedAt: 2, runId: 'a' }, { startedAt: 1, runId: 'b' })).toBeLessThan(
      0,
    );
  });

  it('orders runs started together by runId, descending, and equal positions as equal', () => {
    expect(compareRunsNewestFirst({ startedAt: 1, runId: 'b' }, { startedAt: 1, runId: 'a' })).toBeLessThan(
      0,
    );
    expect(
      compareRunsNewestFirst({ startedAt: 1, runId: 'a' }, { startedAt: 1, runId: 'b' }),
    ).toBeGreaterThan(0);
    expect(compareRunsNewestFirst({ startedAt: 1, runId: 'a' }, { startedAt: 1, runId: 'a' })).toBe(0);
  });
});
