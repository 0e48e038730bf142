import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortedError, ConfigError, ModelError, RateLimitError } from '../errors/errors.js';
import { userMessage } from '../messages/message.js';
import { ScriptedModel, textResponse } from '../testing/scripted-model.js';
import { sleep as realSleep, type Sleep, throwIfAborted } from '../util/abort.js';
import type { LanguageModel, ModelRequest, ModelStreamEvent } from './language-model.js';
import { collectStream } from './stream-utils.js';
import { type RetryInfo, withRetry } from './with-retry.js';

/** Reads a stream to its end (unlike collectStream, which stops at `finish`). */
async function drain(stream: AsyncIterable<ModelStreamEvent>): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const request = (signal?: AbortSignal): ModelRequest => ({ messages: [userMessage('hi')], signal });
const serverError = (message = 'server error') => new ModelError('MODEL_SERVER_ERROR', message);

/** A fake clock and a sleep that records each delay and advances the clock by it, instantly. */
function fakeTime() {
  let now = 0;
  const delays: number[] = [];
  const sleep: Sleep = async (ms, signal) => {
    throwIfAborted(signal, 'The wait');
    delays.push(ms);
    now += ms;
  };
  return { clock: { now: () => now }, sleep, delays, advance: (ms: number) => (now += ms) };
}

