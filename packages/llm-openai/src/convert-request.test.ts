import { assistantMessage, type ModelRequest, systemMessage, userMessage } from '@agent/core';
import { describe, expect, it } from 'vitest';
import {
  toChatMessage,
  toChatRequestBody,
  toToolChoice,
  usesMaxCompletionTokens,
} from './convert-request.js';

const weatherTool = {
  name: 'weather',
  description: 'Current weather in a city.',
  inputSchema: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
};

const closedSchema = {
  type: 'object',
  properties: { answer: { type: 'string' } },
  required: ['answer'],
  additionalProperties: false,
};

function body(request: Partial<ModelRequest>, modelId = 'gpt-4o-mini') {
  return toChatRequestBody(modelId, { messages: [userMessage('Hi')], ...request });
}

describe('toChatRequestBody', () => {
  it('leaves tool_choice out when there are no tools, because OpenAI rejects it alone', () => {
    const result = body({ settings: { toolChoice: 'required' } });

    expect(result).not.toHaveProperty('tool_choice');
    expect(result).not.toHaveProperty('tools');
  });

  it('sends a strict schema as strict json_schema', () => {
    const result = body({
      settings: { responseFormat: { type: 'json_schema', name: 'answer', schema: closedSchema } },
    });

    expect(result.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema: closedSchema, strict: true },
    });
  });

  it('falls back to strict false when the schema has an optional property', () => {
    const schema = { ...closedSchema, properties: { answer: { type: 'string' }, note: { type: 'string' } } };

    const result = body({ settings: { responseFormat: { type: 'json_schema', name: 'answer', schema } } });

    expect(result.response_format).toMatchObject({ json_schema: { strict: false } });
  });

  it('sends strict false when the caller asks for it', () => {
    const format = { type: 'json_schema' as const, name: 'answer', schema: closedSchema, strict: false };

    const result = body({ settings: { responseFormat: format } });

    expect(result.response_format).toMatchObject({ json_schema: { strict: false } });
  });

  it('sends the model id and the messages', () => {
    const result = body({ messages: [systemMessage('Be brief.'), userMessage('Hi')] });

    expect(result).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
  });

  it('sends tools as function tools with the input schema as parameters', () => {
    const result = body({ tools: [weatherTool] });

    expect(result.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'weather',
          description: 'Current weather in a city.',
          parameters: weatherTool.inputSchema,
        },
      },
    ]);
  });

  it('sends tool_choice next to tools', () => {
    const result = body({ tools: [weatherTool], settings: { toolChoice: { name: 'weather' } } });

    expect(result.tool_choice).toEqual({ type: 'function', function: { name: 'weather' } });
  });

  it('sends temperature', () => {
    expect(body({ settings: { temperature: 0.2 } }).temperature).toBe(0.2);
  });

  it('sends maxTokens as max_tokens for gpt-4o', () => {
    const result = body({ settings: { maxTokens: 100 } }, 'gpt-4o');

    expect(result).toMatchObject({ max_tokens: 100 });
    expect(result).not.toHaveProperty('max_completion_tokens');
  });

  it('sends maxTokens as max_completion_tokens for reasoning models', () => {
    const result = body({ settings: { maxTokens: 100 } }, 'o4-mini');

    expect(result).toMatchObject({ max_completion_tokens: 100 });
    expect(result).not.toHaveProperty('max_tokens');
  });
});

describe('usesMaxCompletionTokens', () => {
  it.each(['o1', 'o1-mini', 'o3-mini', 'o4-mini-2025-04-16', 'gpt-5', 'gpt-5-mini', 'ft:o4-mini:acme::x'])(
    'is true for %s',
    (modelId) => {
      expect(usesMaxCompletionTokens(modelId)).toBe(true);
    },
  );

  it.each(['gpt-4o', 'gpt-4.1-mini', 'gpt-3.5-turbo', 'llama3.2', 'ft:gpt-4o-mini:acme::x'])(
    'is false for %s',
    (modelId) => {
      expect(usesMaxCompletionTokens(modelId)).toBe(false);
    },
  );
});

describe('toChatMessage', () => {
  it('sends null content next to tool calls when the assistant said nothing', () => {
    const message = assistantMessage('', [{ id: 'call_1', name: 'weather', arguments: { city: 'Oslo' } }]);

    expect(toChatMessage(message)).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
      ],
    });
  });

  it('sends arguments that were not JSON back as the raw text', () => {
    const message = assistantMessage('Checking.', [
      { id: 'call_1', name: 'weather', arguments: '{city: Oslo' },
    ]);

    expect(toChatMessage(message)).toMatchObject({
      content: 'Checking.',
      tool_calls: [{ function: { arguments: '{city: Oslo' } }],
    });
  });

  it('sends missing arguments as an empty object', () => {
    const message = assistantMessage('', [{ id: 'call_1', name: 'now', arguments: undefined }]);

    expect(toChatMessage(message)).toMatchObject({ tool_calls: [{ function: { arguments: '{}' } }] });
  });

  it('sends a plain assistant message as text', () => {
    expect(toChatMessage(assistantMessage('Hello.'))).toEqual({ role: 'assistant', content: 'Hello.' });
  });

  it('sends a tool result as role tool with its call id', () => {
    const message = { role: 'tool' as const, toolCallId: 'call_1', toolName: 'weather', content: '{"c":21}' };

    expect(toChatMessage(message)).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '{"c":21}' });
  });
});

describe('toToolChoice', () => {
  it.each(['auto', 'none', 'required'] as const)('passes %s through', (choice) => {
    expect(toToolChoice(choice)).toBe(choice);
  });

  it('turns a named choice into a function choice', () => {
    expect(toToolChoice({ name: 'weather' })).toEqual({ type: 'function', function: { name: 'weather' } });
  });
});
