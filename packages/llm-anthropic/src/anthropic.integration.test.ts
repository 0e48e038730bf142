import { Agent, defineTool, withRetry } from '@agent/core';
import { type FakeLlmServer, startFakeLlmServer } from '@agent/fake-llm-server';
import { describeLanguageModelConformance } from '@agent/provider-conformance';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { estimateInputTokens } from './anthropic-model.js';
import { anthropic, createAnthropic } from './create-anthropic.js';

const MODEL = 'claude-3-5-haiku-latest';

describeLanguageModelConformance('anthropic adapter', {
  provider: 'anthropic',
  createModel: (fake, { timeoutMs }) =>
    createAnthropic({ apiKey: 'test-key', baseURL: fake.anthropicBaseURL, timeoutMs })(MODEL),
});

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

function model(options: { timeoutMs?: number } = {}) {
  return createAnthropic({ apiKey: 'test-key', baseURL: server.anthropicBaseURL, ...options })(MODEL);
}

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

function calculator() {
  return new Agent({ name: 'calculator', model: model(), tools: [add], instructions: 'Use the add tool.' });
}

interface WireBody {
  system?: string;
  messages: { role: string; content: { type: string; tool_use_id?: string; content?: string }[] }[];
}

describe('an Agent on the Anthropic adapter', () => {
  it('runs a zod tool round trip and sends the result back as a tool_result', async () => {
    server.enqueue(
      { kind: 'tool-calls', calls: [{ name: 'add', arguments: { a: 2, b: 3 } }] },
      { kind: 'text', text: '5' },
    );

    const result = await calculator().run('What is 2 + 3?');

    expect(result.output).toBe('5');
    const second = server.requests[1]?.bodyAs<WireBody>();
    expect(second?.system).toBe('Use the add tool.');
    expect(second?.messages.at(-1)).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '5' }],
    });
  });

  it('streams the same round trip with text deltas and the final output', async () => {
    server.enqueue(
      { kind: 'tool-calls', calls: [{ name: 'add', arguments: { a: 2, b: 3 } }] },
      { kind: 'text', text: 'The sum is 5.' },
    );

    const run = calculator().stream('What is 2 + 3?');
    let text = '';
    const types = new Set<string>();
    for await (const event of run) {
      types.add(event.type);
      if (event.type === 'model.text-delta') text += event.delta;
    }
    const result = await run.result;

    expect(text).toBe('The sum is 5.');
    expect(types).toContain('tool.succeeded');
    expect(result.output).toBe('The sum is 5.');
    expect(server.requests.every((request) => request.stream)).toBe(true);
  });

  it('returns structured output through the forced output tool', async () => {
    server.enqueue({ kind: 'json', value: { answer: 42 } });
    const agent = new Agent({ name: 'oracle', model: model() });

    const result = await agent.run('The answer?', { output: z.object({ answer: z.number() }) });

    expect(result.output).toEqual({ answer: 42 });
    expect(server.requests[0]?.bodyAs<{ tool_choice: unknown }>().tool_choice).toEqual({
      type: 'tool',
      name: 'output',
    });
  });
});

describe('countTokens', () => {
  const request = { messages: [{ role: 'user' as const, content: 'How many tokens is this?' }] };

  it('falls back to the estimate when the endpoint cannot be reached', async () => {
    const closed = await startFakeLlmServer();
    await closed.close();
    const unreachable = createAnthropic({ apiKey: 'test-key', baseURL: closed.anthropicBaseURL })(MODEL);

    await expect(unreachable.countTokens(request)).resolves.toBe(estimateInputTokens(request));
  });

  it('stops calling an endpoint that answered 404, as a gateway without it does', async () => {
    const gateway = createAnthropic({ apiKey: 'test-key', baseURL: `${server.url}/gateway` })(MODEL);

    const first = await gateway.countTokens(request);
    const second = await gateway.countTokens(request);

    expect([first, second]).toEqual([estimateInputTokens(request), estimateInputTokens(request)]);
    expect(server.requests).toHaveLength(1);
  });

  it("asks Anthropic's count-tokens endpoint, without using a scripted reply", async () => {
    server.enqueue({ kind: 'text', text: 'unused' });

    const tokens = await model().countTokens(request);

    expect(server.requests[0]?.path).toBe('/v1/messages/count_tokens');
    expect(server.requests[0]?.bodyAs<{ model: string }>().model).toBe(MODEL);
    expect(tokens).toBeGreaterThan(0);
    expect(tokens).not.toBe(estimateInputTokens(request));
    expect(server.pending).toBe(1);
  });
});

describe('credentials', () => {
  it('sends the API key on every request, as the bearer token SDK 1.12 uses', async () => {
    server.enqueue({ kind: 'text', text: 'Hi' });

    await model().generate({ messages: [{ role: 'user', content: 'Hi' }] });

    expect(server.requests[0]?.headers.authorization).toBe('Bearer test-key');
  });

  it('reads ANTHROPIC_API_KEY for the default provider at the first request, not at import', async () => {
    const saved = { key: process.env.ANTHROPIC_API_KEY, url: process.env.ANTHROPIC_BASE_URL };
    process.env.ANTHROPIC_API_KEY = 'key-from-environment';
    process.env.ANTHROPIC_BASE_URL = server.anthropicBaseURL;
    server.enqueue({ kind: 'text', text: 'Hi' });

    try {
      await anthropic(MODEL).generate({ messages: [{ role: 'user', content: 'Hi' }] });
    } finally {
      restore('ANTHROPIC_API_KEY', saved.key);
      restore('ANTHROPIC_BASE_URL', saved.url);
    }

    expect(server.requests[0]?.headers.authorization).toBe('Bearer key-from-environment');
  });
});

describe('withRetry', () => {
  it('waits as a 529 asks, then succeeds on the second request', async () => {
    server.enqueue(
      { kind: 'status', status: 529, headers: { 'retry-after': '2' } },
      { kind: 'text', text: 'Recovered' },
    );
    const waits: number[] = [];
    const retrying = withRetry(model(), {
      sleep: async (ms) => {
        waits.push(ms);
      },
    });

    const response = await retrying.generate({ messages: [{ role: 'user', content: 'Hi' }] });

    expect(response.message.content).toBe('Recovered');
    expect(waits).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
