import { ModelError, type ModelStreamEvent, type ToolCall } from '@agent/core';
import {
  buildResponse,
  invalidResponse,
  parseToolArguments,
  type ResponseContext,
} from './convert-response.js';

type JsonObject = Record<string, unknown>;

interface PendingToolCall {
  index: number;
  id: string | undefined;
  name: string | undefined;
  argumentsText: string;
}

/**
 * Turns Chat Completions stream chunks into core stream events, and assembles the reply so the
 * final `finish` carries the same `ModelResponse` that `generate` returns for the same answer.
 *
 * Tool-call arguments arrive in fragments keyed by `index`; each call is emitted whole as a
 * `tool-call` event once the stream is over, in index order, because only then is it certain
 * that no fragment is still missing.
 */
export class StreamAccumulator {
  private content = '';
  private readonly toolCalls = new Map<number, PendingToolCall>();
  private finishReason: unknown;
  private usage: unknown;
  private responseId: unknown;

  constructor(private readonly context: ResponseContext) {}

  /** Reads one chunk; returns the events it produces. Throws `MODEL_INVALID_RESPONSE` on a bad chunk. */
  push(chunk: unknown): ModelStreamEvent[] {
    if (!isObject(chunk) || (chunk.choices !== undefined && !Array.isArray(chunk.choices))) {
      throw invalidResponse(this.context, 'a stream chunk that is not a chat.completion.chunk', chunk);
    }
    if (typeof chunk.id === 'string' && chunk.id.length > 0) this.responseId ??= chunk.id;
    // With include_usage the last chunk has `usage` and no choices; others carry `usage: null`.
    if (isObject(chunk.usage)) this.usage = chunk.usage;

    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (choice === undefined) return [];
    if (!isObject(choice))
      throw invalidResponse(this.context, 'a stream chunk with a malformed choice', chunk);
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
      this.finishReason = choice.finish_reason;
    }
    const delta = choice.delta;
    if (!isObject(delta)) return [];

    const events: ModelStreamEvent[] = [];
    // A refusal streams in its own field; it is the model's answer, so it is text too.
    for (const text of [delta.content, delta.refusal]) {
      if (typeof text === 'string' && text.length > 0) {
        this.content += text;
        events.push({ type: 'text-delta', delta: text });
      }
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const fragment of delta.tool_calls) events.push(this.pushToolCall(fragment, chunk));
    }
    return events;
  }

  /**
   * Ends the stream: the complete tool calls, then `finish`. Throws `MODEL_CONNECTION` when no
   * `finish_reason` arrived, because then the answer was cut off and may be incomplete.
   */
  finish(): ModelStreamEvent[] {
    if (this.finishReason === undefined) {
      const label = this.context.provider === 'openai' ? 'OpenAI' : `"${this.context.provider}"`;
      throw new ModelError(
        'MODEL_CONNECTION',
        `The stream from ${label} ended before the model finished (no finish_reason), so the answer may be incomplete. The call can be retried.`,
        { provider: this.context.provider, modelId: this.context.modelId },
      );
    }
    const toolCalls = [...this.toolCalls.values()]
      .sort((left, right) => left.index - right.index)
      .map((pending) => this.complete(pending));
    const response = buildResponse(this.context, {
      content: this.content,
      toolCalls,
      finishReason: this.finishReason,
      usage: this.usage,
      responseId: this.responseId,
    });
    return [
      ...toolCalls.map((toolCall): ModelStreamEvent => ({ type: 'tool-call', toolCall })),
      { type: 'finish', response },
    ];
  }

  private pushToolCall(fragment: unknown, chunk: JsonObject): ModelStreamEvent {
    if (!isObject(fragment) || typeof fragment.index !== 'number') {
      throw invalidResponse(this.context, 'a tool-call fragment without an index', chunk);
    }
    const index = fragment.index;
    const pending = this.toolCalls.get(index) ?? { index, id: undefined, name: undefined, argumentsText: '' };
    this.toolCalls.set(index, pending);

    const fn = isObject(fragment.function) ? fragment.function : {};
    const id = typeof fragment.id === 'string' && fragment.id.length > 0 ? fragment.id : undefined;
    const name = typeof fn.name === 'string' && fn.name.length > 0 ? fn.name : undefined;
    const argumentsDelta = typeof fn.arguments === 'string' ? fn.arguments : '';
    pending.id ??= id;
    pending.name ??= name;
    pending.argumentsText += argumentsDelta;

    const event: ModelStreamEvent = { type: 'tool-call-delta', index, argumentsDelta };
    if (id !== undefined) event.id = id;
    if (name !== undefined) event.name = name;
    return event;
  }

  private complete(pending: PendingToolCall): ToolCall {
    if (pending.id === undefined || pending.name === undefined) {
      throw invalidResponse(
        this.context,
        `a streamed tool call ${pending.index} without an id or name`,
        pending,
      );
    }
    return { id: pending.id, name: pending.name, arguments: parseToolArguments(pending.argumentsText) };
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
