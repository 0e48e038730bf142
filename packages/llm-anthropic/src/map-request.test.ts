import type { JsonSchemaResponseFormat, Message, ToolDefinition } from '@agent/core';
import { describe, expect, it } from 'vitest';
import {
  toAnthropicMessages,
  toAnthropicRequest,
  toAnthropicToolChoice,
  toToolInput,
} from './map-request.js';

const MODEL = 'claude-haiku-4-5';

const weather: ToolDefinition = {
  name: 'weather',
  description: 'Current weather in a city.',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const answerFormat: JsonSchemaResponseFormat = {
  type: 'json_schema',
  name: 'output',
  schema: { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'] },
};

describe('toToolInput', () => {
  it('sends {} for arguments that are text but not JSON', () => {
    expect(toToolInput('{"city": "Os')).toEqual({});
  });

  it('sends {} for arguments that are JSON but not an object', () => {
    expect(toToolInput('[1, 2]')).toEqual({});
    expect(toToolInput(42)).toEqual({});
    expect(toToolInput(null)).toEqual({});
  });

  it('parses arguments stored as JSON text of an object', () => {
    expect(toToolInput('{"city":"Oslo"}')).toEqual({ city: 'Oslo' });
  });

  it('sends object arguments as they are', () => {
    const input = { city: 'Oslo' };

    expect(toToolInput(input)).toBe(input);
  });
});

describe('toAnthropicMessages', () => {
  it('drops turns that would be empty, which the API rejects', () => {
    const messages: Message[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'Anyone there?' },
    ];

    expect(toAnthropicMessages(messages).messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi' },
          { type: 'text', text: 'Anyone there?' },
        ],
      },
    ]);
  });

  it('moves system messages into one system prompt joined with blank lines', () => {
    const messages: Message[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: 'Answer in Norwegian.' },
    ];

    const mapped = toAnthropicMessages(messages);

    expect(mapped.system).toBe('Be brief.\n\nAnswer in Norwegian.');
    expect(mapped.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  it('leaves the system prompt out when there is none', () => {
    expect(toAnthropicMessages([{ role: 'user', content: 'Hi' }]).system).toBeUndefined();
  });

  it('maps assistant tool calls to tool_use blocks after the text', () => {
    const messages: Message[] = [
      {
        role: 'assistant',
        content: 'Checking.',
        toolCalls: [{ id: 'toolu_1', name: 'weather', arguments: { city: 'Oslo' } }],
      },
    ];

    expect(toAnthropicMessages(messages).messages).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Oslo' } },
        ],
      },
    ]);
  });

  it('merges consecutive tool results into one user turn of tool_result blocks', () => {
    const messages: Message[] = [
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'toolu_1', name: 'weather', arguments: { city: 'Oslo' } },
          { id: 'toolu_2', name: 'weather', arguments: { city: 'Bergen' } },
        ],
      },
      { role: 'tool', toolCallId: 'toolu_1', toolName: 'weather', content: 'Sunny' },
      { role: 'tool', toolCallId: 'toolu_2', toolName: 'weather', content: 'City not found', isError: true },
    ];

    const [, results] = toAnthropicMessages(messages).messages;

    expect(results).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' },
        { type: 'tool_result', tool_use_id: 'toolu_2', content: 'City not found', is_error: true },
      ],
    });
  });

  it('leaves the content of an empty tool result out', () => {
    const messages: Message[] = [{ role: 'tool', toolCallId: 'toolu_1', toolName: 'noop', content: '' }];

    expect(toAnthropicMessages(messages).messages[0]?.content).toEqual([
      { type: 'tool_result', tool_use_id: 'toolu_1' },
    ]);
  });

  it('merges a user message with adjacent tool results, tool results first', () => {
    const messages: Message[] = [
      { role: 'assistant', content: '', toolCalls: [{ id: 'toolu_1', name: 'weather', arguments: {} }] },
      { role: 'user', content: 'Also, hurry.' },
      { role: 'tool', toolCallId: 'toolu_1', toolName: 'weather', content: 'Rain' },
    ];

    const [, turn] = toAnthropicMessages(messages).messages;

    expect(turn).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'Rain' },
        { type: 'text', text: 'Also, hurry.' },
      ],
    });
  });

  it('merges adjacent assistant messages so roles alternate', () => {
    const messages: Message[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello.' },
      { role: 'assistant', content: 'How can I help?' },
    ];

    const mapped = toAnthropicMessages(messages).messages;

    expect(mapped.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(mapped[1]?.content).toHaveLength(2);
  });
});

