import { type ModelRequest, systemMessage, type ToolDefinition, userMessage } from '@agent/core';
import type { FakeReply } from '@agent/fake-llm-server';
import { expect, it } from 'vitest';
import { collect, textOf } from './collect.js';
import type { ConformanceContext } from './conformance-context.js';

const forecastTool: ToolDefinition = {
  name: 'lookupForecast',
  description: 'Looks up the weather forecast for a city.',
  inputSchema: {
    type: 'object',
    properties: {
      forecastCity: { type: 'string', description: 'City name' },
      unitSystem: { type: 'string', enum: ['metric', 'imperial'] },
    },
    required: ['forecastCity'],
    additionalProperties: false,
  },
};

const addTool: ToolDefinition = {
  name: 'addNumbers',
  description: 'Adds two numbers.',
  inputSchema: {
    type: 'object',
    properties: { left: { type: 'number' }, right: { type: 'number' } },
    required: ['left', 'right'],
  },
};

const ask = (text: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  messages: [userMessage(text)],
  ...extra,
});

/** Registers the tests of successful answers: text, tools, streaming, structured output, usage. */
export function registerAnswerTests(context: ConformanceContext): void {
  const { options } = context;

  it('answers plain text with finish reason stop, the scripted usage, and sends the system prompt and user text', async () => {
    const server = context.server();
    server.enqueue({
      kind: 'text',
      text: 'Hello from the fake model.',
      usage: { inputTokens: 21, outputTokens: 8 },
    });

    const response = await context.model().generate({
      messages: [systemMessage('You are a terse assistant.'), userMessage('Say hello to Ingrid.')],
    });

    expect(response.message.role).toBe('assistant');
    expect(response.message.content).toBe('Hello from the fake model.');
    expect(response.message.toolCalls ?? []).toEqual([]);
    expect(response.finishReason).toBe('stop');
    expect(response.usage).toMatchObject({ inputTokens: 21, outputTokens: 8 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.provider).toBe(options.provider);
    const wire = JSON.stringify(server.requests[0]?.body);
    expect(wire).toContain('You are a terse assistant.');
    expect(wire).toContain('Say hello to Ingrid.');
  });

  it('maps the length and content-filter finish reasons', async () => {
    const server = context.server();
    server.enqueue(
      { kind: 'text', text: 'Cut sho', finishReason: 'length' },
      { kind: 'text', text: '', finishReason: 'content-filter' },
    );
    const model = context.model();

    const truncated = await model.generate(ask('Write a long story.'));
    const filtered = await model.generate(ask('Something unsafe.'));

    expect(truncated.finishReason).toBe('length');
    expect(truncated.message.content).toBe('Cut sho');
    expect(filtered.finishReason).toBe('content-filter');
  });

  it('sends tools with their name, description and JSON Schema', async () => {
    const server = context.server();
    server.enqueue({ kind: 'text', text: 'No tool needed.' });

    await context.model().generate(ask('Hi', { tools: [forecastTool, addTool] }));

    const wire = JSON.stringify(server.requests[0]?.body);
    for (const expected of [
      'lookupForecast',
      'Looks up the weather forecast for a city.',
      'forecastCity',
      'unitSystem',
      'imperial',
      'addNumbers',
    ]) {
      expect(wire).toContain(expected);
    }
  });

  it('returns a tool call with parsed arguments, then sends the tool result linked to the same call id', async () => {
    const server = context.server();
    server.enqueue(
      { kind: 'tool-calls', calls: [{ name: 'lookupForecast', arguments: { forecastCity: 'Oslo' } }] },
      { kind: 'text', text: 'It is sunny in Oslo.' },
    );
    const model = context.model();
    const request = ask('What is the weather in Oslo?', { tools: [forecastTool] });

    const first = await model.generate(request);
    const call = first.message.toolCalls?.[0];
    const second = await model.generate({
      ...request,
      messages: [
        ...request.messages,
        first.message,
        {
          role: 'tool',
          toolCallId: call?.id ?? 'missing',
          toolName: 'lookupForecast',
          content: '{"sky":"sunny-17C"}',
        },
      ],
    });

    expect(first.finishReason).toBe('tool-calls');
    expect(first.message.toolCalls).toHaveLength(1);
    expect(call).toMatchObject({ name: 'lookupForecast', arguments: { forecastCity: 'Oslo' } });
    expect(call?.id).toEqual(expect.any(String));
    expect(second.message.content).toBe('It is sunny in Oslo.');
    const wire = JSON.stringify(server.requests[1]?.body);
    expect(wire).toContain(call?.id);
    expect(wire).toContain('sunny-17C');
  });

  it('returns parallel tool calls in order, each with parsed arguments and its own id', async () => {
    context.server().enqueue({
      kind: 'tool-calls',
      calls: [
        { name: 'lookupForecast', arguments: { forecastCity: 'Oslo', unitSystem: 'metric' } },
        { name: 'addNumbers', arguments: { left: 2, right: 3 } },
      ],
    });

    const response = await context
      .model()
      .generate(ask('Weather, and 2+3?', { tools: [forecastTool, addTool] }));

    expect(response.finishReason).toBe('tool-calls');
    expect(response.message.toolCalls?.map(({ name, arguments: input }) => ({ name, input }))).toEqual([
      { name: 'lookupForecast', input: { forecastCity: 'Oslo', unitSystem: 'metric' } },
      { name: 'addNumbers', input: { left: 2, right: 3 } },
    ]);
    const ids = response.message.toolCalls?.map((call) => call.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('passes tool arguments that are not valid JSON on as the raw string, streamed or not', async () => {
    const broken = '{"forecastCity": "Oslo"';
    const reply: FakeReply = { kind: 'tool-calls', calls: [{ name: 'lookupForecast', arguments: broken }] };
    context.server().enqueue(reply, reply);
    const model = context.model();

    const generated = await model.generate(ask('Weather?', { tools: [forecastTool] }));
    const streamed = await collect(model.stream(ask('Weather?', { tools: [forecastTool] })));

    expect(generated.message.toolCalls?.[0]?.arguments).toBe(broken);
    expect(streamed.response.message.toolCalls?.[0]?.arguments).toBe(broken);
  });

  it('streams text deltas that concatenate to the same text, usage and finish reason generate returns', async () => {
    const server = context.server();
    const reply: FakeReply = {
      kind: 'text',
      text: 'Streaming works, one small piece at a time.',
      usage: { inputTokens: 30, outputTokens: 12 },
    };
    server.enqueue(reply, reply);
    const model = context.model();

    const generated = await model.generate(ask('Stream something.'));
    const { events, response } = await collect(model.stream(ask('Stream something.')));

    expect(server.requests[1]?.stream).toBe(true);
    expect(events.filter((event) => event.type === 'text-delta').length).toBeGreaterThan(1);
    expect(textOf(events)).toBe(generated.message.content);
    expect(response.message).toEqual(generated.message);
    expect(response.usage).toEqual(generated.usage);
    expect(response.finishReason).toBe(generated.finishReason);
  });

  it('streams one complete tool-call event per call, and finishes with what generate returns', async () => {
    const reply: FakeReply = {
      kind: 'tool-calls',
      text: 'Checking both.',
      calls: [
        {
          id: 'call_forecast',
          name: 'lookupForecast',
          arguments: { forecastCity: 'Oslo', unitSystem: 'metric' },
        },
        { id: 'call_add', name: 'addNumbers', arguments: { left: 2, right: 3 } },
      ],
      usage: { inputTokens: 40, outputTokens: 25 },
    };
    context.server().enqueue(reply, reply);
    const model = context.model();
    const request = ask('Weather, and 2+3?', { tools: [forecastTool, addTool] });

    const generated = await model.generate(request);
    const { events, response } = await collect(model.stream(request));

    const toolCalls = events.flatMap((event) => (event.type === 'tool-call' ? [event.toolCall] : []));
    expect(toolCalls).toEqual(generated.message.toolCalls);
    expect(toolCalls).toHaveLength(2);
    expect(textOf(events)).toBe('Checking both.');
    expect(response.message).toEqual(generated.message);
    expect(response.usage).toEqual(generated.usage);
    expect(response.finishReason).toBe('tool-calls');
  });

  it('asks for JSON Schema output and returns the answer as JSON text', async () => {
    const server = context.server();
    const value = { forecastCity: 'Oslo', highCelsius: 17, dry: true };
    server.enqueue({ kind: 'json', value });

    const response = await context
      .model()
      .generate(ask('Forecast for Oslo as JSON.', { settings: structured }));

    expect(JSON.parse(response.message.content)).toEqual(value);
    expect(response.message.toolCalls ?? []).toEqual([]);
    expect(response.finishReason).toBe('stop');
    expect(JSON.stringify(server.requests[0]?.body)).toContain('highCelsius');
  });

  it('streams structured output as the same JSON text generate returns', async () => {
    const value = { forecastCity: 'Bergen', highCelsius: 12, dry: false };
    context.server().enqueue({ kind: 'json', value }, { kind: 'json', value });
    const model = context.model();

    const generated = await model.generate(ask('Forecast as JSON.', { settings: structured }));
    const { response } = await collect(model.stream(ask('Forecast as JSON.', { settings: structured })));

    expect(JSON.parse(response.message.content)).toEqual(value);
    expect(response.message).toEqual(generated.message);
    expect(response.finishReason).toBe(generated.finishReason);
  });

  it('reports cache reads (and writes, where the vendor reports them) with input tokens counting them', async () => {
    const usage = { inputTokens: 1200, outputTokens: 5, cacheReadTokens: 1000, cacheWriteTokens: 150 };
    context
      .server()
      .enqueue({ kind: 'text', text: 'Cached.', usage }, { kind: 'text', text: 'Cached.', usage });
    const model = context.model();

    const generated = await model.generate(ask('Long cached prompt.'));
    const { response: streamed } = await collect(model.stream(ask('Long cached prompt.')));

    for (const result of [generated.usage, streamed.usage]) {
      expect(result).toMatchObject({ inputTokens: 1200, outputTokens: 5, cacheReadTokens: 1000 });
      // OpenAI's chat completions report no cache writes, so only Anthropic can be held to them.
      if (options.provider === 'anthropic') expect(result.cacheWriteTokens).toBe(150);
    }
  });
}

const structured: NonNullable<ModelRequest['settings']> = {
  responseFormat: {
    type: 'json_schema',
    name: 'forecast',
    schema: {
      type: 'object',
      properties: {
        forecastCity: { type: 'string' },
        highCelsius: { type: 'number' },
        dry: { type: 'boolean' },
      },
      required: ['forecastCity', 'highCelsius', 'dry'],
      additionalProperties: false,
    },
  },
};
