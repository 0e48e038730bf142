import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chat, jsonOf, openaiBody, post, readEvents } from './__fixtures__/http.js';
import { startFakeLlmServer } from './fake-llm-server.js';
import type { FakeLlmServer } from './types.js';

interface Chunk {
  id: string;
  object: string;
  model: string;
  choices: {
    index: number;
    delta: {
      role?: string;
      content?: string;
      tool_calls?: {
        index: number;
        id?: string;
        type?: string;
        function: { name?: string; arguments: string };
      }[];
    };
    finish_reason: string | null;
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}

const CHAT = '/v1/chat/completions';
let server: FakeLlmServer;

beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterEach(() => server.reset());
afterAll(() => server.close());

describe('OpenAI chat completions, not streamed', () => {
  it('answers text as a chat.completion that echoes the model, with default usage', async () => {
    server.enqueue({ kind: 'text', text: 'Hi there' });

    const response = await post(server, CHAT, openaiBody());

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-test',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi there', refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
    });
  });

  it('maps the scripted finish reason and reports cached tokens', async () => {
    server.enqueue(
      { kind: 'text', text: 'cut', finishReason: 'length', usage: { inputTokens: 9, outputTokens: 2 } },
      {
        kind: 'text',
        text: '',
        finishReason: 'content-filter',
        usage: { inputTokens: 100, outputTokens: 1, cacheReadTokens: 80 },
      },
    );

    const first = await chat(server, openaiBody());
    const second = await chat(server, openaiBody());

    expect(first).toMatchObject({ choices: [{ finish_reason: 'length' }], usage: { total_tokens: 11 } });
    expect(first.usage.prompt_tokens_details).toBeUndefined();
    expect(second).toMatchObject({
      choices: [{ finish_reason: 'content_filter', message: { content: '' } }],
      usage: { prompt_tokens: 100, prompt_tokens_details: { cached_tokens: 80 } },
    });
  });

  it('answers tool calls with null content, default ids and JSON arguments', async () => {
    server.enqueue({
      kind: 'tool-calls',
      calls: [
        { name: 'add', arguments: { a: 2, b: 3 } },
        { id: 'mine', name: 'broken', arguments: '{"a": 2' },
      ],
    });

    const body = await chat(server, openaiBody());

    expect(body.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } },
          { id: 'mine', type: 'function', function: { name: 'broken', arguments: '{"a": 2' } },
        ],
      },
      finish_reason: 'tool_calls',
      logprobs: null,
    });
  });

  it('keeps text next to tool calls', async () => {
    server.enqueue({ kind: 'tool-calls', text: 'Let me add.', calls: [{ name: 'add', arguments: {} }] });

    const body = await chat(server, openaiBody());

    expect(body.choices[0]?.message.content).toBe('Let me add.');
  });

  it('answers structured output as JSON text in the message content', async () => {
    server.enqueue({ kind: 'json', value: { city: 'Oslo', days: [1, 2] } });

    const body = await chat(server, openaiBody());

    expect(JSON.parse(body.choices[0]?.message.content ?? '')).toEqual({ city: 'Oslo', days: [1, 2] });
    expect(body.choices[0]?.finish_reason).toBe('stop');
  });
});

describe('OpenAI chat completions, streamed', () => {
  it('streams text in several deltas, then finish, usage and [DONE]', async () => {
    server.enqueue({
      kind: 'text',
      text: 'Hello, streaming world',
      usage: { inputTokens: 3, outputTokens: 4 },
    });

    const response = await post(
      server,
      CHAT,
      openaiBody({ stream: true, stream_options: { include_usage: true } }),
    );
    const events = await readEvents(response);
    const chunks = jsonOf<Chunk>(events);

    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(events.at(-1)?.data).toBe('[DONE]');
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const contents = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content ?? ''));
    expect(contents.filter((content) => content !== '').length).toBeGreaterThan(2);
    expect(contents.join('')).toBe('Hello, streaming world');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } });
    expect(
      chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.id === 'chatcmpl-1'),
    ).toBe(true);
  });

  it('sends no usage chunk unless stream_options.include_usage asks for it', async () => {
    server.enqueue({ kind: 'text', text: 'Hi' });

    const chunks = jsonOf<Chunk>(await readEvents(await post(server, CHAT, openaiBody({ stream: true }))));

    expect(chunks.every((chunk) => chunk.usage === undefined && chunk.choices.length === 1)).toBe(true);
  });

  it('streams parallel tool calls as interleaved argument fragments assembled by index', async () => {
    server.enqueue({
      kind: 'tool-calls',
      calls: [
        { id: 'call_a', name: 'add', arguments: { a: 2, b: 3 } },
        { id: 'call_b', name: 'weather', arguments: { city: 'Oslo' } },
      ],
    });

    const chunks = jsonOf<Chunk>(await readEvents(await post(server, CHAT, openaiBody({ stream: true }))));
    const deltas = chunks.flatMap((chunk) =>
      chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []),
    );
    const assembled = ['', ''];
    for (const delta of deltas) assembled[delta.index] += delta.function.arguments;

    expect(deltas.filter((delta) => delta.id !== undefined)).toEqual([
      { index: 0, id: 'call_a', type: 'function', function: { name: 'add', arguments: '' } },
      { index: 1, id: 'call_b', type: 'function', function: { name: 'weather', arguments: '' } },
    ]);
    expect(deltas.map((delta) => delta.index).slice(2, 4)).toEqual([0, 1]);
    expect(deltas.length).toBeGreaterThan(6);
    expect(assembled.map((text) => JSON.parse(text))).toEqual([{ a: 2, b: 3 }, { city: 'Oslo' }]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });
});
