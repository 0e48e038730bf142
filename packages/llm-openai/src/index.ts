/**
 * `@agent/llm-openai`: OpenAI chat models, and models of OpenAI-compatible servers (Ollama, vLLM,
 * Azure, gateways), as core `LanguageModel`s built on the official openai SDK.
 * @module
 */

export type { OpenAIEncodingName } from './count-tokens.js';
export { encodingNameFor } from './count-tokens.js';
export type { OpenAIChatModelConfig } from './openai-chat-model.js';
export { OpenAIChatModel } from './openai-chat-model.js';
export type { OpenAIChatSettings, OpenAIProvider, OpenAIProviderOptions } from './openai-provider.js';
export { createOpenAI, openai } from './openai-provider.js';
export type { HeaderLookup } from './parse-retry-after.js';
export { parseRetryAfter } from './parse-retry-after.js';
export { defaultOpenAIPrices } from './prices.js';
