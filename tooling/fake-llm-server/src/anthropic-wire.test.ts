import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { anthropicBody, jsonOf, messages, post, readEvents } from './__fixtures__/http.js';
import { startFakeLlmServer } from './fake-llm-server.js';
import type { FakeLlmServer } from './types.js';

interface StreamEvent {
  type: string;
  index?: number;
  message?: { id: string; model: string; content: unknown[]; usage: Record<string, number> };
  content_block?: Record<string, unknown>;
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string };
  usage?: { output_tokens: number };
}

const MESSAGES = '/v1/messages';
let server: FakeLlmServer;

beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterEach(() => server.reset());
afterAll(() => server.close());

describe('Anthropic messages, not streamed', () => {
  it('answers text as a message that echoes the model, with default usage and zero cache counts', async () => {
    server.enqueue({ kind: 'text', text: 'Hi there' });

    const response = await post(server, MESSAGES, anthropicBody());

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [{ type: 'text', text: 'Hi there' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      stop_details: null,
      container: null,
      usage: {
        input_tokens: 11,
        output_tokens: 7,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 0,
      },
    });
  });

  it('maps finish reasons, and reports cache reads and writes apart from the uncached input', async () => {
    server.enqueue(
      { kind: 'text', text: 'cut', finishReason: 'length' },
      {
        kind: 'text',
        text: 'no',
        finishReason: 'content-filter',
        usage: { inputTokens: 105, outputTokens: 1, cacheReadTokens: 40, cacheWriteTokens: 60 },
      },
    );

    const first = await messages(server, anthropicBody());
    const second = await messages(server, anthropicBody());

    expect(first.stop_reason).toBe('max_tokens');
    expect(second).toMatchObject({
      stop_reason: 'refusal',
      usage: {
        input_tokens: 5,
        output_tokens: 1,
        cache_read_input_tokens: 40,
        cache_creation_input_tokens: 60,
      },
    });
  });

  it('answers tool calls as tool_use blocks after the text, with default ids', async () => {
    server.enqueue({
      kind: 'tool-calls',
      text: 'Adding.',
      calls: [
        { name: 'add', arguments: { a: 2, b: 3 } },
        { name: 'parsed', arguments: '{"x":1}' },
        { id: 'toolu_mine', name: 'broken', arguments: '{"a": 2' },
      ],
    });

    const body = await messages(server, anthropicBody());

    expect(body.stop_reason).toBe('tool_use');
    expect(body.content).toEqual([
      { type: 'text', text: 'Adding.' },
      { type: 'tool_use', id: 'toolu_1', name: 'add', input: { a: 2, b: 3 } },
      { type: 'tool_use', id: 'toolu_2', name: 'parsed', input: { x: 1 } },
      { type: 'tool_use', id: 'toolu_mine', name: 'broken', input: '{"a": 2' },
    ]);
  });

  it('answers structured output through the forced tool when the request forces one', async () => {
    server.enqueue({ kind: 'json', value: { city: 'Oslo' } });

    const body = await messages(
      server,
      anthropicBody({ tool_choice: { type: 'tool', name: 'final_answer' } }),
    );

    expect(body.content).toEqual([
      { type: 'tool_use', id: 'toolu_1', name: 'final_answer', input: { city: 'Oslo' } },
    ]);
    expect(body.stop_reason).toBe('tool_use');
  });

  it('answers structured output as JSON text when no tool is forced', async () => {
    server.enqueue({ kind: 'json', value: { city: 'Oslo' } }, { kind: 'json', value: [1] });

    const plain = await messages(server, anthropicBody());
    const auto = await messages(server, anthropicBody({ tool_choice: { type: 'auto' } }));

    expect(plain.content).toEqual([{ type: 'text', text: '{"city":"Oslo"}' }]);
    expect(auto.content).toEqual([{ type: 'text', text: '[1]' }]);
  });
});

describe('Anthropic messages, streamed', () => {
  it('streams text as named events from message_start to message_stop', async () => {
    server.enqueue({
      kind: 'text',
      text: 'Hello, streaming world',
      usage: { inputTokens: 3, outputTokens: 4 },
    });

    const events = await readEvents(await post(server, MESSAGES, anthropicBody({ stream: true })));
    const data = jsonOf<StreamEvent>(events);

    expect(events.every((event) => event.event === JSON.parse(event.data).type)).toBe(true);
    expect(data[0]).toMatchObject({
      type: 'message_start',
      message: {
        id: 'msg_1',
        model: 'claude-test',
        content: [],
        usage: { input_tokens: 3, output_tokens: 1 },
      },
    });
    const texts = data
      .filter((event) => event.delta?.type === 'text_delta')
      .map((event) => event.delta?.text);
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.join('')).toBe('Hello, streaming world');
    expect(data.at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null, stop_details: null },
      usage: { output_tokens: 4 },
    });
    expect(data.at(-1)).toEqual({ type: 'message_stop' });
  });

  it('streams each tool input as several input_json_delta fragments in its own block', async () => {
    server.enqueue({
      kind: 'tool-calls',
      text: 'Ok.',
      calls: [
        { id: 'toolu_a', name: 'add', arguments: { a: 2, b: 3 } },
        { id: 'toolu_b', name: 'weather', arguments: { city: 'Oslo' } },
      ],
    });

    const data = jsonOf<StreamEvent>(
      await readEvents(await post(server, MESSAGES, anthropicBody({ stream: true }))),
    );
    const starts = data.filter((event) => event.type === 'content_block_start');
    const inputOf = (index: number) =>
      data
        .filter((event) => event.index === index && event.delta?.type === 'input_json_delta')
        .map((event) => event.delta?.partial_json ?? '');

    expect(starts.map((event) => event.content_block)).toEqual([
      { type: 'text', text: '' },
      { type: 'tool_use', id: 'toolu_a', name: 'add', input: {} },
      { type: 'tool_use', id: 'toolu_b', name: 'weather', input: {} },
    ]);
    expect(inputOf(1).length).toBeGreaterThan(1);
    expect(JSON.parse(inputOf(1).join(''))).toEqual({ a: 2, b: 3 });
    expect(JSON.parse(inputOf(2).join(''))).toEqual({ city: 'Oslo' });
    expect(data.filter((event) => event.type === 'content_block_stop').map((event) => event.index)).toEqual([
      0, 1, 2,
    ]);
    expect(data.find((event) => event.type === 'message_delta')?.delta?.stop_reason).toBe('tool_use');
  });

  it('streams a forced structured answer without a text block', async () => {
    server.enqueue({ kind: 'json', value: { ok: true } });

    const data = jsonOf<StreamEvent>(
      await readEvents(
        await post(
          server,
          MESSAGES,
          anthropicBody({ stream: true, tool_choice: { type: 'tool', name: 'answer' } }),
        ),
      ),
    );

    expect(data.filter((event) => event.type === 'content_block_start')).toHaveLength(1);
    const input = data.map((event) => event.delta?.partial_json ?? '').join('');
    expect(JSON.parse(input)).toEqual({ ok: true });
  });
});
