import { AbortedError, type ModelStreamEvent } from '@agent/core';
import { type FakeLlmServer, startFakeLlmServer } from '@agent/fake-llm-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AnthropicProviderOptions, createAnthropic } from './create-anthropic.js';

const MODEL = 'claude-3-5-haiku-latest';
const hello = { messages: [{ role: 'user' as const, content: 'Hello' }] };

let server: FakeLlmServer;

beforeAll(async () => {
  server = await startFakeLlmServer();
});

afterEach(() => {
  server.reset();
});

afterAll(async () => {
  await server.close();
});

function model(options: AnthropicProviderOptions = {}) {
  return createAnthropic({ apiKey: 'test-key', baseURL: server.anthropicBaseURL, ...options })(MODEL);
}

// A `fetch` answering with server-sent events the fake server cannot script: an error event, a
// stream that ends early, or one that never ends. The SDK parses them as it would Anthropic's.
function sseFetch(events: object[], end: 'close' | 'hang'): typeof fetch {
  return async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const event of events) {
          const type = (event as { type: string }).type;
          controller.enqueue(encoder.encode(`event: ${type}\ndata: ${JSON.stringify(event)}\n\n`));
        }
        if (end === 'close') controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
}

const opening = [
  { type: 'message_start', message: { id: 'msg_1', usage: { input_tokens: 5, output_tokens: 1 } } },
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Partial' } },
];

async function collect(events: AsyncIterable<ModelStreamEvent>): Promise<ModelStreamEvent[]> {
  const collected: ModelStreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

describe('stream failures', () => {
  it('maps an overloaded_error event in the middle of a stream to MODEL_OVERLOADED', async () => {
    const overloaded = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
    const streaming = model({ fetch: sseFetch([...opening, overloaded], 'close') });

    await expect(collect(streaming.stream(hello))).rejects.toMatchObject({
      code: 'MODEL_OVERLOADED',
      retryable: true,
    });
  });

  it('reports a stream that ends before message_stop as MODEL_CONNECTION', async () => {
    const streaming = model({ fetch: sseFetch(opening, 'close') });

    await expect(collect(streaming.stream(hello))).rejects.toMatchObject({ code: 'MODEL_CONNECTION' });
  });

  it('times out a stream that stalls after its first events, which the SDK timeout does not cover', async () => {
    const streaming = model({ fetch: sseFetch(opening, 'hang'), timeoutMs: 50 });

    await expect(collect(streaming.stream(hello))).rejects.toMatchObject({ code: 'MODEL_TIMEOUT' });
  });

  it('rejects a stalled stream with AbortedError within 100 ms of the abort', async () => {
    const streaming = model({ fetch: sseFetch(opening, 'hang') });
    const controller = new AbortController();
    const events: ModelStreamEvent[] = [];
    let abortedAt = 0;

    const failure = (async () => {
      for await (const event of streaming.stream({ ...hello, signal: controller.signal })) {
        events.push(event);
        abortedAt = Date.now();
        controller.abort();
      }
    })();

    await expect(failure).rejects.toBeInstanceOf(AbortedError);
    expect(Date.now() - abortedAt).toBeLessThan(100);
    expect(events).toEqual([{ type: 'text-delta', delta: 'Partial' }]);
  });
});

describe('requests on the wire', () => {
  it('makes a single attempt, leaving retries to withRetry', async () => {
    server.enqueue({ kind: 'status', status: 529 }, { kind: 'text', text: 'not reached' });

    await expect(model().generate(hello)).rejects.toMatchObject({ code: 'MODEL_OVERLOADED', status: 529 });
    expect(server.requests).toHaveLength(1);
  });

  it('sends max_tokens 4096 by default, and defaultMaxTokens when set', async () => {
    server.enqueue({ kind: 'text', text: 'a' }, { kind: 'text', text: 'b' });

    await model().generate(hello);
    await model({ defaultMaxTokens: 1024 }).generate(hello);

    expect(server.requests.map((request) => request.bodyAs<{ max_tokens: number }>().max_tokens)).toEqual([
      4096, 1024,
    ]);
  });

  it('asks for prompt caching only when promptCaching is set', async () => {
    server.enqueue({ kind: 'text', text: 'a' }, { kind: 'text', text: 'b' }, { kind: 'text', text: 'c' });

    await model().generate(hello);
    await model({ promptCaching: true }).generate(hello);
    await model({ promptCaching: '1h' }).generate(hello);

    expect(
      server.requests.map((request) => request.bodyAs<{ cache_control?: unknown }>().cache_control),
    ).toEqual([undefined, { type: 'ephemeral', ttl: '5m' }, { type: 'ephemeral', ttl: '1h' }]);
  });

  it('sends the headers option with every request', async () => {
    server.enqueue({ kind: 'text', text: 'Hi' });

    await model({ headers: { 'anthropic-beta': 'test-beta' } }).generate(hello);

    expect(server.requests[0]?.headers['anthropic-beta']).toBe('test-beta');
  });

  it('sends tools and the tool choice', async () => {
    server.enqueue({ kind: 'text', text: 'Hi' });
    const tool = { name: 'now', description: 'The time.', inputSchema: { type: 'object', properties: {} } };

    await model().generate({ ...hello, tools: [tool], settings: { toolChoice: { name: 'now' } } });

    expect(server.requests[0]?.bodyAs<object>()).toMatchObject({
      tools: [{ name: 'now', description: 'The time.', input_schema: tool.inputSchema }],
      tool_choice: { type: 'tool', name: 'now' },
    });
  });
});

describe('responses', () => {
  it('streams parallel tool calls with their own indexes', async () => {
    server.enqueue({
      kind: 'tool-calls',
      calls: [
        { name: 'weather', arguments: { city: 'Oslo' } },
        { name: 'weather', arguments: { city: 'Bergen' } },
      ],
    });

    const events = await collect(model().stream(hello));

    const calls = events.flatMap((event) => (event.type === 'tool-call' ? [event.toolCall] : []));
    expect(calls).toEqual([
      { id: 'toolu_1', name: 'weather', arguments: { city: 'Oslo' } },
      { id: 'toolu_2', name: 'weather', arguments: { city: 'Bergen' } },
    ]);
    const indexes = new Set(
      events.flatMap((event) => (event.type === 'tool-call-delta' ? [event.index] : [])),
    );
    expect(indexes).toEqual(new Set([0, 1]));
  });

  it('reports cache reads and writes and prices them with the prices option', async () => {
    // Total input 1300: the wire says input_tokens 100, the rest read from and written to the cache.
    const usage = { inputTokens: 1300, outputTokens: 10, cacheReadTokens: 1000, cacheWriteTokens: 200 };
    server.enqueue({ kind: 'text', text: 'Cached', usage });
    const priced = model({
      prices: {
        [MODEL]: {
          inputPerMillion: 1,
          outputPerMillion: 2,
          cacheReadPerMillion: 0.1,
          cacheWritePerMillion: 1.25,
        },
      },
    });

    const response = await priced.generate(hello);

    expect(response.usage).toMatchObject({
      inputTokens: 1300,
      outputTokens: 10,
      cacheReadTokens: 1000,
      cacheWriteTokens: 200,
    });
    // (100 * 1 + 1000 * 0.1 + 200 * 1.25 + 10 * 2) / 1e6
    expect(response.usage.costUsd).toBeCloseTo(0.00047, 12);
  });
});