/** A model whose stream yields one text delta, then fails (the first `failures` calls) or finishes. */
function midStreamFailingModel(failures: number): LanguageModel & { streams: number } {
  const model = {
    provider: 'test',
    modelId: 'mid-stream',
    streams: 0,
    generate: () => Promise.reject(new Error('not used')),
    async *stream(): AsyncGenerator<ModelStreamEvent> {
      model.streams++;
      yield { type: 'text-delta', delta: 'partial' };
      if (model.streams <= failures) throw serverError('connection dropped');
      yield { type: 'finish', response: textResponse('partial') };
    },
  };
  return model;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('withRetry', () => {
  it('throws a non-retryable error at once without retrying', async () => {
    const time = fakeTime();
    const badRequest = new ModelError('MODEL_BAD_REQUEST', 'bad request');
    const inner = new ScriptedModel([badRequest, textResponse('ok')]);
    const model = withRetry(inner, { sleep: time.sleep, clock: time.clock });

    await expect(model.generate(request())).rejects.toBe(badRequest);

    expect(inner.calls).toHaveLength(1);
    expect(time.delays).toEqual([]);
  });

  it('does not retry an error that is not an AgentError', async () => {
    const time = fakeTime();
    const plain = new Error('socket hang up');
    const inner = new ScriptedModel([plain, textResponse('ok')]);
    const model = withRetry(inner, { sleep: time.sleep, clock: time.clock });

    await expect(model.generate(request())).rejects.toBe(plain);

    expect(inner.calls).toHaveLength(1);
  });

  it('throws the last error once maxRetries retries have failed', async () => {
    const time = fakeTime();
    const last = serverError('third');
    const inner = new ScriptedModel([serverError('first'), serverError('second'), last, textResponse('ok')]);
    const model = withRetry(inner, { maxRetries: 2, sleep: time.sleep, clock: time.clock });

    await expect(model.generate(request())).rejects.toBe(last);

    expect(inner.calls).toHaveLength(3);
  });

  it('throws at once when the vendor asks to wait longer than maxRetryAfterMs', async () => {
    const time = fakeTime();
    const limited = new ModelError('MODEL_RATE_LIMITED', 'slow down', { retryAfterMs: 120_000 });
    const inner = new ScriptedModel([limited, textResponse('ok')]);
    const model = withRetry(inner, { maxRetryAfterMs: 60_000, sleep: time.sleep, clock: time.clock });

    await expect(model.generate(request())).rejects.toBe(limited);

    expect(time.delays).toEqual([]);
    expect(inner.calls).toHaveLength(1);
  });

  it('throws the last error instead of sleeping past the deadline', async () => {
    const time = fakeTime();
    const limited = (message: string) =>
      new ModelError('MODEL_RATE_LIMITED', message, { retryAfterMs: 4000 });
    const third = limited('third');
    const inner = new ScriptedModel([limited('first'), limited('second'), third, textResponse('ok')]);
    const model = withRetry(inner, {
      deadlineMs: 10_000,
      maxRetries: 5,
      sleep: time.sleep,
      clock: time.clock,
    });

    await expect(model.generate(request())).rejects.toBe(third);

    expect(time.delays).toEqual([4000, 4000]);
    expect(inner.remaining).toBe(1);
  });

  it('counts the time attempts take against the deadline', async () => {
    const time = fakeTime();
    const slowFailure = () => {
      time.advance(9_800);
      return serverError();
    };
    const inner = new ScriptedModel([slowFailure, textResponse('ok')]);
    const model = withRetry(inner, {
      deadlineMs: 10_000,
      random: () => 0.5,
      sleep: time.sleep,
      clock: time.clock,
    });

    await expect(model.generate(request())).rejects.toMatchObject({ code: 'MODEL_SERVER_ERROR' });

    expect(time.delays).toEqual([]);
  });

  it('rejects promptly with AbortedError when aborted during the backoff sleep', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const inner = new ScriptedModel([new ModelError('MODEL_OVERLOADED', 'busy', { retryAfterMs: 30_000 })]);
    let sleepStarted = () => {};
    const started = new Promise<void>((resolve) => (sleepStarted = resolve));
    const sleep: Sleep = (ms, signal) => {
      sleepStarted();
      return realSleep(ms, signal);
    };
    const model = withRetry(inner, { sleep });

    const result = model.generate(request(controller.signal));
    await started;
    controller.abort();

    await expect(result).rejects.toBeInstanceOf(AbortedError);
    expect(vi.getTimerCount()).toBe(0);
    expect(inner.calls).toHaveLength(1);
  });

  it('does not retry a retryable error once the caller has aborted', async () => {
    const time = fakeTime();
    const controller = new AbortController();
    const abortThenFail = () => {
      controller.abort();
      return serverError();
    };
    const inner = new ScriptedModel([abortThenFail, textResponse('ok')]);
    const model = withRetry(inner, { sleep: time.sleep, clock: time.clock });

    await expect(model.generate(request(controller.signal))).rejects.toBeInstanceOf(AbortedError);

    expect(inner.calls).toHaveLength(1);
    expect(time.delays).toEqual([]);
  });

  it('retries a retryable error and returns the next answer', async () => {
    const time = fakeTime();
    const inner = new ScriptedModel([serverError(), textResponse('ok')]);
    const model = withRetry(inner, { sleep: time.sleep, clock: time.clock });

    const response = await model.generate(request());

    expect(response.message.content).toBe('ok');
    expect(inner.calls).toHaveLength(2);
  });

  it('waits the retryAfterMs the error carries instead of the backoff', async () => {
    const time = fakeTime();
    const limited = new ModelError('MODEL_RATE_LIMITED', 'slow down', { retryAfterMs: 1500 });
    const inner = new ScriptedModel([limited, textResponse('ok')]);
    const model = withRetry(inner, { initialDelayMs: 10, sleep: time.sleep, clock: time.clock });

    await model.generate(request());

    expect(time.delays).toEqual([1500]);
  });

  it('honours the retryAfterMs of a RateLimitError', async () => {
    const time = fakeTime();
    const inner = new ScriptedModel([new RateLimitError('per-tenant', 2500), textResponse('ok')]);
    const model = withRetry(inner, { sleep: time.sleep, clock: time.clock });

    await model.generate(request());

    expect(time.delays).toEqual([2500]);
  });

  it('retries within a deadline when the retry-after waits fit in it', async () => {
    const time = fakeTime();
    const limited = () => new ModelError('MODEL_RATE_LIMITED', 'slow down', { retryAfterMs: 3000 });
    const inner = new ScriptedModel([limited(), limited(), textResponse('ok')]);
    const model = withRetry(inner, { deadlineMs: 10_000, sleep: time.sleep, clock: time.clock });

    const response = await model.generate(request());

    expect(response.message.content).toBe('ok');
    expect(time.delays).toEqual([3000, 3000]);
  });

  it('backs off with full jitter under a bound that grows by factor', async () => {
    const time = fakeTime();
    const inner = new ScriptedModel([serverError(), serverError(), serverError(), textResponse('ok')]);
    const model = withRetry(inner, {
      initialDelayMs: 100,
      factor: 3,
      random: () => 0.5,
      sleep: time.sleep,
      clock: time.clock,
    });

    await model.generate(request());

    expect(time.delays).toEqual([50, 150, 450]);
  });

  it('caps the backoff bound at maxDelayMs', async () => {
    const time = fakeTime();
    const inner = new ScriptedModel([serverError(), serverError(), serverError(), textResponse('ok')]);
    const model = withRetry(inner, {
      initialDelayMs: 100,
      maxDelayMs: 250,
      random: () => 0.999,
      sleep: time.sleep,
      clock: time.clock,
    });

    await model.generate(request());

    expect(time.delays).toEqual([99, 199, 249]);
  });

  it('backs off instead of honouring a negative retryAfterMs', async () => {
    const time = fakeTime();
    const odd = new ModelError('MODEL_RATE_LIMITED', 'slow down', { retryAfterMs: -5 });
    const inner = new ScriptedModel([odd, textResponse('ok')]);
    const model = withRetry(inner, {
      initialDelayMs: 100,
      random: () => 0.5,
      sleep: time.sleep,
      clock: time.clock,
    });

    await model.generate(request());

    expect(time.delays).toEqual([50]);
  });

  it('tells onRetry the failed attempt, the delay and the error before each wait', async () => {
    const time = fakeTime();
    const first = serverError('first');
    const second = serverError('second');
    const inner = new ScriptedModel([first, second, textResponse('ok')]);
    const retries: RetryInfo[] = [];
    const model = withRetry(inner, {
      initialDelayMs: 100,
      random: () => 0.5,
      sleep: time.sleep,
      clock: time.clock,
      onRetry: (info) => retries.push(info),
    });

    await model.generate(request());

    expect(retries).toEqual([
      { attempt: 1, delayMs: 50, error: first },
      { attempt: 2, delayMs: 100, error: second },
    ]);
  });

  it('rejects invalid options with a ConfigError', () => {
    const inner = new ScriptedModel();

    expect(() =>
      withRetry(inner, { maxRetries: -1, factor: 0.5, deadlineMs: 0, initialDelayMs: Number.NaN }),
    ).toThrow(ConfigError);
  });

  it('keeps the provider, modelId and countTokens of the wrapped model', async () => {
    const inner = Object.assign(new ScriptedModel([], { provider: 'acme', modelId: 'acme-1' }), {
      countTokens: async () => 42,
    });

    const model = withRetry(inner);

    expect(model).toMatchObject({ provider: 'acme', modelId: 'acme-1' });
    expect(await model.countTokens?.(request())).toBe(42);
  });

  it('has no countTokens when the wrapped model has none', () => {
    const model = withRetry(new ScriptedModel());

    expect(model.countTokens).toBeUndefined();
  });
});

