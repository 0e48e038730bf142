import { estimateTokens, ModelError, type ModelRequest, ValidationError } from '@agent/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { estimateInputTokens } from './anthropic-model.js';
import { createAnthropic } from './create-anthropic.js';

const MODEL = 'claude-haiku-4-5';
const request: ModelRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'What is the weather in Oslo?' },
  ],
  settings: { maxTokens: 500 },
};

function failingFetch(): typeof fetch & { calls: number } {
  const stub = Object.assign(
    async () => {
      stub.calls++;
      throw new TypeError('fetch failed');
    },
    { calls: 0 },
  );
  return stub;
}

describe('createAnthropic', () => {
  let savedKey: string | undefined;

  beforeEach(() => {
    savedKey = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
  });

  afterEach(() => {
    if (savedKey === undefined) delete process.env.ANTHROPIC_API_KEY;
    else process.env.ANTHROPIC_API_KEY = savedKey;
  });

  it.each([
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ timeoutMs: Number.NaN }, 'timeoutMs'],
    [{ defaultMaxTokens: 1.5 }, 'defaultMaxTokens'],
    [{ countTokens: 'exact' as 'api' }, 'countTokens'],
    [{ promptCaching: '5h' as '1h' }, 'promptCaching'],
  ])('rejects invalid options %j', (options, name) => {
    expect(() => createAnthropic(options)).toThrow(ValidationError);
    expect(() => createAnthropic(options)).toThrow(name);
  });

  it('rejects an empty model id', () => {
    expect(() => createAnthropic()('  ')).toThrow(ValidationError);
  });

  it('fails a call without an API key with MODEL_AUTH saying how to set one', async () => {
    const fetch = failingFetch();
    const model = createAnthropic({ fetch })(MODEL);

    const failure = model.generate(request);

    await expect(failure).rejects.toBeInstanceOf(ModelError);
    await expect(failure).rejects.toMatchObject({
      code: 'MODEL_AUTH',
      provider: 'anthropic',
      modelId: MODEL,
      retryable: false,
    });
    await expect(failure).rejects.toThrow(/ANTHROPIC_API_KEY.*apiKey/);
    expect(fetch.calls).toBe(0);
  });

  it('fails a stream without an API key with MODEL_AUTH', async () => {
    const model = createAnthropic({ fetch: failingFetch() })(MODEL);

    const read = async () => {
      for await (const _event of model.stream(request)) {
        // Reading is enough: the first step fails.
      }
    };

    await expect(read()).rejects.toMatchObject({ code: 'MODEL_AUTH' });
  });

  it('maps a network failure to a retryable MODEL_CONNECTION', async () => {
    const model = createAnthropic({ apiKey: 'test-key', fetch: failingFetch() })(MODEL);

    await expect(model.generate(request)).rejects.toMatchObject({
      code: 'MODEL_CONNECTION',
      retryable: true,
    });
  });

  it('fails at once with AbortedError when the signal is already aborted', async () => {
    const fetch = failingFetch();
    const model = createAnthropic({ apiKey: 'test-key', fetch })(MODEL);

    await expect(model.generate({ ...request, signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(fetch.calls).toBe(0);
  });

  it('names itself after the provider and the model id', () => {
    const model = createAnthropic()(MODEL);

    expect(model.provider).toBe('anthropic');
    expect(model.modelId).toBe(MODEL);
  });

  it('counts with the estimate, without a request, when countTokens is estimate', async () => {
    const fetch = failingFetch();
    const model = createAnthropic({ apiKey: 'test-key', fetch, countTokens: 'estimate' })(MODEL);

    const tokens = await model.countTokens(request);

    expect(tokens).toBe(estimateInputTokens(request));
    expect(fetch.calls).toBe(0);
  });

  it('falls back to the estimate when there is no API key', async () => {
    const model = createAnthropic({ fetch: failingFetch() })(MODEL);

    await expect(model.countTokens(request)).resolves.toBe(estimateInputTokens(request));
  });

  it('falls back to the estimate when the count-tokens request fails', async () => {
    const fetch = failingFetch();
    const model = createAnthropic({ apiKey: 'test-key', fetch })(MODEL);

    await expect(model.countTokens(request)).resolves.toBe(estimateInputTokens(request));
    expect(fetch.calls).toBe(1);
  });
});

describe('estimateInputTokens', () => {
  it("is core's estimate without the maxTokens reservation", () => {
    expect(estimateInputTokens(request)).toBe(estimateTokens(request) - 500);
  });

  it('counts the tools JSON', () => {
    const withTools: ModelRequest = {
      ...request,
      tools: [{ name: 'weather', description: 'Weather in a city.', inputSchema: { type: 'object' } }],
    };

    expect(estimateInputTokens(withTools)).toBeGreaterThan(estimateInputTokens(request));
  });
});
