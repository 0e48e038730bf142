import { describe, expect, it } from 'vitest';
import { SUITE_START } from './manual-clock.js';
import { RunEvents } from './run-events.js';

describe('RunEvents', () => {
  it('numbers events from 0 and spaces them by eventIntervalMs', () => {
    const run = new RunEvents('run-1', {
      startedAt: 5_000,
      eventIntervalMs: 100,
      agent: 'writer',
      tenant: 'acme',
    });

    const events = [run.started(), run.stepStarted(), run.modelRequested()];

    expect(events.map((event) => [event.seq, event.timestamp])).toEqual([
      [0, 5_000],
      [1, 5_100],
      [2, 5_200],
    ]);
    expect(events[1]).toMatchObject({ agent: 'writer', tenant: 'acme', step: 1 });
    expect([run.seq, run.timestamp]).toEqual([3, 5_300]);
  });

  it('leaves out tenant when none is given and starts at SUITE_START', () => {
    const started = new RunEvents('run-1').started();

    expect(started).not.toHaveProperty('tenant');
    expect(started.timestamp).toBe(SUITE_START);
  });

  it('skips seqs and their time, and moves to a given timestamp', () => {
    const run = new RunEvents('run-1');
    run.started();

    const afterGap = run.skip(3).modelRequested();
    const later = run.at(SUITE_START + 60_000).cancelled();

    expect([afterGap.seq, afterGap.timestamp]).toEqual([4, SUITE_START + 40]);
    expect([later.seq, later.timestamp]).toEqual([5, SUITE_START + 60_000]);
  });

  it('sums model usage, cache tokens included, into the terminal events by default', () => {
    const run = new RunEvents('run-1');
    run.modelResponded({ inputTokens: 10, outputTokens: 2, cacheReadTokens: 4 });
    run.modelResponded({ inputTokens: 5, outputTokens: 1, cacheWriteTokens: 3 });
    run.modelResponded({ inputTokens: 1, outputTokens: 1, cacheReadTokens: 1, cacheWriteTokens: 1 });

    const total = { inputTokens: 16, outputTokens: 4, cacheReadTokens: 5, cacheWriteTokens: 4 };
    expect(run.usage).toEqual(total);
    expect(run.completed().usage).toEqual(total);
    expect(run.failed().usage).toEqual(total);
    expect(run.failed('TOOL_TIMEOUT').error.code).toBe('TOOL_TIMEOUT');
  });

  it('links a tool call to the model response that asked for it and to its result', () => {
    const run = new RunEvents('run-1');

    const responded = run.modelResponded(undefined, 'search');
    const called = run.toolCalled('search', { query: 'oslo' });
    const succeeded = run.toolSucceeded();
    const other = run.toolCalled('weather');

    const requested = responded.message.toolCalls?.[0];
    expect(responded.finishReason).toBe('tool-calls');
    expect(called.toolCall).toEqual({ id: requested?.id, name: 'search', arguments: { query: 'oslo' } });
    expect(succeeded).toMatchObject({ toolCallId: requested?.id, toolName: 'search' });
    expect(other.toolCall.id).not.toBe(requested?.id);
  });

  it('makes up a weather call for a tool result without one', () => {
    expect(new RunEvents('run-1').toolSucceeded()).toMatchObject({
      toolCallId: 'call_1',
      toolName: 'weather',
    });
  });

  it('builds a completed run of seven events ending with the summed usage', () => {
    const events = new RunEvents('run-1').completedRun();

    expect(events.map((event) => event.type)).toEqual([
      'run.started',
      'model.requested',
      'model.responded',
      'tool.called',
      'tool.succeeded',
      'model.responded',
      'run.completed',
    ]);
    expect(events.at(-1)).toMatchObject({ usage: { inputTokens: 200, outputTokens: 45 } });
  });
});