describe('withRetry stream', () => {
  it('retries a stream that fails before its first event', async () => {
    const time = fakeTime();
    const inner = new ScriptedModel([serverError(), textResponse('streamed')]);
    const model = withRetry(inner, { sleep: time.sleep, clock: time.clock });

    const events = await drain(model.stream(request()));

    expect(events.at(-1)).toMatchObject({ type: 'finish', response: { message: { content: 'streamed' } } });
    expect(inner.calls.map((call) => call.method)).toEqual(['stream', 'stream']);
  });

  it('rethrows a stream failure after the first event without retrying', async () => {
    const time = fakeTime();
    const inner = midStreamFailingModel(1);
    const model = withRetry(inner, { sleep: time.sleep, clock: time.clock });

    await expect(collectStream(model.stream(request()))).rejects.toThrow('connection dropped');

    expect(inner.streams).toBe(1);
  });

  it('throws a non-retryable stream error at once', async () => {
    const time = fakeTime();
    const auth = new ModelError('MODEL_AUTH', 'bad key');
    const inner = new ScriptedModel([auth, textResponse('ok')]);
    const model = withRetry(inner, { sleep: time.sleep, clock: time.clock });

    await expect(collectStream(model.stream(request()))).rejects.toBe(auth);

    expect(inner.calls).toHaveLength(1);
  });
});
