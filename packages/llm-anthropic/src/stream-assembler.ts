import type { ModelResponse, ModelStreamEvent } from '@agent/core';
import { invalidResponse } from './map-error.js';
import {
  type AnthropicContentBlock,
  type AnthropicUsage,
  type ResponseContext,
  toModelResponse,
} from './map-response.js';

interface BlockState extends AnthropicContentBlock {
  /** Position among the reply's tool calls: the `index` of core's `tool-call-delta`. */
  toolIndex?: number;
  /** Accumulated `input_json_delta` text of a tool_use block. */
  json?: string;
}

type RawEvent = Record<string, unknown>;

/**
 * Turns the raw server-sent events of a streamed Messages API call into core's stream events,
 * and assembles the same `ModelResponse` that `generate` returns for the same reply.
 *
 * With a structured-output tool in the request, nothing is emitted until the reply is complete:
 * only then is it known whether the model answered through that tool (its input becomes the
 * text) or called real tools, so the events are derived from the final response.
 */
export class StreamAssembler {
  private readonly blocks = new Map<number, BlockState>();
  private toolCount = 0;
  private responseId: string | undefined;
  private stopReason: string | null | undefined;
  private usage: AnthropicUsage = {};
  private response: ModelResponse | undefined;

  constructor(private readonly context: ResponseContext) {}

  /** The final response, once `message_stop` has been seen. */
  get result(): ModelResponse | undefined {
    return this.response;
  }

  /** Feeds one raw event; returns the core events it produces, in order. */
  push(event: unknown): ModelStreamEvent[] {
    if (!isRecord(event) || typeof event.type !== 'string') this.fail('a stream event without a type');
    const live = this.context.output === undefined;
    switch (event.type) {
      case 'message_start':
        return this.start(event);
      case 'content_block_start':
        return this.blockStart(event, live);
      case 'content_block_delta':
        return this.blockDelta(event, live);
      case 'content_block_stop':
        return this.blockStop(event, live);
      case 'message_delta':
        return this.messageDelta(event);
      case 'message_stop':
        return this.stop(live);
      default:
        // `ping` and event types added after SDK 1.12 carry nothing the adapter maps.
        return [];
    }
  }

  private start(event: RawEvent): ModelStreamEvent[] {
    const message = event.message;
    if (!isRecord(message) || !isRecord(message.usage)) this.fail('message_start without message.usage');
    if (typeof message.id === 'string') this.responseId = message.id;
    this.mergeUsage(message.usage);
    return [];
  }

  private blockStart(event: RawEvent, live: boolean): ModelStreamEvent[] {
    const index = this.indexOf(event);
    const block = event.content_block;
    if (!isRecord(block) || typeof block.type !== 'string') this.fail('content_block_start without a block');
    if (block.type === 'text') {
      const text = typeof block.text === 'string' ? block.text : '';
      this.blocks.set(index, { type: 'text', text });
      return live && text.length > 0 ? [{ type: 'text-delta', delta: text }] : [];
    }
    if (block.type === 'tool_use') {
      if (typeof block.id !== 'string' || typeof block.name !== 'string')
        this.fail('tool_use without id or name');
      const toolIndex = this.toolCount++;
      this.blocks.set(index, { type: 'tool_use', id: block.id, name: block.name, json: '', toolIndex });
      return live
        ? [{ type: 'tool-call-delta', index: toolIndex, id: block.id, name: block.name, argumentsDelta: '' }]
        : [];
    }
    this.blocks.set(index, { type: block.type });
    return [];
  }

  private blockDelta(event: RawEvent, live: boolean): ModelStreamEvent[] {
    const block = this.blockAt(event);
    const delta = event.delta;
    if (!isRecord(delta)) this.fail('content_block_delta without a delta');
    if (delta.type === 'text_delta' && block.type === 'text') {
      if (typeof delta.text !== 'string') this.fail('text_delta without text');
      block.text = (block.text ?? '') + delta.text;
      return live ? [{ type: 'text-delta', delta: delta.text }] : [];
    }
    if (delta.type === 'input_json_delta' && block.type === 'tool_use') {
      if (typeof delta.partial_json !== 'string') this.fail('input_json_delta without partial_json');
      block.json = (block.json ?? '') + delta.partial_json;
      const index = block.toolIndex ?? 0;
      return live ? [{ type: 'tool-call-delta', index, argumentsDelta: delta.partial_json }] : [];
    }
    return [];
  }

  private blockStop(event: RawEvent, live: boolean): ModelStreamEvent[] {
    const block = this.blockAt(event);
    if (block.type !== 'tool_use') return [];
    block.input = parseToolArguments(block.json ?? '');
    if (!live) return [];
    return [
      { type: 'tool-call', toolCall: { id: block.id ?? '', name: block.name ?? '', arguments: block.input } },
    ];
  }

  private messageDelta(event: RawEvent): ModelStreamEvent[] {
    const delta = event.delta;
    if (isRecord(delta) && (typeof delta.stop_reason === 'string' || delta.stop_reason === null)) {
      this.stopReason = delta.stop_reason;
    }
    if (isRecord(event.usage)) this.mergeUsage(event.usage);
    return [];
  }

  private stop(live: boolean): ModelStreamEvent[] {
    const content = [...this.blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
    const response = toModelResponse(content, this.stopReason, this.usage, this.context, this.responseId);
    this.response = response;
    const events: ModelStreamEvent[] = [];
    if (!live) {
      if (response.message.content.length > 0)
        events.push({ type: 'text-delta', delta: response.message.content });
      for (const toolCall of response.message.toolCalls ?? []) events.push({ type: 'tool-call', toolCall });
    }
    events.push({ type: 'finish', response });
    return events;
  }

  // message_delta usage is cumulative, and its null fields mean "unchanged".
  private mergeUsage(usage: Record<string, unknown>): void {
    for (const key of [
      'input_tokens',
      'output_tokens',
      'cache_read_input_tokens',
      'cache_creation_input_tokens',
    ] as const) {
      const value = usage[key];
      if (typeof value === 'number') this.usage[key] = value;
    }
  }

  private indexOf(event: RawEvent): number {
    if (typeof event.index !== 'number') this.fail(`${String(event.type)} without an index`);
    return event.index;
  }

  private blockAt(event: RawEvent): BlockState {
    const index = this.indexOf(event);
    const block = this.blocks.get(index);
    if (!block) this.fail(`${String(event.type)} for block ${index}, which never started`);
    return block;
  }

  private fail(detail: string): never {
    throw invalidResponse(this.context.modelId, detail);
  }
}

/**
 * Parses a tool call's accumulated JSON: `{}` when the model sent none, the raw text when it is
 * not JSON (core turns that into a tool-input error the model can fix, per ADR 0006).
 */
export function parseToolArguments(json: string): unknown {
  if (json.trim().length === 0) return {};
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

function isRecord(value: unknown): value is RawEvent {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
