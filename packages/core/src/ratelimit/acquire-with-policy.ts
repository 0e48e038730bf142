import { ConfigError, RateLimitError } from '../errors/errors.js';
import { sleep as defaultSleep, type Sleep, throwIfAborted } from '../util/abort.js';
import type {
  RateLimitDecision,
  RateLimiter,
  RateLimitRequest,
  RateLimitReservation,
} from './rate-limiter.js';

/** A refused acquire: which rule, what ran out, and when to come back. */
export type RateLimitRefusal = Extract<RateLimitDecision, { allowed: false }>;

/** What to do when a rule refuses a call: wait for room, or fail at once with `RateLimitError`. */
export type RateLimitAction = 'wait' | 'fail';

/** Options of {@link acquireWithPolicy}. */
export interface AcquirePolicyOptions {
  /** Wait for room (up to `maxWaitMs`) or fail at once. */
  onLimit: RateLimitAction;
  /**
   * Most total time spent waiting, in ms. When the next wait would take the total past it, the
   * call fails with `RateLimitError` instead of waiting. @default 60_000
   */
  maxWaitMs?: number;
  /** Cancels a wait promptly with `AbortedError`. */
  signal?: AbortSignal;
  /** Waits; injectable so tests control time. @default sleep from util/abort */
  sleep?: Sleep;
  /**
   * Called on every refusal with what happens next (`'fail'` also when waiting would exceed
   * `maxWaitMs`), e.g. to emit a `ratelimit.limited` event.
   */
  onLimited?: (refusal: RateLimitRefusal, action: RateLimitAction) => void;
}

/**
 * Acquires from a limiter, waiting out refusals or failing, as the policy says. Resolves to the
 * reservation to hand back to `limiter.reconcile` once the real usage is known.
 *
 * Waiting re-asks the limiter after each `retryAfterMs`, because other callers may have taken the
 * room in the meantime. The wait budget counts time slept, not time spent inside the limiter.
 *
 * @example
 * ```ts
 * const reservation = await acquireWithPolicy(limiter, { tenant, model: 'gpt-4o', tokens: 900 }, {
 *   onLimit: 'wait',
 *   signal,
 *   onLimited: (refusal, action) => bus.emit('ratelimit.limited', { ...refusal, action }),
 * });
 * ```
 */
export async function acquireWithPolicy(
  limiter: RateLimiter,
  request: RateLimitRequest,
  options: AcquirePolicyOptions,
): Promise<RateLimitReservation> {
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  if (!(maxWaitMs >= 0)) {
    throw new ConfigError(`maxWaitMs must be a number >= 0; got ${String(maxWaitMs)}. Use 0 to never wait.`);
  }
  const sleep = options.sleep ?? defaultSleep;
  let waitedMs = 0;
  for (;;) {
    throwIfAborted(options.signal, 'The rate-limit wait');
    const decision = await limiter.acquire(request);
    if (decision.allowed) return decision.reservation;

    // At least 1 ms, so a limiter that answers 0 cannot spin this loop without using the budget.
    const delayMs = Math.max(1, decision.retryAfterMs);
    const action: RateLimitAction =
      options.onLimit === 'fail' || decision.permanent === true || waitedMs + delayMs > maxWaitMs
        ? 'fail'
        : 'wait';
    options.onLimited?.(decision, action);
    if (decision.permanent === true) {
      throw new RateLimitError(decision.rule, decision.retryAfterMs, {
        message: `Rate limit "${decision.rule}" can never admit this call: it needs ${String(request.tokens ?? 0)} tokens, more than the rule allows per window. Raise the rule's maxTokens or send a smaller request.`,
        details: { permanent: true },
      });
    }
    if (action === 'fail') throw new RateLimitError(decision.rule, decision.retryAfterMs);
    await sleep(delayMs, options.signal);
    waitedMs += delayMs;
  }
}
