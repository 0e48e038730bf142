import type { ModelStreamEvent } from '@agent/core';
import { describe, expect, it } from 'vitest';
import completionWithToolCalls from './__fixtures__/completion-tool-calls.json' with { type: 'json' };
import streamWithToolCalls from './__fixtures__/stream-tool-calls.json' with { type: 'json' };
import { fromChatCompletion } from './convert-response.js';
import { StreamAccumulator } from './stream-accumulator.js';

const context = {
  provider: 'openai',
  modelId: 'gpt-4o-mini',
  price: { inputPerMillion: 0.15, outputPerMillion: 0.6, cacheReadPerMillion: 0.075 },
};

function chunk(delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id: 'chatcmpl-2',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

function run(chunks: unknown[]): ModelStreamEvent[] {
  const accumulator = new StreamAccumulator(context);
  const events = chunks.flatMap((item) => accumulator.push(item));
  return [...events, ...accumulator.finish()];
}

describe('StreamAccumulator', () => {
  it('throws MODEL_CONNECTION when the stream ends without a finish_reason', () => {
    const accumulator = new StreamAccumulator(context);
    accumulator.push(chunk({ content: 'Half an ans' }));

    expect(() => accumulator.finish()).toThrow(
      expect.objectContaining({ code: 'MODEL_CONNECTION', retryable: true }),
    );
  });

  it.each([
    ['a string', 'data'],
    ['choices that are not an array', { choices: {} }],
    ['a choice that is not an object', { choices: [42] }],
    ['a tool-call fragment without an index', chunk({ tool_calls: [{ id: 'call_1' }] })],
  ])('throws MODEL_INVALID_RESPONSE for %s', (_name, bad) => {
    const accumulator = new StreamAccumulator(context);

    expect(() => accumulator.push(bad)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID_RESPONSE' }));
  });

  it('throws MODEL_INVALID_RESPONSE at the end when a streamed tool call never got a name', () => {
    const accumulator = new StreamAccumulator(context);
    accumulator.push(chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { arguments: '{}' } }] }));
    accumulator.push(chunk({}, 'tool_calls'));

    expect(() => accumulator.finish()).toThrow(expect.objectContaining({ code: 'MODEL_INVALID_RESPONSE' }));
  });

  it('yields text deltas, then finish with the assembled text', () => {
    const events = run([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo.' }),
      chunk({}, 'stop'),
    ]);

    expect(events).toEqual([
      { type: 'text-delta', delta: 'Hel' },
      { type: 'text-delta', delta: 'lo.' },
      {
        type: 'finish',
        response: {
          message: { role: 'assistant', content: 'Hello.' },
          finishReason: 'stop',
          usage: { inputTokens: 0, outputTokens: 0 },
          responseId: 'chatcmpl-2',
        },
      },
    ]);
  });

  it('streams a refusal as text', () => {
    const events = run([chunk({ refusal: 'No.' }), chunk({}, 'stop')]);

    expect(events[0]).toEqual({ type: 'text-delta', delta: 'No.' });
  });

  it('yields tool-call deltas with id and name only on the fragment that carried them', () => {
    const events = run(streamWithToolCalls).filter((event) => event.type === 'tool-call-delta');

    expect(events.slice(0, 2)).toEqual([
      { type: 'tool-call-delta', index: 0, id: 'call_oslo', name: 'weather', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"ci' },
    ]);
  });

  it('assembles interleaved parallel tool calls by index and emits them in index order before finish', () => {
    const events = run(streamWithToolCalls).filter((event) => event.type !== 'tool-call-delta');

    expect(events.map((event) => event.type)).toEqual(['tool-call', 'tool-call', 'finish']);
    expect(events.slice(0, 2)).toEqual([
      { type: 'tool-call', toolCall: { id: 'call_oslo', name: 'weather', arguments: { city: 'Oslo' } } },
      { type: 'tool-call', toolCall: { id: 'call_rome', name: 'weather', arguments: { city: 'Rome' } } },
    ]);
  });

  it('finishes with the same response generate gives for the same answer', () => {
    const finish = run(streamWithToolCalls).at(-1);

    expect(finish).toEqual({
      type: 'finish',
      response: fromChatCompletion(completionWithToolCalls, context),
    });
  });

  it('ignores a choice without a delta', () => {
    const events = run([{ choices: [{ index: 0, finish_reason: 'stop' }] }]);

    expect(events.map((event) => event.type)).toEqual(['finish']);
  });
});
