import {
  assistantMessage,
  costOf,
  type FinishReason,
  ModelError,
  type ModelPrice,
  type ModelResponse,
  type ToolCall,
  type Usage,
} from '@agent/core';

/** What turning a vendor reply into a `ModelResponse` needs to know. */
export interface ResponseContext {
  provider: string;
  modelId: string;
  /** The model's price, when known; it fills `usage.costUsd`. */
  price: ModelPrice | undefined;
}

type JsonObject = Record<string, unknown>;

/** OpenAI's `finish_reason` as core's `FinishReason`. */
export function toFinishReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'tool_calls':
    // The legacy single function call is still a tool call.
    case 'function_call':
      return 'tool-calls';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

/**
 * Tool-call arguments as parsed JSON. Text that is not JSON stays the raw string (core turns it
 * into an input error the model can fix); empty text means "no arguments", which some
 * OpenAI-compatible servers send for tools without parameters.
 */
export function parseToolArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** OpenAI's `usage` object (of a completion or of the last stream chunk) as core's `Usage`. */
export function toUsage(usage: unknown, price: ModelPrice | undefined): Usage {
  if (!isObject(usage)) return { inputTokens: 0, outputTokens: 0 };
  const result: Usage = {
    inputTokens: count(usage.prompt_tokens),
    outputTokens: count(usage.completion_tokens),
  };
  const details = usage.prompt_tokens_details;
  if (isObject(details) && typeof details.cached_tokens === 'number') {
    result.cacheReadTokens = details.cached_tokens;
  }
  if (price) result.costUsd = costOf(result, price);
  return result;
}

/** A non-streamed chat completion (the parsed 2xx body) as a `ModelResponse`. */
export function fromChatCompletion(body: unknown, context: ResponseContext): ModelResponse {
  const choice = isObject(body) && Array.isArray(body.choices) ? body.choices[0] : undefined;
  if (!isObject(body) || !isObject(choice) || !isObject(choice.message)) {
    throw invalidResponse(context, 'a body without choices[0].message', body);
  }
  const message = choice.message;
  const rawCalls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  const toolCalls = rawCalls.map((call, index) => toToolCall(call, index, context));
  // A refusal is what the model said; dropping it would leave the caller with an empty answer.
  const content = textOf(message.content) ?? textOf(message.refusal) ?? '';
  return buildResponse(context, {
    content,
    toolCalls,
    finishReason: choice.finish_reason,
    usage: body.usage,
    responseId: body.id,
  });
}

/** The pieces of a reply, as both `generate` and the stream assemble them. */
export interface ReplyParts {
  content: string;
  toolCalls: ToolCall[];
  finishReason: unknown;
  usage: unknown;
  responseId: unknown;
}

/** Builds the `ModelResponse`; shared so a stream's `finish` equals what `generate` returns. */
export function buildResponse(context: ResponseContext, parts: ReplyParts): ModelResponse {
  const response: ModelResponse = {
    message: assistantMessage(parts.content, parts.toolCalls),
    usage: toUsage(parts.usage, context.price),
    finishReason: toFinishReason(parts.finishReason),
  };
  if (typeof parts.responseId === 'string') response.responseId = parts.responseId;
  return response;
}

/** The `ModelError` for a 2xx reply that is not what the Chat Completions API sends. */
export function invalidResponse(context: ResponseContext, what: string, received: unknown): ModelError {
  const label =
    context.provider === 'openai' ? 'OpenAI' : `The OpenAI-compatible server "${context.provider}"`;
  return new ModelError(
    'MODEL_INVALID_RESPONSE',
    `${label} answered with ${what}. If baseURL points at a proxy or gateway, check that it speaks the Chat Completions API. Received: ${preview(received)}`,
    { provider: context.provider, modelId: context.modelId },
  );
}

function toToolCall(call: unknown, index: number, context: ResponseContext): ToolCall {
  const fn = isObject(call) ? call.function : undefined;
  if (!isObject(call) || typeof call.id !== 'string' || !isObject(fn) || typeof fn.name !== 'string') {
    throw invalidResponse(context, `tool call ${index} without an id or function name`, call);
  }
  const text = typeof fn.arguments === 'string' ? fn.arguments : '';
  return { id: call.id, name: fn.name, arguments: parseToolArguments(text) };
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
