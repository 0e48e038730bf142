import type { AssistantMessage, Message, ToolCall } from '../messages/message.js';

/** A tool as the model sees it: name, description and a JSON Schema of its input. */
export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema (draft 2020-12) of the tool's input object. */
  inputSchema: Record<string, unknown>;
}

/** Ask the model to answer with JSON matching a schema. */
export interface JsonSchemaResponseFormat {
  type: 'json_schema';
  /** A short name for the schema (providers require one). */
  name: string;
  /** JSON Schema the answer must match. */
  schema: Record<string, unknown>;
  /** Ask the provider to enforce the schema strictly, where supported. @default true */
  strict?: boolean;
}

/** Sampling and output settings of one model request. */
export interface ModelSettings {
  temperature?: number;
  maxTokens?: number;
  /** Structured output: JSON matching a schema. */
  responseFormat?: JsonSchemaResponseFormat;
  /** Force, allow or forbid tool use. @default 'auto' */
  toolChoice?: 'auto' | 'none' | 'required' | { name: string };
}

/** Who a request is made for. Wrappers (rate limits, logs, spans) read it; adapters ignore it. */
export interface ModelRequestContext {
  runId?: string;
  agent?: string;
  tenant?: string;
}

/** Everything a model needs for one call. */
export interface ModelRequest {
  messages: Message[];
  tools?: ToolDefinition[];
  settings?: ModelSettings;
  /** Aborting stops the call promptly; adapters pass it to the vendor SDK. */
  signal?: AbortSignal;
  /** Who the request is for; used by wrappers, not sent to the vendor. */
  context?: ModelRequestContext;
}

/** Token counts of one call. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the provider's prompt cache, when reported. */
  cacheReadTokens?: number;
  /** Input tokens written to the provider's prompt cache, when reported. */
  cacheWriteTokens?: number;
  /** What the call cost in US dollars, when the adapter knows the model's prices. */
  costUsd?: number;
}

/** Why the model stopped. */
export type FinishReason = 'stop' | 'tool-calls' | 'length' | 'content-filter' | 'error' | 'other';

/** The answer to one model call. */
export interface ModelResponse {
  message: AssistantMessage;
  usage: Usage;
  finishReason: FinishReason;
  /** Vendor response id, for support tickets. */
  responseId?: string;
}

/** One event of a streamed model call. The stream always ends with `finish`. */
export type ModelStreamEvent =
  | { type: 'text-delta'; delta: string }
  | { type: 'tool-call-delta'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'tool-call'; toolCall: ToolCall }
  | { type: 'finish'; response: ModelResponse };

/**
 * The seam between the runtime and a model provider. Adapters (`@agent/llm-openai`,
 * `@agent/llm-anthropic`) implement it; wrappers (`withRetry`, `withTimeout`, ...) decorate it.
 */
export interface LanguageModel {
  /** Provider id, e.g. `openai`. */
  readonly provider: string;
  /** Model id, e.g. `gpt-4o-mini`. */
  readonly modelId: string;
  /** One call, resolved when the whole answer is in. Errors are `ModelError`s. */
  generate(request: ModelRequest): Promise<ModelResponse>;
  /** One call, streamed; the last event is `finish` with the same response `generate` returns. */
  stream(request: ModelRequest): AsyncIterable<ModelStreamEvent>;
  /** Input tokens the request will use, exact where the provider allows. Optional. */
  countTokens?(request: ModelRequest): Promise<number>;
}

/** Usage with every count at zero. */
export const emptyUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0 });

/** Adds `b` into `a` (mutates and returns `a`); the run totals use it on the hot path. */
export function addUsage(a: Usage, b: Usage): Usage {
  a.inputTokens += b.inputTokens;
  a.outputTokens += b.outputTokens;
  if (b.cacheReadTokens !== undefined) a.cacheReadTokens = (a.cacheReadTokens ?? 0) + b.cacheReadTokens;
  if (b.cacheWriteTokens !== undefined) a.cacheWriteTokens = (a.cacheWriteTokens ?? 0) + b.cacheWriteTokens;
  if (b.costUsd !== undefined) a.costUsd = (a.costUsd ?? 0) + b.costUsd;
  return a;
}
