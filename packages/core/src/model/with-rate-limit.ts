import {
  type AcquirePolicyOptions,
  acquireWithPolicy,
  type RateLimitAction,
} from '../ratelimit/acquire-with-policy.js';
import type { RateLimiter, RateLimitReservation } from '../ratelimit/rate-limiter.js';
import type { Sleep } from '../util/abort.js';
import { estimateTokens as estimateFromText } from './estimate-tokens.js';
import type {
  LanguageModel,
  ModelRequest,
  ModelResponse,
  ModelStreamEvent,
  Usage,
} from './language-model.js';
import { reservationTokens } from './reservation-tokens.js';

/** Options of {@link withRateLimit}. */
export interface ModelRateLimitOptions {
  /** Wait for room or fail at once with `RateLimitError` when a rule refuses. @default 'wait' */
  onLimit?: RateLimitAction;
  /** Most total time to wait for room, in ms. @default 60_000 */
  maxWaitMs?: number;
  /**
   * Tokens to reserve for a request, including its output.
   * @default the model's `countTokens` plus `settings.maxTokens` when the model can count
   * (falling back to `estimateTokens` if counting fails), else `estimateTokens`
   */
  estimateTokens?: (request: ModelRequest) => number | Promise<number>;
  /** Waits; injectable so tests control time. @default sleep from util/abort */
  sleep?: Sleep;
  /** Called on every refusal with what happens next, e.g. to emit a `ratelimit.limited` event. */
  onLimited?: AcquirePolicyOptions['onLimited'];
  /**
   * Called when `reconcile` fails after a call succeeded. The answer is returned anyway: it was
   * paid for, and losing it over bookkeeping would be worse than a slightly stale counter.
   * @default ignore the error
   */
  onReconcileError?: (error: unknown) => void;
}

/**
 * Wraps a model so each call first acquires from `limiter`, keyed by the request's agent and
 * tenant (from `request.context`) and the model's id, reserving its estimated tokens; after the
 * call the reservation is reconciled with the real usage (input plus output tokens).
 *
 * When the call fails, the reservation keeps its estimate: the provider may have processed (and
 * billed) the prompt before failing, so releasing the tokens could let the next calls overrun
 * the provider's own limit. A stream is reconciled on its `finish` event, before that event is
 * passed on; a stream that fails or is abandoned before `finish` keeps its estimate likewise.
 *
 * @example
 * ```ts
 * const limiter = new MemoryRateLimiter({ rules: [{ name: 'tenant', scope: 'tenant', maxCalls: 30, windowMs: 60_000 }] });
 * const model = withRateLimit(openai('gpt-4o-mini'), limiter, { onLimit: 'fail' });
 * await model.generate({ messages, context: { tenant: 'acme' } });
 * ```
 */
export function withRateLimit(
  model: LanguageModel,
  limiter: RateLimiter,
  options: ModelRateLimitOptions = {},
): LanguageModel {
  const estimate = options.estimateTokens ?? reservationTokens(model, estimateFromText);

  async function reserve(request: ModelRequest): Promise<RateLimitReservation> {
    const tokens = await estimate(request);
    const scope = { agent: request.context?.agent, tenant: request.context?.tenant, model: model.modelId };
    return acquireWithPolicy(
      limiter,
      { ...scope, tokens },
      {
        onLimit: options.onLimit ?? 'wait',
        maxWaitMs: options.maxWaitMs,
        sleep: options.sleep,
        onLimited: options.onLimited,
        signal: request.signal,
      },
    );
  }

  async function settle(reservation: RateLimitReservation, usage: Usage): Promise<void> {
    try {
      await limiter.reconcile(reservation, usage.inputTokens + usage.outputTokens);
    } catch (error) {
      options.onReconcileError?.(error);
    }
  }

  const wrapped: LanguageModel = {
    provider: model.provider,
    modelId: model.modelId,

    async generate(request: ModelRequest): Promise<ModelResponse> {
      const reservation = await reserve(request);
      const response = await model.generate(request);
      await settle(reservation, response.usage);
      return response;
    },

    async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
      const reservation = await reserve(request);
      for await (const event of model.stream(request)) {
        // Before yielding: a consumer that stops at `finish` must not skip the reconcile.
        if (event.type === 'finish') await settle(reservation, event.response.usage);
        yield event;
      }
    },
  };
  if (model.countTokens) wrapped.countTokens = model.countTokens.bind(model);
  return wrapped;
}
