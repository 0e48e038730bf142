import { ConfigError, ModelError, userMessage } from '@agent/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAI, openai } from './openai-provider.js';

const request = { messages: [userMessage('Hi')] };

/** A fetch that answers every call with one chat completion and records what it was sent. */
function recordingFetch() {
  const calls: { url: string; headers: Headers; body: Record<string, unknown> }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push({
      url: String(input),
      headers: new Headers(init?.headers),
      body: JSON.parse(String(init?.body)) as Record<string, unknown>,
    });
    const completion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1_000_000, completion_tokens: 1_000_000 },
    };
    return new Response(JSON.stringify(completion), { headers: { 'content-type': 'application/json' } });
  };
  return { calls, fetch };
}

const savedKey = process.env.OPENAI_API_KEY;

afterEach(() => {
  if (savedKey === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = savedKey;
});

describe('createOpenAI', () => {
  it('fails the first request with MODEL_AUTH when no key is set', async () => {
    delete process.env.OPENAI_API_KEY;
    const model = createOpenAI()('gpt-4o-mini');

    const failure = model.generate(request);

    await expect(failure).rejects.toBeInstanceOf(ModelError);
    await expect(failure).rejects.toMatchObject({
      code: 'MODEL_AUTH',
      retryable: false,
      provider: 'openai',
      modelId: 'gpt-4o-mini',
      message: expect.stringContaining('Set the OPENAI_API_KEY environment variable, or pass apiKey'),
    });
  });

  it('fails a stream with MODEL_AUTH when no key is set', async () => {
    delete process.env.OPENAI_API_KEY;
    const model = createOpenAI()('gpt-4o-mini');

    const consume = async () => {
      for await (const _event of model.stream(request)) {
        // nothing arrives
      }
    };

    await expect(consume()).rejects.toMatchObject({ code: 'MODEL_AUTH' });
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31])('rejects timeoutMs %s', (timeoutMs) => {
    expect(() => createOpenAI({ timeoutMs })).toThrow(ConfigError);
  });

  it('rejects a per-model timeoutMs that is not positive', () => {
    expect(() => createOpenAI({ apiKey: 'k' })('gpt-4o', { timeoutMs: 0 })).toThrow(ConfigError);
  });

  it('rejects an empty model id', () => {
    expect(() => createOpenAI({ apiKey: 'k' })(' ')).toThrow(ConfigError);
  });

  it('creates models that report the provider name and model id', () => {
    const model = createOpenAI({ provider: 'ollama' }).chat('llama3.2');

    expect(model).toMatchObject({ provider: 'ollama', modelId: 'llama3.2' });
  });

  it('does not read the key or throw when the default provider creates a model', () => {
    delete process.env.OPENAI_API_KEY;

    expect(openai('gpt-4o-mini').provider).toBe('openai');
  });

  it('sends the key, organization, project and extra headers to baseURL', async () => {
    const { calls, fetch } = recordingFetch();
    const provider = createOpenAI({
      apiKey: 'sk-test',
      baseURL: 'http://gateway.test/v1',
      organization: 'org-1',
      project: 'proj-1',
      headers: { 'x-gateway-route': 'eu' },
      fetch,
    });

    await provider('gpt-4o-mini').generate(request);

    expect(calls[0]?.url).toBe('http://gateway.test/v1/chat/completions');
    expect(Object.fromEntries(calls[0]?.headers ?? [])).toMatchObject({
      authorization: 'Bearer sk-test',
      'openai-organization': 'org-1',
      'openai-project': 'proj-1',
      'x-gateway-route': 'eu',
    });
  });

  it('reads OPENAI_API_KEY at the first request, not when the provider is created', async () => {
    delete process.env.OPENAI_API_KEY;
    const { calls, fetch } = recordingFetch();
    const model = createOpenAI({ fetch })('gpt-4o-mini');

    process.env.OPENAI_API_KEY = 'sk-late';
    await model.generate(request);

    expect(calls[0]?.headers.get('authorization')).toBe('Bearer sk-late');
  });

  it('creates the SDK client once and keeps the key it read first', async () => {
    const { calls, fetch } = recordingFetch();
    process.env.OPENAI_API_KEY = 'sk-first';
    const provider = createOpenAI({ fetch });
    await provider('gpt-4o-mini').generate(request);

    process.env.OPENAI_API_KEY = 'sk-second';
    await provider('gpt-4o').generate(request);

    expect(calls.map((call) => call.headers.get('authorization'))).toEqual([
      'Bearer sk-first',
      'Bearer sk-first',
    ]);
  });

  it('prices a known model from the default table', async () => {
    const { fetch } = recordingFetch();

    const response = await createOpenAI({ apiKey: 'k', fetch })('gpt-4o-mini').generate(request);

    expect(response.usage.costUsd).toBeCloseTo(0.15 + 0.6, 10);
  });

  it('prices a model from the prices option merged over the defaults', async () => {
    const { fetch } = recordingFetch();
    const provider = createOpenAI({
      apiKey: 'k',
      fetch,
      prices: { 'llama3.2': { inputPerMillion: 1, outputPerMillion: 2 } },
    });

    const [local, known] = await Promise.all([
      provider('llama3.2').generate(request),
      provider('gpt-4o').generate(request),
    ]);

    expect(local.usage.costUsd).toBe(3);
    expect(known.usage.costUsd).toBeCloseTo(12.5, 10);
  });

  it('prices a model from its own price setting over the table', async () => {
    const { fetch } = recordingFetch();
    const model = createOpenAI({ apiKey: 'k', fetch })('gpt-4o', {
      price: { inputPerMillion: 0, outputPerMillion: 1 },
    });

    const response = await model.generate(request);

    expect(response.usage.costUsd).toBe(1);
  });

  it('leaves costUsd out for a model without a price', async () => {
    const { fetch } = recordingFetch();

    const response = await createOpenAI({ apiKey: 'k', fetch })('mistral-large').generate(request);

    expect(response.usage.costUsd).toBeUndefined();
  });

  it('counts the input tokens of a request with the model tokenizer', async () => {
    const model = createOpenAI({ apiKey: 'k' })('gpt-4o-mini');

    // "Hi" and "user" are one token each, plus 3 framing and 3 priming tokens.
    await expect(model.countTokens(request)).resolves.toBe(8);
  });
});
