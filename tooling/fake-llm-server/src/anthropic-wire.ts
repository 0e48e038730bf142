import { type Completion, type CompletionFinishReason, splitInto, splitText } from './completion.js';
import type { FakeUsage } from './types.js';

const STOP_REASONS: Record<CompletionFinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'content-filter': 'refusal',
  'tool-calls': 'tool_use',
};

/** How many characters each streamed `text_delta` carries. */
const TEXT_CHUNK_SIZE = 4;
/** How many `input_json_delta` fragments each tool input is streamed in. */
const INPUT_FRAGMENTS = 3;

/** One Server-Sent Event of a Messages stream. */
export interface AnthropicEvent {
  event: string;
  data: Record<string, unknown>;
}

function usageOf(usage: FakeUsage, outputTokens = usage.outputTokens): Record<string, unknown> {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  return {
    // Anthropic's input_tokens leaves out cached tokens; FakeUsage (like core's Usage) counts them.
    input_tokens: Math.max(0, usage.inputTokens - cacheRead - cacheWrite),
    output_tokens: outputTokens,
    // The API reports zeros, not nothing, when the cache was not used.
    cache_read_input_tokens: cacheRead,
    cache_creation_input_tokens: cacheWrite,
  };
}

function contentOf(completion: Completion): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  if (completion.text !== '' || completion.toolCalls.length === 0) {
    blocks.push({ type: 'text', text: completion.text });
  }
  for (const call of completion.toolCalls) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input });
  }
  return blocks;
}

function message(completion: Completion, id: string, model: string): Record<string, unknown> {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: contentOf(completion),
    stop_reason: STOP_REASONS[completion.finishReason],
    stop_sequence: null,
    stop_details: null,
    container: null,
    usage: usageOf(completion.usage),
  };
}

/** The `message` object of a non-streamed answer. */
export function anthropicMessage(completion: Completion, id: string, model: string): Record<string, unknown> {
  return message(completion, id, model);
}

/** The events of a streamed answer, from `message_start` to `message_stop`. */
export function anthropicEvents(completion: Completion, id: string, model: string): AnthropicEvent[] {
  // Like the API, message_start carries the input usage and a token or so of output; the final
  // output count comes in message_delta and replaces it (adapters must not add the two).
  const start = { ...message(completion, id, model), content: [], stop_reason: null };
  const events: AnthropicEvent[] = [
    {
      event: 'message_start',
      data: { type: 'message_start', message: { ...start, usage: usageOf(completion.usage, 1) } },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
  contentOf(completion).forEach((block, index) => {
    const isText = block.type === 'text';
    const opening = isText ? { ...block, text: '' } : { ...block, input: {} };
    events.push({
      event: 'content_block_start',
      data: { type: 'content_block_start', index, content_block: opening },
    });
    const deltas = isText
      ? splitText(String(block.text), TEXT_CHUNK_SIZE).map((text) => ({ type: 'text_delta', text }))
      : splitInto(argumentsTextOf(completion, index), INPUT_FRAGMENTS).map((partial_json) => ({
          type: 'input_json_delta',
          partial_json,
        }));
    for (const delta of deltas) {
      events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta } });
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });
  events.push(
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: {
          stop_reason: STOP_REASONS[completion.finishReason],
          stop_sequence: null,
          stop_details: null,
        },
        usage: { output_tokens: completion.usage.outputTokens },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  );
  return events;
}

/** The streamed JSON text of the tool_use block at content `index`. */
function argumentsTextOf(completion: Completion, index: number): string {
  const offset = completion.text === '' ? 0 : 1;
  return completion.toolCalls[index - offset]?.argumentsText ?? '{}';
}

/** The Anthropic error `type` for an HTTP status. */
function errorType(status: number): string {
  const types: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    403: 'permission_error',
    404: 'not_found_error',
    413: 'request_too_large',
    429: 'rate_limit_error',
    529: 'overloaded_error',
  };
  return types[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** An Anthropic error body: `{ type: 'error', error: { type, message } }`. */
export function anthropicError(status: number, message: string): Record<string, unknown> {
  return { type: 'error', error: { type: errorType(status), message } };
}
