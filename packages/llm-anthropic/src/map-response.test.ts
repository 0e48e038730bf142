import { ModelError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { outputText, type ResponseContext, readMessage, toFinishReason, toUsage } from './map-response.js';
import { anthropicPrices } from './prices.js';

const context: ResponseContext = {
  modelId: 'claude-3-5-haiku-latest',
  prices: anthropicPrices,
  output: undefined,
};
const usage = { input_tokens: 10, output_tokens: 5 };

function invalid(data: unknown): ModelError {
  try {
    readMessage(data, context);
  } catch (error) {
    return error as ModelError;
  }
  throw new Error('readMessage accepted the body');
}

describe('readMessage', () => {
  it.each([
    ['a body that is not an object', 'not json'],
    ['a body without content', { usage }],
    ['a body without usage', { content: [] }],
    ['a block without a type', { content: [{ text: 'hi' }], usage }],
    ['a tool_use block without an id', { content: [{ type: 'tool_use', name: 'x', input: {} }], usage }],
    ['a text block without text', { content: [{ type: 'text' }], usage }],
  ])('rejects %s as MODEL_INVALID_RESPONSE', (_name, data) => {
    const error = invalid(data);

    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'MODEL_INVALID_RESPONSE', provider: 'anthropic', retryable: false });
  });

  it('joins text blocks and maps tool_use blocks to tool calls', () => {
    const response = readMessage(
      {
        id: 'msg_1',
        content: [
          { type: 'text', text: 'Let me ' },
          { type: 'thinking', thinking: 'hidden' },
          { type: 'text', text: 'check.' },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Oslo' } },
        ],
        stop_reason: 'tool_use',
        usage,
      },
      context,
    );

    expect(response).toMatchObject({
      responseId: 'msg_1',
      finishReason: 'tool-calls',
      message: {
        role: 'assistant',
        content: 'Let me check.',
        toolCalls: [{ id: 'toolu_1', name: 'weather', arguments: { city: 'Oslo' } }],
      },
    });
  });

  it('leaves toolCalls out of a text-only answer', () => {
    const response = readMessage(
      { content: [{ type: 'text', text: 'Hi' }], stop_reason: 'end_turn', usage },
      context,
    );

    expect(response.message).toEqual({ role: 'assistant', content: 'Hi' });
    expect(response.responseId).toBeUndefined();
  });

  it('returns the output tool input as the text of a final answer', () => {
    const structured: ResponseContext = { ...context, output: { name: 'output', wrapped: false } };

    const response = readMessage(
      {
        content: [
          { type: 'text', text: 'Here you go:' },
          { type: 'tool_use', id: 'toolu_1', name: 'output', input: { answer: 4 } },
        ],
        stop_reason: 'tool_use',
        usage,
      },
      structured,
    );

    expect(response.message).toEqual({ role: 'assistant', content: '{"answer":4}' });
    expect(response.finishReason).toBe('stop');
  });

  it('returns real tool calls when a structured request did not call the output tool', () => {
    const structured: ResponseContext = { ...context, output: { name: 'output', wrapped: false } };

    const response = readMessage(
      {
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'weather', input: {} }],
        stop_reason: 'tool_use',
        usage,
      },
      structured,
    );

    expect(response.message.toolCalls).toEqual([{ id: 'toolu_1', name: 'weather', arguments: {} }]);
    expect(response.finishReason).toBe('tool-calls');
  });
});

describe('outputText', () => {
  it('unwraps the value of a wrapped schema', () => {
    expect(outputText({ value: ['a', 'b'] }, { name: 'list', wrapped: true })).toBe('["a","b"]');
  });

  it('gives null when a wrapped answer has no value, so core reports the mismatch', () => {
    expect(outputText({}, { name: 'list', wrapped: true })).toBe('null');
  });
});

describe('toFinishReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['tool_use', 'tool-calls'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
    [null, 'other'],
    [undefined, 'other'],
  ])('maps %s to %s', (stopReason, finishReason) => {
    expect(toFinishReason(stopReason)).toBe(finishReason);
  });
});

describe('toUsage', () => {
  it('counts cached tokens into inputTokens, since Anthropic reports them apart', () => {
    const result = toUsage(
      {
        input_tokens: 100,
        output_tokens: 20,
        cache_read_input_tokens: 1000,
        cache_creation_input_tokens: 500,
      },
      'unknown-model',
      anthropicPrices,
    );

    expect(result).toEqual({
      inputTokens: 1600,
      outputTokens: 20,
      cacheReadTokens: 1000,
      cacheWriteTokens: 500,
    });
  });

  it('leaves cache counts out when the cache was not used', () => {
    const result = toUsage(
      { input_tokens: 10, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: null },
      'unknown-model',
      anthropicPrices,
    );

    expect(result).toEqual({ inputTokens: 10, outputTokens: 2 });
  });

  it('prices cache reads and writes at their own rates', () => {
    const result = toUsage(
      {
        input_tokens: 1_000_000,
        output_tokens: 1_000_000,
        cache_read_input_tokens: 1_000_000,
        cache_creation_input_tokens: 1_000_000,
      },
      'claude-3-5-haiku-20241022',
      anthropicPrices,
    );

    // 0.80 input + 4 output + 0.08 cache read + 1.00 cache write
    expect(result.costUsd).toBeCloseTo(5.88, 10);
  });

  it('leaves costUsd out for a model without a price', () => {
    expect(toUsage(usage, 'claude-unknown-9', anthropicPrices).costUsd).toBeUndefined();
  });
});