describe('toAnthropicToolChoice', () => {
  it.each([
    ['auto' as const, { type: 'auto' }],
    ['none' as const, { type: 'none' }],
    ['required' as const, { type: 'any' }],
    [{ name: 'weather' }, { type: 'tool', name: 'weather' }],
  ])('maps %j', (choice, expected) => {
    expect(toAnthropicToolChoice(choice)).toEqual(expected);
  });
});

describe('toAnthropicRequest', () => {
  it('sends the default max_tokens when the request sets none', () => {
    const { body } = toAnthropicRequest({ messages: [{ role: 'user', content: 'Hi' }] }, MODEL, 4096);

    expect(body).toEqual({
      model: MODEL,
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
  });

  it('sends settings.maxTokens and temperature when set', () => {
    const { body } = toAnthropicRequest(
      { messages: [{ role: 'user', content: 'Hi' }], settings: { maxTokens: 100, temperature: 0.2 } },
      MODEL,
      4096,
    );

    expect(body).toMatchObject({ max_tokens: 100, temperature: 0.2 });
  });

  it('maps tools to name, description and input_schema', () => {
    const { body } = toAnthropicRequest({ messages: [], tools: [weather] }, MODEL, 4096);

    expect(body.tools).toEqual([
      { name: 'weather', description: weather.description, input_schema: weather.inputSchema },
    ]);
    expect(body.tool_choice).toBeUndefined();
  });

  it('sends the tool choice only with tools, since the API rejects it alone', () => {
    const withTools = toAnthropicRequest(
      { messages: [], tools: [weather], settings: { toolChoice: 'required' } },
      MODEL,
      1,
    );
    const withoutTools = toAnthropicRequest({ messages: [], settings: { toolChoice: 'required' } }, MODEL, 1);

    expect(withTools.body.tool_choice).toEqual({ type: 'any' });
    expect(withoutTools.body.tool_choice).toBeUndefined();
  });

  it('forces an output tool for a response format when there are no real tools', () => {
    const { body, output } = toAnthropicRequest(
      { messages: [], settings: { responseFormat: answerFormat } },
      MODEL,
      1,
    );

    expect(output).toEqual({ name: 'output', wrapped: false });
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'output' });
    expect(body.tools).toEqual([
      expect.objectContaining({ name: 'output', input_schema: answerFormat.schema }),
    ]);
  });

  it('adds the output tool beside real tools under tool choice auto', () => {
    const { body } = toAnthropicRequest(
      { messages: [], tools: [weather], settings: { responseFormat: answerFormat } },
      MODEL,
      1,
    );

    expect(body.tools?.map((tool) => tool.name)).toEqual(['weather', 'output']);
    expect(body.tool_choice).toEqual({ type: 'auto' });
  });

  it('forces the output tool alone when tool choice is none', () => {
    const { body } = toAnthropicRequest(
      { messages: [], tools: [weather], settings: { responseFormat: answerFormat, toolChoice: 'none' } },
      MODEL,
      1,
    );

    expect(body.tools?.map((tool) => tool.name)).toEqual(['output']);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'output' });
  });

  it('renames the output tool when a real tool already has its name', () => {
    const clash: ToolDefinition = { ...weather, name: 'output' };

    const { output } = toAnthropicRequest(
      { messages: [], tools: [clash], settings: { responseFormat: answerFormat } },
      MODEL,
      1,
    );

    expect(output?.name).toBe('output_2');
  });

  it('makes the output tool name valid for the API', () => {
    const format = { ...answerFormat, name: 'weather report!' };

    const { output } = toAnthropicRequest({ messages: [], settings: { responseFormat: format } }, MODEL, 1);

    expect(output?.name).toBe('weather_report_');
  });

  it('wraps a schema that is not an object, since tool input must be one', () => {
    const format: JsonSchemaResponseFormat = {
      type: 'json_schema',
      name: 'list',
      schema: { type: 'array', items: { type: 'string' } },
    };

    const { body, output } = toAnthropicRequest(
      { messages: [], settings: { responseFormat: format } },
      MODEL,
      1,
    );

    expect(output?.wrapped).toBe(true);
    expect(body.tools?.[0]).toMatchObject({
      input_schema: { type: 'object', properties: { value: format.schema }, required: ['value'] },
    });
  });
});
