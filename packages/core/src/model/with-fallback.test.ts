import { describe, expect, it } from 'vitest';
import { AbortedError, ConfigError, ModelError, RateLimitError } from '../errors/errors.js';
import { userMessage } from '../messages/message.js';
import { ScriptedModel, type ScriptedStep, textResponse } from '../testing/scripted-model.js';
import type { LanguageModel, ModelRequest, ModelStreamEvent } from './language-model.js';
import { collectStream } from './stream-utils.js';
import { type FallbackInfo, isFallbackError, withFallback } from './with-fallback.js';

/** Reads a stream to its end (unlike collectStream, which stops at `finish`). */
async function drain(stream: AsyncIterable<ModelStreamEvent>): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const request = (signal?: AbortSignal): ModelRequest => ({ messages: [userMessage('hi')], signal });
const scripted = (modelId: string, ...steps: ScriptedStep[]) =>
  new ScriptedModel(steps, { provider: modelId.split('-')[0], modelId });

describe('withFallback', () => {
  it('throws a bad request from the primary without trying the next model', async () => {
    const badRequest = new ModelError('MODEL_BAD_REQUEST', 'context too long');
    const primary = scripted('a-1', badRequest);
    const backup = scripted('b-1', textResponse('backup'));
    const model = withFallback([primary, backup]);

    await expect(model.generate(request())).rejects.toBe(badRequest);

    expect(backup.calls).toHaveLength(0);
  });

  it('throws an auth error without trying the next model', async () => {
    const auth = new ModelError('MODEL_AUTH', 'bad key');
    const backup = scripted('b-1', textResponse('backup'));
    const model = withFallback([scripted('a-1', auth), backup]);

    await expect(model.generate(request())).rejects.toBe(auth);

    expect(backup.calls).toHaveLength(0);
  });

  it('does not fall over on an error that is not a model error, even a retryable one', async () => {
    const limited = new RateLimitError('per-tenant', 1000);
    const backup = scripted('b-1', textResponse('backup'));
    const model = withFallback([scripted('a-1', limited), backup]);

    await expect(model.generate(request())).rejects.toBe(limited);

    expect(backup.calls).toHaveLength(0);
  });

  it('does not fall over once the caller has aborted', async () => {
    const controller = new AbortController();
    const abortThenFail = () => {
      controller.abort();
      return new ModelError('MODEL_OVERLOADED', 'busy');
    };
    const backup = scripted('b-1', textResponse('backup'));
    const model = withFallback([scripted('a-1', abortThenFail), backup]);

    await expect(model.generate(request(controller.signal))).rejects.toBeInstanceOf(AbortedError);

    expect(backup.calls).toHaveLength(0);
  });

  it('throws the last error when every model fails', async () => {
    const last = new ModelError('MODEL_UNAVAILABLE', 'c is down');
    const model = withFallback([
      scripted('a-1', new ModelError('MODEL_SERVER_ERROR', 'a is down')),
      scripted('b-1', new ModelError('MODEL_OVERLOADED', 'b is busy')),
      scripted('c-1', last),
    ]);

    await expect(model.generate(request())).rejects.toBe(last);
  });

  it('tries the models in order until one answers', async () => {
    const first = scripted('a-1', new ModelError('MODEL_SERVER_ERROR', 'down'));
    const second = scripted('b-1', new ModelError('MODEL_TIMEOUT', 'slow'));
    const third = scripted('c-1', textResponse('third'));
    const fourth = scripted('d-1', textResponse('fourth'));
    const model = withFallback([first, second, third, fourth]);

    const response = await model.generate(request());

    expect(response.message.content).toBe('third');
    expect([first, second, third, fourth].map((each) => each.calls.length)).toEqual([1, 1, 1, 0]);
  });

  it('falls over on a capacity error even when it is marked not retryable', async () => {
    const quota = new ModelError('MODEL_RATE_LIMITED', 'monthly quota used', { retryable: false });
    const model = withFallback([scripted('a-1', quota), scripted('b-1', textResponse('backup'))]);

    const response = await model.generate(request());

    expect(response.message.content).toBe('backup');
  });

  it('lets shouldFallback decide which errors fall over', async () => {
    const overloaded = new ModelError('MODEL_OVERLOADED', 'busy');
    const backup = scripted('b-1', textResponse('backup'));
    const model = withFallback([scripted('a-1', overloaded), backup], { shouldFallback: () => false });

    await expect(model.generate(request())).rejects.toBe(overloaded);

    expect(backup.calls).toHaveLength(0);
  });

  it('tells onFallback which model failed, with what, and which is tried next', async () => {
    const failure = new ModelError('MODEL_SERVER_ERROR', 'down');
    const primary = scripted('a-1', failure);
    const backup = scripted('b-1', textResponse('backup'));
    const fallbacks: FallbackInfo[] = [];
    const model = withFallback([primary, backup], { onFallback: (info) => fallbacks.push(info) });

    await model.generate(request());

    expect(fallbacks).toEqual([{ error: failure, from: primary, to: backup, index: 1 }]);
  });

  it('takes provider, modelId and countTokens from the primary', async () => {
    const primary = Object.assign(scripted('a-1'), { countTokens: async () => 11 });
    const backup = Object.assign(scripted('b-1'), { countTokens: async () => 22 });

    const model = withFallback([primary, backup]);

    expect(model).toMatchObject({ provider: 'a', modelId: 'a-1' });
    expect(await model.countTokens?.(request())).toBe(11);
  });

  it('has no countTokens when the primary has none', () => {
    const model = withFallback([
      scripted('a-1'),
      Object.assign(scripted('b-1'), { countTokens: async () => 1 }),
    ]);

    expect(model.countTokens).toBeUndefined();
  });

  it('rejects an empty list of models with a ConfigError', () => {
    const empty = [] as unknown as [LanguageModel];

    expect(() => withFallback(empty)).toThrow(ConfigError);
  });
});

