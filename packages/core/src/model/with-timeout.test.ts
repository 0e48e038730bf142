import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortedError, ConfigError, ModelError } from '../errors/errors.js';
import { userMessage } from '../messages/message.js';
import { ScriptedModel, textResponse } from '../testing/scripted-model.js';
import { abortError, sleep } from '../util/abort.js';
import type { LanguageModel, ModelRequest, ModelStreamEvent } from './language-model.js';
import { collectStream } from './stream-utils.js';
import { withTimeout } from './with-timeout.js';

/** Reads a stream to its end (unlike collectStream, which stops at `finish`). */
async function drain(stream: AsyncIterable<ModelStreamEvent>): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const request = (signal?: AbortSignal): ModelRequest => ({ messages: [userMessage('hi')], signal });

/**
 * A model that answers after `delayMs` (fake timers). `generate` stops early when its signal
 * aborts unless `ignoreSignal`; `stream` yields `events` deltas, `delayMs` apart, then finishes.
 */
function slowModel(delayMs: number, options: { ignoreSignal?: boolean; events?: number } = {}) {
  const seen: { signals: AbortSignal[]; closed: number } = { signals: [], closed: 0 };
  const wait = (signal: AbortSignal | undefined) => sleep(delayMs, options.ignoreSignal ? undefined : signal);
  const model: LanguageModel = {
    provider: 'test',
    modelId: 'slow',
    async generate(request) {
      if (request.signal) seen.signals.push(request.signal);
      await wait(request.signal);
      return textResponse('done');
    },
    async *stream(request): AsyncGenerator<ModelStreamEvent> {
      if (request.signal) seen.signals.push(request.signal);
      try {
        for (let index = 0; index < (options.events ?? 1); index++) {
          await wait(request.signal);
          yield { type: 'text-delta', delta: `part ${index}` };
        }
        yield { type: 'finish', response: textResponse('done') };
      } finally {
        seen.closed++;
      }
    },
  };
  return { model, seen };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('withTimeout', () => {
  it('rejects invalid timeouts with a ConfigError', () => {
    const inner = new ScriptedModel();

    for (const ms of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expect(() => withTimeout(inner, ms)).toThrow(ConfigError);
    }
  });

  it('throws a retryable MODEL_TIMEOUT ModelError that says what to do when the call is too slow', async () => {
    const { model: inner } = slowModel(1_000);
    const model = withTimeout(inner, 100);

    const result = model.generate(request());
    const assertion = expect(result).rejects.toSatisfy(
      (error) => error instanceof ModelError && error.code === 'MODEL_TIMEOUT' && error.retryable,
    );
    await vi.advanceTimersByTimeAsync(100);

    await assertion;
    await expect(result).rejects.toThrow(/did not finish within 100 ms\. Raise the timeout/);
  });

  it('aborts the inner call when it times out', async () => {
    const { model: inner, seen } = slowModel(1_000);
    const model = withTimeout(inner, 100);

    const result = model.generate(request()).catch(() => {});
    await vi.advanceTimersByTimeAsync(100);
    await result;

    expect(seen.signals[0]?.aborted).toBe(true);
    expect(seen.signals[0]?.reason).toMatchObject({ code: 'MODEL_TIMEOUT' });
  });

  it('times out on schedule even when the inner call ignores its signal', async () => {
    const { model: inner } = slowModel(1_000, { ignoreSignal: true });
    const model = withTimeout(inner, 100);

    const result = model.generate(request());
    const assertion = expect(result).rejects.toMatchObject({ code: 'MODEL_TIMEOUT' });
    await vi.advanceTimersByTimeAsync(100);

    await assertion;
  });

  it('rejects with AbortedError, not a timeout, when the caller aborts', async () => {
    const { model: inner, seen } = slowModel(1_000);
    const model = withTimeout(inner, 500);
    const controller = new AbortController();

    const result = model.generate(request(controller.signal));
    const assertion = expect(result).rejects.toBeInstanceOf(AbortedError);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();

    await assertion;
    expect(seen.signals[0]?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once without calling the model when the signal is already aborted', async () => {
    const inner = new ScriptedModel([textResponse('never')]);
    const model = withTimeout(inner, 100);

    await expect(model.generate(request(AbortSignal.abort()))).rejects.toBeInstanceOf(AbortedError);

    expect(inner.calls).toHaveLength(0);
  });

  it('passes through an error the inner call throws before the timeout', async () => {
    const failure = new ModelError('MODEL_BAD_REQUEST', 'bad request');
    const model = withTimeout(new ScriptedModel([failure]), 100);

    await expect(model.generate(request())).rejects.toBe(failure);
  });

  it('returns the answer and clears its timer when the call finishes in time', async () => {
    const { model: inner } = slowModel(50);
    const model = withTimeout(inner, 100);

    const result = model.generate(request());
    await vi.advanceTimersByTimeAsync(50);

    expect((await result).message.content).toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps the provider, modelId and countTokens of the wrapped model', async () => {
    const inner = Object.assign(new ScriptedModel([], { provider: 'acme', modelId: 'acme-1' }), {
      countTokens: async () => 7,
    });

    const model = withTimeout(inner, 100);

    expect(model).toMatchObject({ provider: 'acme', modelId: 'acme-1' });
    expect(await model.countTokens?.(request())).toBe(7);
  });
});

describe('withTimeout stream', () => {
  it('times out the whole stream even though each event arrives within the timeout', async () => {
    const { model: inner, seen } = slowModel(40, { events: 5 });
    const model = withTimeout(inner, 100);
    const received: ModelStreamEvent[] = [];

    const result = (async () => {
      for await (const event of model.stream(request())) received.push(event);
    })();
    const assertion = expect(result).rejects.toMatchObject({ code: 'MODEL_TIMEOUT' });
    await vi.advanceTimersByTimeAsync(100);

    await assertion;
    expect(received).toHaveLength(2);
    expect(seen.signals[0]?.aborted).toBe(true);
  });

  it('times out a stream whose inner model ignores its signal', async () => {
    const { model: inner } = slowModel(1_000, { ignoreSignal: true });
    const model = withTimeout(inner, 100);

    const result = collectStream(model.stream(request()));
    const assertion = expect(result).rejects.toMatchObject({ code: 'MODEL_TIMEOUT' });
    await vi.advanceTimersByTimeAsync(100);

    await assertion;
  });

  it('rejects a stream with AbortedError when the caller aborts', async () => {
    const { model: inner } = slowModel(1_000);
    const model = withTimeout(inner, 500);
    const controller = new AbortController();

    const result = collectStream(model.stream(request(controller.signal)));
    const assertion = expect(result).rejects.toBeInstanceOf(AbortedError);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(abortError(controller.signal));

    await assertion;
  });

  it('rejects a stream at once when the signal is already aborted', async () => {
    const inner = new ScriptedModel([textResponse('never')]);
    const model = withTimeout(inner, 100);

    await expect(collectStream(model.stream(request(AbortSignal.abort())))).rejects.toBeInstanceOf(
      AbortedError,
    );

    expect(inner.calls).toHaveLength(0);
  });

  it('passes every event through and clears its timer when the stream finishes in time', async () => {
    const { model: inner } = slowModel(10, { events: 3 });
    const model = withTimeout(inner, 100);

    const result = drain(model.stream(request()));
    await vi.advanceTimersByTimeAsync(30);

    expect((await result).map((event) => event.type)).toEqual([
      'text-delta',
      'text-delta',
      'text-delta',
      'finish',
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('closes the inner stream and clears its timer when the consumer stops early', async () => {
    const { model: inner, seen } = slowModel(10, { events: 3 });
    const model = withTimeout(inner, 100);

    const consumed = (async () => {
      for await (const event of model.stream(request())) {
        expect(event.type).toBe('text-delta');
        break;
      }
    })();
    await vi.advanceTimersByTimeAsync(10);
    await consumed;

    expect(seen.closed).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
