/**
 * The signal, deadline and prompt cancellation of one model call.
 *
 * The SDK is given `signal`, which aborts when the caller's signal aborts or when `timeoutMs`
 * passes without progress. `race` rejects as soon as that happens, because the SDK may notice an
 * abort late (openai 6.x ignores it while sleeping, and a body read can sit in the socket), while
 * ADR 0006 promises an `AbortedError` within 100 ms.
 */
export interface CallScope {
  /** Aborts on the caller's abort or on the timeout; pass it to the SDK. */
  readonly signal: AbortSignal;
  /** True once the caller's signal has aborted (as opposed to the timeout). */
  readonly callerAborted: boolean;
  /** True once `timeoutMs` passed without progress. */
  readonly timedOut: boolean;
  /** Settles like `promise`, or rejects at once when the scope aborts. */
  race<T>(promise: Promise<T>): Promise<T>;
  /** Restarts the timeout: a stream that keeps sending chunks is making progress. */
  touch(): void;
  /** Stops the timeout while the consumer, not the vendor, is taking its time. */
  pause(): void;
  /** Cancels the vendor call, e.g. when the consumer stopped reading the stream. */
  abort(): void;
  /** Stops the timer and detaches from the caller's signal. Call it when the call is over. */
  dispose(): void;
}

/** What `race` rejects with when the scope aborts; callers turn it into the right error. */
export class ScopeAbortedSignal extends Error {
  constructor() {
    super('The model call scope was aborted.');
    this.name = 'ScopeAbortedSignal';
  }
}

/**
 * Opens the scope of one call. `timeoutMs` bounds the wait for the answer (and, in a stream,
 * every silence between chunks, since `touch` restarts it).
 */
export function openCallScope(parent: AbortSignal | undefined, timeoutMs: number): CallScope {
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const onTimeout = () => {
    timedOut = true;
    controller.abort(new ScopeAbortedSignal());
  };
  const onParentAbort = () => controller.abort(parent?.reason);
  const startTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(onTimeout, timeoutMs);
  };

  if (parent?.aborted) controller.abort(parent.reason);
  else {
    parent?.addEventListener('abort', onParentAbort, { once: true });
    startTimer();
  }

  const aborted = new Promise<never>((_resolve, reject) => {
    const rejectNow = () => reject(new ScopeAbortedSignal());
    if (controller.signal.aborted) rejectNow();
    else controller.signal.addEventListener('abort', rejectNow, { once: true });
  });
  // Nobody may be racing when the scope aborts; that must not be an unhandled rejection.
  aborted.catch(() => {});

  return {
    signal: controller.signal,
    get callerAborted() {
      return parent?.aborted === true;
    },
    get timedOut() {
      return timedOut && parent?.aborted !== true;
    },
    // `aborted` goes first so an already-aborted scope wins over an already-settled promise.
    race: <T>(promise: Promise<T>) => Promise.race([aborted, promise]),
    touch: () => {
      if (!controller.signal.aborted) startTimer();
    },
    pause: () => {
      if (timer !== undefined) clearTimeout(timer);
    },
    abort: () => controller.abort(new ScopeAbortedSignal()),
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
