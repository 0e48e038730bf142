import { ConfigError, ModelError } from '../errors/errors.js';
import { abortError, linkedAbort, throwIfAborted } from '../util/abort.js';
import type { LanguageModel, ModelRequest, ModelResponse, ModelStreamEvent } from './language-model.js';

// setTimeout silently turns larger delays into 1 ms, which would time every call out at once.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Wraps a model so each call fails with a retryable `MODEL_TIMEOUT` `ModelError` after `ms`.
 *
 * On timeout the inner call gets an aborted signal (linked to the caller's), so the vendor
 * request is cancelled rather than left running, and the wrapper rejects at once even if the
 * inner model ignores its signal. A caller's own abort still surfaces as `AbortedError`.
 *
 * For `stream()` the timeout covers the whole stream, from the call until the `finish` event,
 * including the time the consumer spends between events; it is not an idle timeout.
 *
 * @example
 * ```ts
 * // Timeout inside retry: each attempt gets 30 s, and a timed-out attempt is retried.
 * const model = withRetry(withTimeout(openai('gpt-4o-mini'), 30_000));
 * ```
 */
export function withTimeout(model: LanguageModel, ms: number): LanguageModel {
  if (!(Number.isFinite(ms) && ms > 0 && ms <= MAX_TIMER_MS)) {
    throw new ConfigError(
      `withTimeout needs a timeout between 1 and ${MAX_TIMER_MS} ms; got ${String(ms)}. Pass a positive number of milliseconds.`,
    );
  }

  const wrapped: LanguageModel = {
    provider: model.provider,
    modelId: model.modelId,

    async generate(request: ModelRequest): Promise<ModelResponse> {
      throwIfAborted(request.signal, 'The model call');
      const call = startCall(model, request, ms);
      try {
        return await Promise.race([model.generate(call.request), call.stopped]);
      } catch (error) {
        throw call.failure(error);
      } finally {
        call.end();
      }
    },

    async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
      throwIfAborted(request.signal, 'The model call');
      const call = startCall(model, request, ms);
      const iterator = model.stream(call.request)[Symbol.asyncIterator]();
      let done = false;
      let pending = false;
      try {
        for (;;) {
          pending = true;
          const result = await Promise.race([iterator.next(), call.stopped]);
          pending = false;
          if (result.done) {
            done = true;
            return;
          }
          yield result.value;
        }
      } catch (error) {
        throw call.failure(error);
      } finally {
        call.end();
        if (!done) {
          // Let the inner stream release its resources. If a `next()` is still pending (timeout or
          // abort), its `return()` cannot run until that settles, so do not wait for it.
          const closing = iterator.return?.();
          if (pending) closing?.catch(() => {});
          else await closing?.catch(() => {});
        }
      }
    },
  };
  if (model.countTokens) wrapped.countTokens = model.countTokens.bind(model);
  return wrapped;
}

interface TimedCall {
  /** The request with a signal that aborts on timeout or caller abort. */
  request: ModelRequest;
  /** Rejects when the call is stopped by timeout or caller abort; never resolves. */
  stopped: Promise<never>;
  /** The error to throw for what the inner call threw. */
  failure(error: unknown): unknown;
  /** Clears the timer and detaches from the caller's signal. */
  end(): void;
}

function startCall(model: LanguageModel, request: ModelRequest, ms: number): TimedCall {
  const { controller, dispose } = linkedAbort(request.signal);
  let timeoutError: ModelError | undefined;
  const timer = setTimeout(() => {
    timeoutError = new ModelError(
      'MODEL_TIMEOUT',
      `The model call to ${model.provider}/${model.modelId} did not finish within ${ms} ms. Raise the timeout, shorten the request (fewer messages or a lower maxTokens), or wrap the model in withRetry to try again.`,
      { provider: model.provider, modelId: model.modelId, details: { timeoutMs: ms } },
    );
    controller.abort(timeoutError);
  }, ms);

  let rejectStopped: (error: unknown) => void = () => {};
  const stopped = new Promise<never>((_resolve, reject) => {
    rejectStopped = reject;
  });
  // Nobody awaits `stopped` after the call ends; keep a late rejection from being "unhandled".
  stopped.catch(() => {});
  const onStop = () => rejectStopped(failure(undefined));
  controller.signal.addEventListener('abort', onStop, { once: true });

  function failure(error: unknown): unknown {
    if (timeoutError) return timeoutError;
    if (request.signal?.aborted) return abortError(request.signal, 'The model call');
    return error;
  }

  return {
    request: { ...request, signal: controller.signal },
    stopped,
    failure,
    end() {
      clearTimeout(timer);
      dispose();
      controller.signal.removeEventListener('abort', onStop);
    },
  };
}
