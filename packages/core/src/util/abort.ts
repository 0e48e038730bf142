import { AbortedError } from '../errors/errors.js';

/** Throws {@link AbortedError} (keeping the signal's reason as cause) when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what = 'The operation'): void {
  if (signal?.aborted) throw abortError(signal, what);
}

/** The {@link AbortedError} for an aborted signal. */
export function abortError(signal: AbortSignal, what = 'The operation'): AbortedError {
  const reason: unknown = signal.reason;
  if (reason instanceof AbortedError) return reason;
  return new AbortedError(`${what} was aborted.`, { cause: reason });
}

/**
 * Waits `ms`, rejecting with {@link AbortedError} as soon as `signal` aborts. The timer is
 * cleared on abort so nothing keeps the process alive.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal, 'The wait'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal, 'The wait'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A function that waits; injectable so tests control time. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Links a child controller to an optional parent signal. Returns the child signal and a
 * `dispose` that detaches the listener (call it when the child's work is done, or listeners pile
 * up on long-lived parent signals).
 */
export function linkedAbort(parent: AbortSignal | undefined): {
  controller: AbortController;
  dispose: () => void;
} {
  const controller = new AbortController();
  if (!parent) return { controller, dispose: () => {} };
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, dispose: () => {} };
  }
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, dispose: () => parent.removeEventListener('abort', onAbort) };
}
