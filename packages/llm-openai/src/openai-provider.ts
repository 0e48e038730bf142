import { ConfigError, findPrice, ModelError, type ModelPrice, type PriceTable } from '@agent/core';
import OpenAI from 'openai';
import { OpenAIChatModel } from './openai-chat-model.js';
import { defaultOpenAIPrices } from './prices.js';

// setTimeout turns larger delays into 1 ms, which would time every call out at once.
const MAX_TIMER_MS = 2_147_483_647;

/** Options of {@link createOpenAI}. */
export interface OpenAIProviderOptions {
  /**
   * The API key. Read when the first request is made, not when the provider is created, so
   * importing and configuring never throw; a missing key fails that request with `MODEL_AUTH`.
   * Compatible servers that ignore keys (Ollama, a local vLLM) still need some value, e.g. `'ollama'`.
   * @default process.env.OPENAI_API_KEY
   */
  apiKey?: string;
  /**
   * Where the Chat Completions API lives: set it for OpenAI-compatible servers (Ollama
   * `http://localhost:11434/v1`, vLLM `http://localhost:8000/v1`, Azure, gateways).
   * @default process.env.OPENAI_BASE_URL, else 'https://api.openai.com/v1'
   */
  baseURL?: string;
  /** Sent as `OpenAI-Organization`. @default process.env.OPENAI_ORG_ID */
  organization?: string;
  /** Sent as `OpenAI-Project`. @default process.env.OPENAI_PROJECT_ID */
  project?: string;
  /** Extra headers on every request, e.g. a gateway's routing or auth header. @default {} */
  headers?: Record<string, string>;
  /** The fetch implementation, e.g. one with a proxy agent. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /**
   * How long one call may wait for the answer, in ms; past it the call fails with a retryable
   * `MODEL_TIMEOUT`. In a stream it bounds the wait for each chunk, so a long answer that keeps
   * arriving is never cut off. Wrap the model in core's `withTimeout` to bound a whole stream.
   * @default 600_000 (10 minutes, the openai SDK's own default)
   */
  timeoutMs?: number;
  /**
   * Prices by model id (US dollars per million tokens), merged over {@link defaultOpenAIPrices};
   * they fill `usage.costUsd`. Add the models you use on compatible servers here.
   * @default defaultOpenAIPrices
   */
  prices?: PriceTable;
  /**
   * The provider id models report (`model.provider`, errors, logs, price lookups by wrappers),
   * e.g. `'ollama'` or `'azure'` for a compatible server.
   * @default 'openai'
   */
  provider?: string;
}

/** Per-model settings of an {@link OpenAIProvider}. */
export interface OpenAIChatSettings {
  /** This model's price; overrides the provider's price table. @default the table's entry, if any */
  price?: ModelPrice;
  /** Overrides the provider's `timeoutMs` for this model. @default the provider's timeoutMs */
  timeoutMs?: number;
}

/** Creates OpenAI chat models: call it with a model id, e.g. `openai('gpt-4o-mini')`. */
export interface OpenAIProvider {
  /** A chat model (Chat Completions API) with id `modelId`. */
  (modelId: string, settings?: OpenAIChatSettings): OpenAIChatModel;
  /** The same as calling the provider: a chat model with id `modelId`. */
  chat(modelId: string, settings?: OpenAIChatSettings): OpenAIChatModel;
}

/**
 * Creates a provider of OpenAI chat models (or models of any OpenAI-compatible server). The SDK
 * client is created once, at the first request, with `maxRetries: 0`: retries belong to core's
 * `withRetry` (ADR 0006).
 *
 * @example
 * ```ts
 * import { Agent, withRetry } from '@agent/core';
 * import { createOpenAI } from '@agent/llm-openai';
 *
 * const ollama = createOpenAI({ baseURL: 'http://localhost:11434/v1', apiKey: 'ollama', provider: 'ollama' });
 * const agent = new Agent({ name: 'local', model: withRetry(ollama('llama3.2')) });
 * ```
 */
export function createOpenAI(options: OpenAIProviderOptions = {}): OpenAIProvider {
  const providerName = options.provider ?? 'openai';
  const defaultTimeoutMs = checkTimeout(options.timeoutMs ?? 600_000, 'createOpenAI');
  const prices: PriceTable = { ...defaultOpenAIPrices, ...options.prices };
  let client: OpenAI | undefined;

  const getClient = (modelId: string): OpenAI => {
    if (client) return client;
    const apiKey = options.apiKey ?? globalThis.process?.env?.OPENAI_API_KEY;
    if (!apiKey) {
      throw new ModelError(
        'MODEL_AUTH',
        'No OpenAI API key was found. Set the OPENAI_API_KEY environment variable, or pass apiKey to createOpenAI().',
        { provider: providerName, modelId },
      );
    }
    client = new OpenAI({
      apiKey,
      baseURL: options.baseURL,
      organization: options.organization,
      project: options.project,
      defaultHeaders: options.headers,
      fetch: options.fetch,
      maxRetries: 0,
      timeout: defaultTimeoutMs,
    });
    return client;
  };

  const chat = (modelId: string, settings: OpenAIChatSettings = {}): OpenAIChatModel => {
    if (modelId.trim() === '') {
      throw new ConfigError(
        'An OpenAI model needs a model id, e.g. openai("gpt-4o-mini"); got an empty string.',
      );
    }
    return new OpenAIChatModel(modelId, {
      provider: providerName,
      client: getClient,
      timeoutMs:
        settings.timeoutMs === undefined ? defaultTimeoutMs : checkTimeout(settings.timeoutMs, modelId),
      price: settings.price ?? findPrice(prices, modelId),
    });
  };
  return Object.assign(chat, { chat });
}

function checkTimeout(timeoutMs: number, where: string): number {
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)) {
    throw new ConfigError(
      `${where}: timeoutMs must be between 1 and ${MAX_TIMER_MS} ms; got ${String(timeoutMs)}. Pass a positive number of milliseconds.`,
    );
  }
  return timeoutMs;
}

/**
 * The default OpenAI provider. It reads `OPENAI_API_KEY` at its first request, so importing it
 * never throws; use {@link createOpenAI} for other options.
 *
 * @example
 * ```ts
 * const response = await openai('gpt-4o-mini').generate({ messages: [userMessage('Hi')] });
 * ```
 */
export const openai: OpenAIProvider = createOpenAI();
