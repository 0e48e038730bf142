import { ModelError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import completionWithToolCalls from './__fixtures__/completion-tool-calls.json' with { type: 'json' };
import { fromChatCompletion, parseToolArguments, toFinishReason, toUsage } from './convert-response.js';

const price = { inputPerMillion: 0.15, outputPerMillion: 0.6, cacheReadPerMillion: 0.075 };
const context = { provider: 'openai', modelId: 'gpt-4o-mini', price };

function textCompletion(message: Record<string, unknown>, finishReason = 'stop') {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

describe('fromChatCompletion', () => {
  it.each([
    ['a string', 'Internal Server Error'],
    ['null', null],
    ['a body without choices', { id: 'x' }],
    ['an empty choices array', { choices: [] }],
    ['a choice without a message', { choices: [{ index: 0, finish_reason: 'stop' }] }],
  ])('throws MODEL_INVALID_RESPONSE for %s', (_name, body) => {
    expect(() => fromChatCompletion(body, context)).toThrow(
      expect.objectContaining({ code: 'MODEL_INVALID_RESPONSE', provider: 'openai', modelId: 'gpt-4o-mini' }),
    );
  });

  it('throws MODEL_INVALID_RESPONSE for a tool call without a function name', () => {
    const body = textCompletion({
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: {} }],
    });

    expect(() => fromChatCompletion(body, context)).toThrow(ModelError);
  });

  it('shortens a long unexpected body in the error message', () => {
    const error = (() => {
      try {
        fromChatCompletion('x'.repeat(1000), context);
      } catch (caught) {
        return caught as ModelError;
      }
      throw new Error('expected a throw');
    })();

    expect(error.message.length).toBeLessThan(600);
    expect(error.message).toContain('…');
  });

  it('maps a recorded tool-call completion: calls, finish reason, usage with cache reads, cost and id', () => {
    const response = fromChatCompletion(completionWithToolCalls, context);

    expect(response).toEqual({
      message: {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'call_oslo', name: 'weather', arguments: { city: 'Oslo' } },
          { id: 'call_rome', name: 'weather', arguments: { city: 'Rome' } },
        ],
      },
      finishReason: 'tool-calls',
      usage: {
        inputTokens: 2000,
        outputTokens: 100,
        cacheReadTokens: 1024,
        costUsd: (976 * 0.15 + 1024 * 0.075 + 100 * 0.6) / 1_000_000,
      },
      responseId: 'chatcmpl-BWx3a1Example',
    });
  });

  it('maps a text answer without a toolCalls field', () => {
    const response = fromChatCompletion(textCompletion({ content: 'Hello.' }), context);

    expect(response.message).toEqual({ role: 'assistant', content: 'Hello.' });
    expect(response.finishReason).toBe('stop');
  });

  it('returns a refusal as the assistant text', () => {
    const response = fromChatCompletion(
      textCompletion({ content: null, refusal: 'I cannot help.' }),
      context,
    );

    expect(response.message.content).toBe('I cannot help.');
  });

  it('keeps tool arguments that are not JSON as the raw string', () => {
    const body = textCompletion({
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{city: Oslo' } },
      ],
    });

    expect(fromChatCompletion(body, context).message.toolCalls?.[0]?.arguments).toBe('{city: Oslo');
  });

  it('leaves costUsd out when the model has no price', () => {
    const response = fromChatCompletion(textCompletion({ content: 'Hi' }), { ...context, price: undefined });

    expect(response.usage).toEqual({ inputTokens: 10, outputTokens: 5 });
  });
});

describe('toFinishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['tool_calls', 'tool-calls'],
    ['function_call', 'tool-calls'],
    ['length', 'length'],
    ['content_filter', 'content-filter'],
    ['eos', 'other'],
    [null, 'other'],
  ])('maps %s to %s', (reason, expected) => {
    expect(toFinishReason(reason)).toBe(expected);
  });
});

describe('toUsage', () => {
  it('reports zero tokens and no cost when the server sent no usage', () => {
    expect(toUsage(undefined, price)).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  it('counts non-numeric token fields as zero', () => {
    expect(toUsage({ prompt_tokens: 'many', completion_tokens: null }, undefined)).toEqual({
      inputTokens: 0,
      outputTokens: 0,
    });
  });

  it('reads cached tokens from prompt_tokens_details, zero included', () => {
    const usage = toUsage(
      { prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 0 } },
      undefined,
    );

    expect(usage).toEqual({ inputTokens: 10, outputTokens: 2, cacheReadTokens: 0 });
  });

  it('prices the call with the cached-input price for cached tokens', () => {
    const usage = toUsage(
      {
        prompt_tokens: 1_000_000,
        completion_tokens: 1_000_000,
        prompt_tokens_details: { cached_tokens: 500_000 },
      },
      price,
    );

    expect(usage.costUsd).toBeCloseTo(0.5 * 0.15 + 0.5 * 0.075 + 0.6, 10);
  });
});

describe('parseToolArguments', () => {
  it('keeps text that is not JSON as the raw string', () => {
    expect(parseToolArguments('{"city": "Os')).toBe('{"city": "Os');
  });

  it('parses JSON', () => {
    expect(parseToolArguments('{"city":"Oslo"}')).toEqual({ city: 'Oslo' });
  });

  it('reads empty text as no arguments', () => {
    expect(parseToolArguments('  ')).toEqual({});
  });
});