describe('withFallback stream', () => {
  it('falls over when a stream fails before its first event', async () => {
    const primary = scripted('a-1', new ModelError('MODEL_OVERLOADED', 'busy'));
    const backup = scripted('b-1', textResponse('backup'));
    const model = withFallback([primary, backup]);

    const events = await drain(model.stream(request()));

    expect(events.at(-1)).toMatchObject({ type: 'finish', response: { message: { content: 'backup' } } });
    expect(backup.calls[0]?.method).toBe('stream');
  });

  it('rethrows a stream failure after the first event without falling over', async () => {
    const dropped = new ModelError('MODEL_CONNECTION', 'connection dropped');
    const primary: LanguageModel = {
      provider: 'a',
      modelId: 'a-1',
      generate: () => Promise.reject(new Error('not used')),
      async *stream(): AsyncGenerator<ModelStreamEvent> {
        yield { type: 'text-delta', delta: 'partial' };
        throw dropped;
      },
    };
    const backup = scripted('b-1', textResponse('backup'));
    const model = withFallback([primary, backup]);

    await expect(collectStream(model.stream(request()))).rejects.toBe(dropped);

    expect(backup.calls).toHaveLength(0);
  });

  it('throws a bad request from a stream without falling over', async () => {
    const badRequest = new ModelError('MODEL_BAD_REQUEST', 'bad');
    const backup = scripted('b-1', textResponse('backup'));
    const model = withFallback([scripted('a-1', badRequest), backup]);

    await expect(collectStream(model.stream(request()))).rejects.toBe(badRequest);

    expect(backup.calls).toHaveLength(0);
  });

  it('throws the last error when every stream fails before its first event', async () => {
    const last = new ModelError('MODEL_SERVER_ERROR', 'b is down');
    const model = withFallback([
      scripted('a-1', new ModelError('MODEL_SERVER_ERROR', 'a is down')),
      scripted('b-1', last),
    ]);

    await expect(collectStream(model.stream(request()))).rejects.toBe(last);
  });
});

describe('isFallbackError', () => {
  it('is false for anything that is not a model error', () => {
    expect([new Error('x'), 'text', undefined, new RateLimitError('r', 1)].map(isFallbackError)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('is true for retryable model errors and false for bad requests', () => {
    expect(isFallbackError(new ModelError('MODEL_CONNECTION', 'x'))).toBe(true);
    expect(isFallbackError(new ModelError('MODEL_BAD_REQUEST', 'x'))).toBe(false);
  });
});
