import { AbortedError, Agent, defineTool, userMessage, withRetry } from '@agent/core';
import { type FakeLlmServer, startFakeLlmServer } from '@agent/fake-llm-server';
import { describeLanguageModelConformance } from '@agent/provider-conformance';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOpenAI, openai } from './openai-provider.js';

describeLanguageModelConformance('openai adapter', {
  provider: 'openai',
  createModel: (server, { timeoutMs }) =>
    createOpenAI({ apiKey: 'test-key', baseURL: server.openaiBaseURL, timeoutMs })('gpt-4o-mini'),
});

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

describe('openai adapter end to end', () => {
  let server: FakeLlmServer;
  const savedEnvironment = { key: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL };

  beforeAll(async () => {
    server = await startFakeLlmServer();
  });

  afterEach(() => {
    server.reset();
    for (const [name, value] of [
      ['OPENAI_API_KEY', savedEnvironment.key],
      ['OPENAI_BASE_URL', savedEnvironment.baseURL],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  afterAll(async () => {
    await server.close();
  });

  const model = () => createOpenAI({ apiKey: 'test-key', baseURL: server.openaiBaseURL })('gpt-4o-mini');

  it('makes exactly 2 requests when withRetry honours a 429 retry-after-ms', async () => {
    server.enqueue({ kind: 'rate-limit', retryAfterMs: 50 }, { kind: 'text', text: 'Second time lucky.' });
    const retried = withRetry(model(), { maxRetries: 2 });
    const started = performance.now();

    const response = await retried.generate({ messages: [userMessage('Hi')] });

    expect(response.message.content).toBe('Second time lucky.');
    expect(server.requests).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('runs an Agent with a zod tool through a tool round trip', async () => {
    server.enqueue(
      { kind: 'tool-calls', calls: [{ name: 'add', arguments: { a: 2, b: 3 } }] },
      { kind: 'text', text: '2 + 3 = 5.' },
    );
    const agent = new Agent({ name: 'calculator', model: model(), tools: [add] });

    const result = await agent.run('What is 2 + 3?');

    expect(result.output).toBe('2 + 3 = 5.');
    expect(server.requests).toHaveLength(2);
    const second = server.requests[1]?.bodyAs<{
      messages: { role: string; content: unknown; tool_call_id?: string }[];
    }>();
    expect(second?.messages.at(-1)).toMatchObject({ role: 'tool', content: '5', tool_call_id: 'call_1' });
    const firstTools = server.requests[0]?.bodyAs<{ tools: { function: { name: string } }[] }>().tools;
    expect(firstTools?.map((tool) => tool.function.name)).toEqual(['add']);
  });

  it('streams an Agent run with a zod tool, text deltas included', async () => {
    server.enqueue(
      { kind: 'tool-calls', calls: [{ name: 'add', arguments: { a: 20, b: 22 } }] },
      { kind: 'text', text: 'The answer is 42.' },
    );
    const agent = new Agent({ name: 'calculator', model: model(), tools: [add] });

    const run = agent.stream('What is 20 + 22?');
    const deltas: string[] = [];
    for await (const event of run) {
      if (event.type === 'model.text-delta') deltas.push(event.delta);
    }
    const result = await run.result;

    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('The answer is 42.');
    expect(result.output).toBe('The answer is 42.');
    expect(server.requests.every((request) => request.stream)).toBe(true);
  });

  it('lets the default openai provider read OPENAI_API_KEY at the first request and send it as a bearer token', async () => {
    delete process.env.OPENAI_API_KEY;
    process.env.OPENAI_BASE_URL = server.openaiBaseURL;
    const lazy = openai('gpt-4o-mini');
    server.enqueue({ kind: 'text', text: 'Hi.' });

    process.env.OPENAI_API_KEY = 'sk-from-environment';
    await lazy.generate({ messages: [userMessage('Hi')] });

    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-from-environment');
  });

  it('sends stream_options.include_usage and reports streamed usage with cost', async () => {
    server.enqueue({
      kind: 'text',
      text: 'Counted.',
      usage: { inputTokens: 1000, outputTokens: 10, cacheReadTokens: 500 },
    });
    let finish: unknown;

    for await (const event of model().stream({ messages: [userMessage('Hi')] })) {
      if (event.type === 'finish') finish = event.response.usage;
    }

    expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(finish).toEqual({
      inputTokens: 1000,
      outputTokens: 10,
      cacheReadTokens: 500,
      costUsd: (500 * 0.15 + 500 * 0.075 + 10 * 0.6) / 1_000_000,
    });
  });

  it('cancels the HTTP request when the consumer stops reading a stream early', async () => {
    server.enqueue({ kind: 'text', text: 'A long answer that nobody reads to the end.' });
    const signals: AbortSignal[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      if (init?.signal) signals.push(init.signal);
      return globalThis.fetch(input, init);
    };
    const stream = createOpenAI({ apiKey: 'test-key', baseURL: server.openaiBaseURL, fetch })(
      'gpt-4o-mini',
    ).stream({
      messages: [userMessage('Hi')],
    });

    for await (const event of stream) {
      if (event.type === 'text-delta') break;
    }

    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });

  it('rethrows the AbortedError the caller aborted with', async () => {
    server.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const reason = new AbortedError('The run was cancelled by the user.');
    setTimeout(() => controller.abort(reason), 20);

    const failure = model().generate({ messages: [userMessage('Hi')], signal: controller.signal });

    await expect(failure).rejects.toBe(reason);
  });
});
