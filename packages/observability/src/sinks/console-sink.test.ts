import { ConfigError, type Logger } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { ALL_EVENT_TYPES, makeAnyEvent, makeEvent, RecordingLogger } from './__fixtures__/events.js';
import { createConsoleSink } from './console-sink.js';

describe('createConsoleSink', () => {
  it('logs one line per event with the type as message and the run identity as fields', () => {
    const logger = new RecordingLogger();
    const sink = createConsoleSink(logger);

    sink.handle(makeEvent('tool.succeeded', { runId: 'r-9', seq: 4, agent: 'calc', tenant: 'acme' }));

    expect(logger.lines).toEqual([
      {
        level: 'info',
        message: 'tool.succeeded',
        fields: {
          runId: 'r-9',
          seq: 4,
          agent: 'calc',
          tenant: 'acme',
          step: 0,
          tool: 'echo',
          toolCallId: 'c1',
          durationMs: 2,
        },
      },
    ]);
  });

  it('summarises model calls with model, usage and duration', () => {
    const logger = new RecordingLogger();

    createConsoleSink(logger).handle(makeEvent('model.responded'));

    expect(logger.lines[0]?.fields).toMatchObject({
      provider: 'scripted',
      model: 'm-1',
      usage: { inputTokens: 3, outputTokens: 5 },
      finishReason: 'tool-calls',
      toolCalls: 1,
      durationMs: 12,
    });
    expect(logger.lines[0]?.fields).not.toHaveProperty('tenant');
  });

  it('logs failures at warn with the error code and message, and failed runs at error', () => {
    const logger = new RecordingLogger();
    const sink = createConsoleSink(logger);

    sink.handle(makeEvent('tool.failed'));
    sink.handle(makeEvent('model.failed'));
    sink.handle(makeEvent('plan.step.failed'));
    sink.handle(makeEvent('run.failed'));

    expect(logger.lines.map((line) => line.level)).toEqual(['warn', 'warn', 'warn', 'error']);
    expect(logger.lines[0]?.fields).toMatchObject({
      tool: 'broken',
      errorCode: 'TOOL_FAILED',
      errorMessage: 'disk on fire',
    });
    expect(logger.lines[3]?.fields).toMatchObject({
      errorCode: 'MODEL_AUTH',
      errorMessage: 'bad key',
      steps: 1,
    });
  });

  it('never logs message bodies, tool arguments or outputs unless verbose', () => {
    const logger = new RecordingLogger();
    const sink = createConsoleSink(logger, { includeDeltas: true });

    for (const type of ALL_EVENT_TYPES) sink.handle(makeAnyEvent(type));

    const logged = JSON.stringify(logger.lines);
    expect(logger.lines).toHaveLength(ALL_EVENT_TYPES.length);
    expect(logged).not.toMatch(/private|secret|alice@example\.com|Oslo|Hel"/);
  });

  it('logs content when verbose', () => {
    const logger = new RecordingLogger();
    const sink = createConsoleSink(logger, { verbose: true, includeDeltas: true });

    for (const type of ALL_EVENT_TYPES) sink.handle(makeAnyEvent(type));

    const byType = new Map(logger.lines.map((line) => [line.message, line.fields]));
    expect(byType.get('run.started')).toMatchObject({
      input: 'hello alice@example.com',
      metadata: { source: 'test' },
    });
    expect(byType.get('model.responded')).toMatchObject({ message: { content: 'secret answer' } });
    expect(byType.get('tool.called')).toMatchObject({ arguments: { text: 'private words' } });
    expect(byType.get('tool.succeeded')).toMatchObject({ output: 'private output' });
    expect(byType.get('run.completed')).toMatchObject({ output: 'private final answer' });
    expect(byType.get('model.text-delta')).toMatchObject({ delta: 'Hel', deltaChars: 3 });
    expect(byType.get('plan.created')).toMatchObject({ plan: { goal: 'private goal' }, planSteps: 1 });
    expect(byType.get('plan.step.started')).toMatchObject({
      description: 'look up the private thing',
      tool: 'echo',
    });
    expect(byType.get('plan.step.completed')).toMatchObject({ output: 'private step output' });
    expect(byType.get('plan.replanned')).toMatchObject({ reason: 'private reason', attempt: 2 });
    expect(byType.get('output.repaired')).toMatchObject({ errorMessage: expect.stringContaining('Oslo') });
  });

  it('skips text deltas by default and logs them at debug when asked', () => {
    const quiet = new RecordingLogger();
    const chatty = new RecordingLogger();

    createConsoleSink(quiet).handle(makeEvent('model.text-delta'));
    createConsoleSink(chatty, { includeDeltas: true }).handle(makeEvent('model.text-delta'));

    expect(quiet.lines).toEqual([]);
    expect(chatty.lines.map((line) => [line.level, line.fields?.deltaChars])).toEqual([['debug', 3]]);
  });

  it('applies per-type level overrides, including off', () => {
    const logger = new RecordingLogger();
    const sink = createConsoleSink(logger, { levels: { 'step.started': 'off', 'tool.called': 'debug' } });

    sink.handle(makeEvent('step.started'));
    sink.handle(makeEvent('tool.called'));
    sink.handle(makeEvent('ratelimit.limited'));
    sink.handle(makeEvent('run.cancelled'));

    expect(logger.lines.map((line) => [line.level, line.message])).toEqual([
      ['debug', 'tool.called'],
      ['warn', 'ratelimit.limited'],
      ['warn', 'run.cancelled'],
    ]);
    expect(logger.lines[1]?.fields).toMatchObject({
      rule: 'per-tenant',
      kind: 'calls',
      retryAfterMs: 500,
      action: 'wait',
    });
    expect(logger.lines[2]?.fields).toMatchObject({ reason: 'user aborted', steps: 0 });
  });

  it('adds the conversation id, and counts no tool calls or plan tool when there are none', () => {
    const logger = new RecordingLogger();
    const sink = createConsoleSink(logger);

    sink.handle({ ...makeEvent('run.started'), conversationId: 'conv-1' });
    sink.handle({ ...makeEvent('model.responded'), message: { role: 'assistant', content: 'hi' } });
    sink.handle({ ...makeEvent('plan.step.started'), tool: undefined });

    expect(logger.lines[0]?.fields).toMatchObject({ conversationId: 'conv-1', inputChars: 23 });
    expect(logger.lines[1]?.fields).toMatchObject({ toolCalls: 0 });
    expect(logger.lines[2]?.fields).toEqual({ runId: 'run-1', seq: 0, agent: 'helper', index: 0 });
  });

  it('rejects a missing logger and unknown levels with a ConfigError', () => {
    expect(() => createConsoleSink(null as unknown as Logger)).toThrow(/got null/);
    expect(() => createConsoleSink(undefined as unknown as Logger)).toThrow(ConfigError);
    expect(() =>
      createConsoleSink(new RecordingLogger(), { levels: { 'run.failed': 'loud' as 'error' } }),
    ).toThrow(/levels\.run\.failed.*debug, info, warn, error, off/);
  });
});
