import { ModelError } from '../errors/errors.js';
import { raceAbort } from '../util/race-abort.js';
import type { ModelRequest } from './language-model.js';

/** A request bound to an overall deadline: its signal aborts when the deadline passes. */
export interface DeadlineScope {
  request: ModelRequest;
  /** Runs `call`, returning at the deadline even if the model ignores its signal. */
  run<T>(call: (request: ModelRequest) => Promise<T>): Promise<T>;
  /** Whether the deadline has passed. */
  readonly expired: boolean;
  /** The error to throw once the deadline passed. */
  readonly error: ModelError;
  /** Clears the timer and the link to the caller's signal. */
  dispose(): void;
}

/**
 * Binds one attempt of a retried call to the remaining time of an overall deadline, so a slow
 * attempt cannot carry the whole call past it. The error is a retryable `MODEL_TIMEOUT`: this
 * `withRetry` cannot retry it (no time is left), but a `withFallback` around it falls over to the
 * next model, which has a deadline of its own.
 * `remainingMs` of zero or less expires at once.
 */
export function deadlineScope(request: ModelRequest, remainingMs: number, deadlineMs: number): DeadlineScope {
  const controller = new AbortController();
  const parent = request.signal;
  const error = new ModelError(
    'MODEL_TIMEOUT',
    `The model call did not finish within its overall deadline of ${deadlineMs} ms (withRetry deadlineMs). Raise deadlineMs, or lower the per-attempt timeout so retries fit.`,
  );
  let expired = false;
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  const timer = setTimeout(
    () => {
      expired = true;
      controller.abort(error);
    },
    Math.max(0, remainingMs),
  );
  const scoped: ModelRequest = { ...request, signal: controller.signal };
  return {
    request: scoped,
    error,
    get expired() {
      return expired;
    },
    async run(call) {
      try {
        return await raceAbort(call(scoped), controller.signal, 'The model call');
      } catch (caught) {
        if (expired && !parent?.aborted) throw error;
        throw caught;
      }
    },
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
