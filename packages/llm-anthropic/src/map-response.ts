import {
  type AssistantMessage,
  costOf,
  type FinishReason,
  findPrice,
  type ModelResponse,
  type PriceTable,
  type ToolCall,
  type Usage,
} from '@agent/core';
import { invalidResponse } from './map-error.js';
import type { OutputTool } from './map-request.js';

/** The usage fields the adapter reads; every field but `output_tokens` may be null or absent. */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/** A content block as the adapter reads it (text, tool_use; other kinds are skipped). */
export interface AnthropicContentBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
}

/** What the adapter needs to turn a Messages API reply into a `ModelResponse`. */
export interface ResponseContext {
  modelId: string;
  prices: PriceTable;
  output: OutputTool | undefined;
}

/** Maps Anthropic's `stop_reason` to core's finish reason. */
export function toFinishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'tool_use':
      return 'tool-calls';
    // Running into the context window cuts the answer short exactly like max_tokens does.
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}

/**
 * Maps Anthropic usage to core's. Anthropic's `input_tokens` excludes cached tokens, while core's
 * `inputTokens` counts every input token, so cache reads and writes are added back in; `costUsd`
 * comes from the price table when the model is in it.
 */
export function toUsage(usage: AnthropicUsage, modelId: string, prices: PriceTable): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const result: Usage = {
    inputTokens: (usage.input_tokens ?? 0) + cacheRead + cacheWrite,
    outputTokens: usage.output_tokens ?? 0,
  };
  // Reported only when there was caching, so responses without it stay as small as other adapters'.
  if (cacheRead > 0) result.cacheReadTokens = cacheRead;
  if (cacheWrite > 0) result.cacheWriteTokens = cacheWrite;
  const price = findPrice(prices, modelId);
  if (price) result.costUsd = costOf(result, price);
  return result;
}

/**
 * Builds the response from the reply's content blocks. A call of the structured-output tool is the
 * final answer: its input becomes the text, with no tool calls and finish reason `stop` (other
 * blocks of that reply are dropped, since the answer ends the turn).
 */
export function toModelResponse(
  content: readonly AnthropicContentBlock[],
  stopReason: string | null | undefined,
  usage: AnthropicUsage,
  context: ResponseContext,
  responseId: string | undefined,
): ModelResponse {
  const usageResult = toUsage(usage, context.modelId, context.prices);
  const withId = (response: ModelResponse): ModelResponse =>
    responseId === undefined ? response : { ...response, responseId };
  const output = context.output;
  const answer = output && content.find((block) => block.type === 'tool_use' && block.name === output.name);
  if (output && answer) {
    return withId({
      message: { role: 'assistant', content: outputText(answer.input, output) },
      usage: usageResult,
      finishReason: 'stop',
    });
  }
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of content) {
    if (block.type === 'text') text += block.text ?? '';
    else if (block.type === 'tool_use') {
      toolCalls.push({ id: block.id ?? '', name: block.name ?? '', arguments: block.input ?? {} });
    }
  }
  const message: AssistantMessage =
    toolCalls.length > 0
      ? { role: 'assistant', content: text, toolCalls }
      : { role: 'assistant', content: text };
  return withId({ message, usage: usageResult, finishReason: toFinishReason(stopReason) });
}

/** The answer text of a structured-output tool call: its input as JSON, unwrapped if wrapped. */
export function outputText(input: unknown, output: OutputTool): string {
  const value = output.wrapped && isRecord(input) ? input.value : input;
  // `undefined` has no JSON; `null` lets core report "does not match the schema" to the model.
  return JSON.stringify(value ?? null);
}

/**
 * Reads a non-streamed Messages API reply, checking the fields the mapping relies on: a `content`
 * array of typed blocks (tool_use ones with id and name) and a `usage` object. Anything else is
 * `MODEL_INVALID_RESPONSE`.
 */
export function readMessage(data: unknown, context: ResponseContext): ModelResponse {
  if (!isRecord(data)) throw invalidResponse(context.modelId, 'the body is not a JSON object');
  if (!Array.isArray(data.content)) throw invalidResponse(context.modelId, 'the body has no content array');
  if (!isRecord(data.usage)) throw invalidResponse(context.modelId, 'the body has no usage');
  const content: AnthropicContentBlock[] = [];
  for (const block of data.content as unknown[]) {
    if (!isRecord(block) || typeof block.type !== 'string') {
      throw invalidResponse(context.modelId, 'a content block has no type');
    }
    if (block.type === 'tool_use' && (typeof block.id !== 'string' || typeof block.name !== 'string')) {
      throw invalidResponse(context.modelId, 'a tool_use block has no id or name');
    }
    if (block.type === 'text' && typeof block.text !== 'string') {
      throw invalidResponse(context.modelId, 'a text block has no text');
    }
    content.push(block as unknown as AnthropicContentBlock);
  }
  const stopReason = typeof data.stop_reason === 'string' ? data.stop_reason : undefined;
  const responseId = typeof data.id === 'string' ? data.id : undefined;
  return toModelResponse(content, stopReason, data.usage as AnthropicUsage, context, responseId);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
