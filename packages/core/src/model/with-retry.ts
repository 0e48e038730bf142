import { AgentError } from '../errors/agent-error.js';
import { ConfigError } from '../errors/errors.js';
import { abortError, sleep as defaultSleep, type Sleep } from '../util/abort.js';
import { type Clock, systemClock } from '../util/clock.js';
import { deadlineScope } from './deadline.js';
import type { LanguageModel, ModelRequest, ModelResponse, ModelStreamEvent } from './language-model.js';

/** What {@link RetryOptions.onRetry} is told before each wait. */
export interface RetryInfo {
  /** The attempt that just failed, 1-based (1 is the first call). */
  attempt: number;
  /** How long the wrapper waits before the next attempt, in ms. */
  delayMs: number;
  /** The retryable error the failed attempt threw. */
  error: AgentError;
}

/** Options of {@link withRetry}. */
export interface RetryOptions {
  /** Retries after the first attempt; `0` turns retrying off. @default 3 */
  maxRetries?: number;
  /** Upper bound of the first backoff, in ms (the actual wait is drawn from 0 to this bound). @default 500 */
  initialDelayMs?: number;
  /** Largest backoff bound, in ms. @default 30_000 */
  maxDelayMs?: number;
  /** Growth of the backoff bound per retry. @default 2 */
  factor?: number;
  /**
   * Longest `retryAfterMs` the wrapper agrees to wait, in ms. When the vendor asks for more, the
   * error is thrown at once: a caller is better served by failing fast (or falling back) than by
   * hanging for minutes. @default 60_000
   */
  maxRetryAfterMs?: number;
  /**
   * Budget for the whole call, attempts and waits included, in ms from the first attempt. A retry
   * is only made if it can start before the deadline (otherwise the last error is thrown), and an
   * attempt still running at the deadline is aborted and fails with a non-retryable
   * `MODEL_TIMEOUT`, even if the model ignores its signal. Waits are measured with `clock`; the
   * in-flight cut-off uses a real timer.
   * @default undefined (no deadline)
   */
  deadlineMs?: number;
  /** Waits between attempts; injectable so tests control time. @default sleep from util/abort */
  sleep?: Sleep;
  /** Measures the deadline. @default systemClock */
  clock?: Clock;
  /** Source of jitter in [0, 1). @default Math.random */
  random?: () => number;
  /** Called before each wait, e.g. to log or count retries. */
  onRetry?: (info: RetryInfo) => void;
}

interface RetrySettings {
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  maxRetryAfterMs: number;
  deadlineMs: number | undefined;
  sleep: Sleep;
  clock: Clock;
  random: () => number;
  onRetry: ((info: RetryInfo) => void) | undefined;
}

/**
 * Wraps a model so retryable failures are tried again with exponential backoff and full jitter.
 *
 * Only errors with `AgentError.isInstance(error) && error.retryable` are retried; anything else
 * (bad request, auth, a plain `Error`) is thrown at once. A `retryAfterMs` on the error (set by
 * adapters from the vendor's `Retry-After`, and by `RateLimitError`) replaces the backoff. The
 * request's `signal` cancels a wait promptly with `AbortedError`, and nothing is retried after an
 * abort. `stream()` is retried only while no event has been yielded: after that the consumer has
 * seen part of an answer, and repeating it would duplicate output.
 *
 * @example
 * ```ts
 * const model = withRetry(openai('gpt-4o-mini'), { maxRetries: 5, deadlineMs: 60_000 });
 * const response = await model.generate({ messages: [userMessage('Hi')] });
 * ```
 */
