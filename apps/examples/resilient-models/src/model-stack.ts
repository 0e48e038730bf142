import { type LanguageModel, type RetryInfo, withFallback, withRetry, withTimeout } from '@agent/core';
import { createAnthropic } from '@agent/llm-anthropic';
import { createOpenAI } from '@agent/llm-openai';

/** Where each vendor is reached; real endpoints by default, a local fake server in tests. */
export interface ModelStackOptions {
  openai?: { apiKey?: string; baseURL?: string };
  anthropic?: { apiKey?: string; baseURL?: string };
  /** Longest single attempt. @default 30_000 */
  attemptTimeoutMs?: number;
  /** Budget of one model (all its attempts and waits) before falling over. @default 60_000 */
  deadlineMs?: number;
  /** Longest `Retry-After` honoured; a vendor asking for longer is treated as down. @default 10_000 */
  maxRetryAfterMs?: number;
  /** Called before every retry and every fallover, e.g. to log them. */
  onRetry?: (model: string, info: RetryInfo) => void;
  onFallback?: (from: string, to: string, error: unknown) => void;
}

/**
 * The stack we recommend in production: each vendor gets a per-attempt timeout and its own
 * retries (exponential backoff, `Retry-After` honoured up to a cap, an overall deadline), and
 * the chain falls over from OpenAI to Anthropic on capacity or retryable errors, never on a bad
 * request.
 */
export function createModelStack(options: ModelStackOptions = {}): LanguageModel {
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
  const retry = (model: LanguageModel) =>
    withRetry(withTimeout(model, attemptTimeoutMs), {
      maxRetries: 2,
      initialDelayMs: 200,
      deadlineMs: options.deadlineMs ?? 60_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 10_000,
      onRetry: (info) => options.onRetry?.(`${model.provider}/${model.modelId}`, info),
    });
  const primary = createOpenAI(options.openai)('gpt-4o-mini');
  const backup = createAnthropic(options.anthropic)('claude-3-5-haiku-latest');
  return withFallback([retry(primary), retry(backup)], {
    onFallback: ({ from, to, error }) =>
      options.onFallback?.(`${from.provider}/${from.modelId}`, `${to.provider}/${to.modelId}`, error),
  });
}
