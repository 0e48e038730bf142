import { ModelError, type PriceTable, ValidationError } from '@agent/core';
import Anthropic from '@anthropic-ai/sdk';
import { AnthropicLanguageModel, type AnthropicModelConfig } from './anthropic-model.js';
import { anthropicPrices } from './prices.js';

/** Options of {@link createAnthropic}. */
export interface AnthropicProviderOptions {
  /**
   * The Anthropic API key. Other SDK credential sources (auth tokens, profiles) are not used, so a
   * stray `ANTHROPIC_AUTH_TOKEN` or config file cannot change which account pays.
   * @default process.env.ANTHROPIC_API_KEY, read at the first request (not at import)
   */
  apiKey?: string;
  /**
   * The API's base URL, e.g. a gateway's or a test server's.
   * @default process.env.ANTHROPIC_BASE_URL, else https://api.anthropic.com (the SDK's default)
   */
  baseURL?: string;
  /**
   * Extra headers sent with every request (e.g. `anthropic-beta`, a gateway's routing key).
   * @default undefined (only the SDK's own headers)
   */
  headers?: Record<string, string>;
  /**
   * The `fetch` the SDK uses, e.g. one with a proxy agent.
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
  /**
   * Longest a whole call may take, streamed body included, in ms; past it the call fails with
   * a retryable `MODEL_TIMEOUT`. For an overall budget across retries use `withRetry`'s
   * `deadlineMs`.
   * @default undefined (only the SDK's 10-minute wait for response headers)
   */
  timeoutMs?: number;
  /**
   * `max_tokens` sent when a request's `settings.maxTokens` is unset: the Messages API requires
   * one. It caps the answer's length; it is not reserved or billed unless used.
   * @default 4096
   */
  defaultMaxTokens?: number;
  /**
   * Prompt caching: `true` (or `'5m'`) sends a top-level `cache_control`, so Anthropic caches the
   * prompt up to its last cacheable block for 5 minutes; `'1h'` for an hour. Cache writes cost
   * more than input (1.25x for 5 minutes, 2x for an hour) and reads a tenth, so it pays off when
   * prompts repeat, as the steps of an agent run do. `anthropicPrices` has 5-minute write prices.
   * @default false
   */
  promptCaching?: boolean | '5m' | '1h';
  /**
   * Prices in US dollars per million tokens, merged over {@link anthropicPrices} (yours win), for
   * `usage.costUsd`. Keys match model ids exactly or by longest prefix.
   * @default anthropicPrices
   */
  prices?: PriceTable;
  /**
   * How `countTokens()` counts: `'api'` asks Anthropic's count-tokens endpoint (exact, free, but a
   * request), falling back to the estimate if it fails; `'estimate'` never calls the API.
   * @default 'api'
   */
  countTokens?: 'api' | 'estimate';
}

/** Creates Claude models by id: `provider('claude-sonnet-4-5')`. */
export type AnthropicProvider = (modelId: string) => AnthropicLanguageModel;

const DEFAULT_MAX_TOKENS = 4096;

/**
 * Creates an Anthropic provider: a function from a model id to a `LanguageModel`. The SDK client
 * is built once, at the provider's first request, with its own retries off (`withRetry` owns
 * retries, ADR 0006) and its OpenTelemetry spans off (core's tracing wrapper owns spans).
 *
 * @example
 * ```ts
 * import { Agent, withRetry } from '@agent/core';
 * import { createAnthropic } from '@agent/llm-anthropic';
 *
 * const anthropic = createAnthropic({ apiKey: process.env.MY_KEY, timeoutMs: 60_000 });
 * const agent = new Agent({
 *   name: 'assistant',
 *   model: withRetry(anthropic('claude-sonnet-4-5')),
 *   instructions: 'Answer briefly.',
 * });
 * const result = await agent.run('What is the capital of Norway?');
 * ```
 */
export function createAnthropic(given: AnthropicProviderOptions = {}): AnthropicProvider {
  // A copy: the client is built later, and must not see changes the caller makes meanwhile.
  const options: AnthropicProviderOptions = { ...given };
  validateOptions(options);
  let client: Anthropic | undefined;
  const config: AnthropicModelConfig = {
    client(modelId) {
      client ??= createClient(options, modelId);
      return client;
    },
    defaultMaxTokens: options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS,
    promptCache: options.promptCaching === true ? '5m' : options.promptCaching || undefined,
    prices: { ...anthropicPrices, ...options.prices },
    timeoutMs: options.timeoutMs,
    countTokens: options.countTokens ?? 'api',
    countTokensUnavailable: false,
  };
  return (modelId) => {
    if (typeof modelId !== 'string' || modelId.trim().length === 0) {
      throw new ValidationError(
        'An Anthropic model id must be a non-empty string, e.g. "claude-sonnet-4-5".',
      );
    }
    return new AnthropicLanguageModel(modelId, config);
  };
}

/**
 * The default provider, configured from the environment: `ANTHROPIC_API_KEY` (read at the first
 * request, so importing never throws) and `ANTHROPIC_BASE_URL`.
 *
 * @example
 * ```ts
 * const response = await anthropic('claude-haiku-4-5').generate({ messages: [userMessage('Hi')] });
 * ```
 */
export const anthropic: AnthropicProvider = createAnthropic();

function createClient(options: AnthropicProviderOptions, modelId: string): Anthropic {
  const apiKey = options.apiKey ?? readEnvironment('ANTHROPIC_API_KEY');
  if (apiKey === undefined || apiKey.length === 0) {
    throw new ModelError(
      'MODEL_AUTH',
      'No Anthropic API key: set the ANTHROPIC_API_KEY environment variable, or pass apiKey to createAnthropic().',
      { provider: 'anthropic', modelId },
    );
  }
  return new Anthropic({
    apiKey,
    // Left out, the SDK falls back to ANTHROPIC_BASE_URL, then to https://api.anthropic.com.
    ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
    ...(options.headers !== undefined ? { defaultHeaders: options.headers } : {}),
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
    maxRetries: 0,
    openTelemetry: false,
  });
}

function validateOptions(options: AnthropicProviderOptions): void {
  const { timeoutMs, defaultMaxTokens, countTokens, promptCaching } = options;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new ValidationError(
      `createAnthropic(): timeoutMs must be a positive number of ms, got ${timeoutMs}.`,
    );
  }
  if (defaultMaxTokens !== undefined && !(Number.isInteger(defaultMaxTokens) && defaultMaxTokens > 0)) {
    throw new ValidationError(
      `createAnthropic(): defaultMaxTokens must be a positive integer, got ${defaultMaxTokens}.`,
    );
  }
  if (countTokens !== undefined && countTokens !== 'api' && countTokens !== 'estimate') {
    throw new ValidationError(
      `createAnthropic(): countTokens must be 'api' or 'estimate', got ${String(countTokens)}.`,
    );
  }
  if (
    promptCaching !== undefined &&
    typeof promptCaching !== 'boolean' &&
    promptCaching !== '5m' &&
    promptCaching !== '1h'
  ) {
    throw new ValidationError(
      `createAnthropic(): promptCaching must be true, false, '5m' or '1h', got ${String(promptCaching)}.`,
    );
  }
}

// Read through globalThis so the package also loads where `process` does not exist.
function readEnvironment(name: string): string | undefined {
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = environment?.[name]?.trim();
  return value === undefined || value.length === 0 ? undefined : value;
}