export function withRetry(model: LanguageModel, options: RetryOptions = {}): LanguageModel {
  const settings = resolveSettings(options);

  const wrapped: LanguageModel = {
    provider: model.provider,
    modelId: model.modelId,

    async generate(request: ModelRequest): Promise<ModelResponse> {
      const startedAt = settings.clock.now();
      for (let attempt = 1; ; attempt++) {
        try {
          if (settings.deadlineMs === undefined) return await model.generate(request);
          const scope = deadlineScope(request, remainingMs(settings, startedAt), settings.deadlineMs);
          try {
            return await scope.run((scoped) => model.generate(scoped));
          } finally {
            scope.dispose();
          }
        } catch (error) {
          const delayMs = planRetry(error, attempt, startedAt, settings, request.signal);
          await settings.sleep(delayMs, request.signal);
        }
      }
    },

    async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
      const startedAt = settings.clock.now();
      for (let attempt = 1; ; attempt++) {
        let yielded = false;
        const scope =
          settings.deadlineMs === undefined
            ? undefined
            : deadlineScope(request, remainingMs(settings, startedAt), settings.deadlineMs);
        const iterator = model.stream(scope?.request ?? request)[Symbol.asyncIterator]();
        try {
          for (;;) {
            // Each read is raced against the deadline, so a stalled stream cannot outlive it.
            const next = scope ? await scope.run(() => iterator.next()) : await iterator.next();
            if (next.done) return;
            yielded = true;
            yield next.value;
          }
        } catch (caught) {
          const error = scope?.expired && !request.signal?.aborted ? scope.error : caught;
          if (yielded) throw error;
          const delayMs = planRetry(error, attempt, startedAt, settings, request.signal);
          await settings.sleep(delayMs, request.signal);
        } finally {
          scope?.dispose();
          void iterator.return?.()?.catch(() => {});
        }
      }
    },
  };
  if (model.countTokens) wrapped.countTokens = model.countTokens.bind(model);
  return wrapped;
}

function remainingMs(settings: RetrySettings, startedAt: number): number {
  return (settings.deadlineMs ?? 0) - (settings.clock.now() - startedAt);
}

/** Returns how long to wait before the next attempt, or throws when there must be none. */
function planRetry(
  error: unknown,
  attempt: number,
  startedAt: number,
  settings: RetrySettings,
  signal: AbortSignal | undefined,
): number {
  // The caller gave up: whatever the attempt failed with, it is an abort to them.
  if (signal?.aborted) throw abortError(signal, 'The model call');
  if (!AgentError.isInstance(error) || !error.retryable) throw error;
  if (attempt > settings.maxRetries) throw error;

  const retryAfterMs = readRetryAfter(error);
  let delayMs: number;
  if (retryAfterMs === undefined) {
    const bound = Math.min(settings.maxDelayMs, settings.initialDelayMs * settings.factor ** (attempt - 1));
    // Full jitter spreads clients that failed together, so they do not retry in lockstep.
    delayMs = Math.floor(settings.random() * bound);
  } else {
    if (retryAfterMs > settings.maxRetryAfterMs) throw error;
    delayMs = retryAfterMs;
  }

  if (settings.deadlineMs !== undefined) {
    const elapsedMs = settings.clock.now() - startedAt;
    // A retry that would start at or after the deadline has no time left to succeed.
    if (elapsedMs + delayMs >= settings.deadlineMs) throw error;
  }
  settings.onRetry?.({ attempt, delayMs, error });
  return delayMs;
}

// Read structurally so errors from a duplicate install of @agent/core (and RateLimitError,
// which also says when to come back) are honoured, not only this copy's ModelError.
function readRetryAfter(error: AgentError): number | undefined {
  const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function resolveSettings(options: RetryOptions): RetrySettings {
  const settings: RetrySettings = {
    maxRetries: options.maxRetries ?? 3,
    initialDelayMs: options.initialDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    factor: options.factor ?? 2,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    deadlineMs: options.deadlineMs,
    sleep: options.sleep ?? defaultSleep,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    onRetry: options.onRetry,
  };
  const problems: string[] = [];
  if (!Number.isInteger(settings.maxRetries) || settings.maxRetries < 0)
    problems.push('maxRetries must be an integer >= 0');
  for (const name of ['initialDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    if (!(settings[name] >= 0)) problems.push(`${name} must be a number >= 0`);
  }
  if (!(settings.factor >= 1)) problems.push('factor must be a number >= 1');
  if (settings.deadlineMs !== undefined && !(settings.deadlineMs > 0))
    problems.push('deadlineMs must be > 0');
  if (problems.length > 0) {
    throw new ConfigError(
      `withRetry options are invalid: ${problems.join('; ')}. Fix the values passed to withRetry().`,
    );
  }
  return settings;
}
