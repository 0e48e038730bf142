import { ModelError, throwIfAborted } from '@agent/core';
import { mapAnthropicError } from './map-error.js';

/**
 * One model call's cancellation: the caller's signal and the adapter's `timeoutMs`, merged into
 * the signal handed to the SDK. `guard()` races a step of the call against them, so an abort
 * rejects at once even while the SDK is still tearing the request down (ADR 0006 allows 100 ms),
 * and a timeout covers the whole call, body and stream included (the SDK's own `timeout` stops
 * at the response headers).
 */
export class CallScope {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly interrupted: Promise<never>;
  private readonly detach: () => void;
  private timedOut = false;

  constructor(
    private readonly modelId: string,
    private readonly callerSignal: AbortSignal | undefined,
    private readonly timeoutMs: number | undefined,
  ) {
    this.interrupted = new Promise<never>((_resolve, reject) => {
      this.controller.signal.addEventListener('abort', () => reject(this.interruption()), { once: true });
    });
    // Nobody may be racing at the moment the abort happens; that must not be an unhandled rejection.
    this.interrupted.catch(() => {});
    const onCallerAbort = () => this.controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    this.detach = () => callerSignal?.removeEventListener('abort', onCallerAbort);
    if (callerSignal?.aborted) this.controller.abort(callerSignal.reason);
    if (timeoutMs !== undefined && !this.controller.signal.aborted) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort();
      }, timeoutMs);
    }
  }

  /** The signal to give the SDK. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Throws the abort or timeout error if the call was already interrupted. */
  check(): void {
    if (this.controller.signal.aborted) throw this.interruption();
  }

  /** Waits for `step`, rejecting as soon as the call is aborted or times out. */
  guard<T>(step: Promise<T>): Promise<T> {
    // The step's own rejection after an interruption is expected and already reported.
    step.catch(() => {});
    return Promise.race([step, this.interrupted]);
  }

  /** The error to throw for `error`: the interruption if there was one, else the mapped SDK error. */
  toError(error: unknown): Error {
    if (this.controller.signal.aborted) return this.interruption();
    return mapAnthropicError(error, this.modelId);
  }

  /** Stops the timer, detaches from the caller's signal and aborts whatever is still in flight. */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.detach();
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  private interruption(): Error {
    if (this.callerSignal?.aborted) {
      try {
        throwIfAborted(this.callerSignal, 'The Anthropic call');
      } catch (error) {
        return error as Error;
      }
    }
    if (this.timedOut) {
      return new ModelError(
        'MODEL_TIMEOUT',
        `The Anthropic call to "${this.modelId}" took longer than timeoutMs (${this.timeoutMs} ms). Raise timeoutMs, or retry.`,
        { provider: 'anthropic', modelId: this.modelId },
      );
    }
    return new ModelError('MODEL_CONNECTION', `The Anthropic call to "${this.modelId}" was closed.`, {
      provider: 'anthropic',
      modelId: this.modelId,
    });
  }
}
