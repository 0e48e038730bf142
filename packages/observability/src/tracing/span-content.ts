import type { AssistantMessage, FinishReason } from '@agent/core';
import type { Redactor } from '../redact/redactor.js';
import { genAiFinishReason } from './gen-ai-attributes.js';

/** Turns content into span attribute values: redacted, then truncated. */
export interface SpanContent {
  /** `text`, redacted and truncated. */
  text(text: string): string;
  /** `value` as JSON, redacted (deep, so sensitive keys are caught) and truncated. */
  json(value: unknown): string;
  /** A tool's output: strings as they are, anything else as JSON. */
  value(value: unknown): string;
}

/** Builds the {@link SpanContent} of one tracing instance. */
export function createSpanContent(redactor: Redactor | undefined, maxLength: number): SpanContent {
  const active = redactor?.enabled === true ? redactor : undefined;
  const truncate = (text: string): string =>
    text.length > maxLength
      ? `${text.slice(0, maxLength)}…[truncated ${text.length - maxLength} chars]`
      : text;
  const text = (value: string): string => truncate(active ? active.redactString(value) : value);
  const json = (value: unknown): string => truncate(stringify(active ? active.redact(value) : value));
  return { text, json, value: (value) => (typeof value === 'string' ? text(value) : json(value)) };
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    // BigInts and cycles: still say something rather than drop the attribute.
    return String(value);
  }
}

/** A text message part, as in `gen_ai.input.messages` / `gen_ai.output.messages`. */
interface TextPart {
  type: 'text';
  content: string;
}

/** A tool call part of an assistant message. */
interface ToolCallPart {
  type: 'tool_call';
  id: string;
  name: string;
  arguments: unknown;
}

/** A message in the GenAI conventions' JSON shape. */
interface GenAiMessage {
  role: 'user' | 'assistant';
  parts: (TextPart | ToolCallPart)[];
  finish_reason?: string;
}

/** The run's input as `gen_ai.input.messages`. */
export function userInputMessages(input: string): GenAiMessage[] {
  return [{ role: 'user', parts: [{ type: 'text', content: input }] }];
}

/** A model answer as `gen_ai.output.messages`. */
export function assistantOutputMessages(
  message: AssistantMessage,
  finishReason: FinishReason,
): GenAiMessage[] {
  const parts: (TextPart | ToolCallPart)[] = [];
  if (message.content.length > 0) parts.push({ type: 'text', content: message.content });
  for (const call of message.toolCalls ?? []) {
    parts.push({ type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments });
  }
  return [{ role: 'assistant', parts, finish_reason: genAiFinishReason(finishReason) }];
}

/** The run's final output (text, or structured output as JSON) as `gen_ai.output.messages`. */
export function runOutputMessages(output: unknown): GenAiMessage[] {
  const content = typeof output === 'string' ? output : stringify(output);
  return [{ role: 'assistant', parts: [{ type: 'text', content }], finish_reason: 'stop' }];
}
