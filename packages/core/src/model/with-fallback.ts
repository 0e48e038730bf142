import { AgentError } from '../errors/agent-error.js';
import { ConfigError, type ModelError } from '../errors/errors.js';
import { abortError } from '../util/abort.js';
import type { LanguageModel, ModelRequest, ModelResponse, ModelStreamEvent } from './language-model.js';

/** What {@link FallbackOptions.onFallback} is told when a model fails and the next one is tried. */
export interface FallbackInfo {
  /** The error the failed model threw. */
  error: unknown;
  /** The model that failed. */
  from: LanguageModel;
  /** The model tried next. */
  to: LanguageModel;
  /** Position of `to` in the chain (1 is the first fallback). */
  index: number;
}

/** Options of {@link withFallback}. */
export interface FallbackOptions {
  /**
   * Whether an error moves on to the next model. An aborted request never falls over, whatever
   * this says.
   * @default retryable or capacity `ModelError`s (see {@link isFallbackError})
   */
  shouldFallback?: (error: unknown) => boolean;
  /** Called before the next model is tried, e.g. to log or count fallbacks. */
  onFallback?: (info: FallbackInfo) => void;
}

/**
 * The default fallback test: a model error (`MODEL_*` code) that is retryable or says the model
 * has no capacity. Bad requests, auth failures and non-model errors would fail the same way on
 * every model, so they are not fallen over.
 */
export function isFallbackError(error: unknown): boolean {
  if (!AgentError.isInstance(error) || !error.code.startsWith('MODEL_')) return false;
  // Read structurally so ModelErrors from a duplicate install of @agent/core count too.
  return error.retryable || (error as Partial<ModelError>).isCapacityError === true;
}

/**
 * Wraps a chain of models so that when one fails with a retryable or capacity error, the next is
 * tried with the same request. If every model fails, the last error is thrown.
 *
 * `provider`, `modelId` and `countTokens` are the primary's (the first model's): rate limits,
 * logs and token estimates refer to the model the chain is meant to use. `stream()` falls over
 * only before the first event; after that the consumer has seen part of an answer.
 *
 * @example
 * ```ts
 * const model = withFallback([anthropic('claude-sonnet-4-5'), openai('gpt-4o')], {
 *   onFallback: ({ from, to }) => logger.warn('model fallback', { from: from.modelId, to: to.modelId }),
 * });
 * ```
 */
export function withFallback(
  models: readonly [LanguageModel, ...LanguageModel[]],
  options: FallbackOptions = {},
): LanguageModel {
  if (models.length === 0) {
    throw new ConfigError(
      'withFallback needs at least one model. Pass the primary model first, then its fallbacks.',
    );
  }
  // A copy, so a caller changing its array later cannot change the chain under a running call.
  const chain: readonly LanguageModel[] = [...models];
  const [primary] = models;
  const shouldFallback = options.shouldFallback ?? isFallbackError;

  /** Throws unless the chain should move on to the next model after `error`. */
  function throwUnlessFallback(error: unknown, request: ModelRequest): void {
    if (request.signal?.aborted) throw abortError(request.signal, 'The model call');
    if (!shouldFallback(error)) throw error;
  }

  const wrapped: LanguageModel = {
    provider: primary.provider,
    modelId: primary.modelId,

    async generate(request: ModelRequest): Promise<ModelResponse> {
      let failed: { model: LanguageModel; error: unknown } | undefined;
      for (const [index, model] of chain.entries()) {
        if (failed) options.onFallback?.({ error: failed.error, from: failed.model, to: model, index });
        try {
          return await model.generate(request);
        } catch (error) {
          throwUnlessFallback(error, request);
          failed = { model, error };
        }
      }
      throw failed?.error;
    },

    async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
      let failed: { model: LanguageModel; error: unknown } | undefined;
      for (const [index, model] of chain.entries()) {
        if (failed) options.onFallback?.({ error: failed.error, from: failed.model, to: model, index });
        let yielded = false;
        try {
          for await (const event of model.stream(request)) {
            yielded = true;
            yield event;
          }
          return;
        } catch (error) {
          if (yielded) throw error;
          throwUnlessFallback(error, request);
          failed = { model, error };
        }
      }
      throw failed?.error;
    },
  };
  if (primary.countTokens) wrapped.countTokens = primary.countTokens.bind(primary);
  return wrapped;
}
