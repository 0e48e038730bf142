/**
 * `@agent/llm-anthropic`: Anthropic Claude models for Agent SDK, on the official
 * `@anthropic-ai/sdk`, implementing core's `LanguageModel` per ADR 0006.
 * @module
 */

export type { AnthropicLanguageModel } from './anthropic-model.js';
export type { AnthropicProvider, AnthropicProviderOptions } from './create-anthropic.js';
export { anthropic, createAnthropic } from './create-anthropic.js';
export type { HeadersLike } from './parse-retry-after.js';
export { parseRetryAfter } from './parse-retry-after.js';
export { anthropicPrices } from './prices.js';
