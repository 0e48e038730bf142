import { type Completion, type CompletionFinishReason, splitInto, splitText } from './completion.js';
import type { FakeUsage } from './types.js';

const FINISH_REASONS: Record<CompletionFinishReason, string> = {
  stop: 'stop',
  length: 'length',
  'content-filter': 'content_filter',
  'tool-calls': 'tool_calls',
};

/** How many characters each streamed content delta carries. */
const TEXT_CHUNK_SIZE = 4;
/** How many fragments each call's arguments are streamed in. */
const ARGUMENT_FRAGMENTS = 3;

/** Identifies one answer: the same id, model and time go into every chunk of a stream. */
export interface OpenAIEnvelope {
  id: string;
  model: string;
  created: number;
}

function usageOf(usage: FakeUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    ...(usage.cacheReadTokens !== undefined
      ? { prompt_tokens_details: { cached_tokens: usage.cacheReadTokens } }
      : {}),
  };
}

/** The `chat.completion` object of a non-streamed answer. */
export function openaiCompletion(completion: Completion, envelope: OpenAIEnvelope): Record<string, unknown> {
  const toolCalls = completion.toolCalls.map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: call.argumentsText },
  }));
  return {
    ...envelope,
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          // The API sends null, not '', when the model only called tools.
          content: completion.text === '' && toolCalls.length > 0 ? null : completion.text,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          refusal: null,
        },
        finish_reason: FINISH_REASONS[completion.finishReason],
        logprobs: null,
      },
    ],
    usage: usageOf(completion.usage),
  };
}

/**
 * The `chat.completion.chunk` objects of a streamed answer, in order. Tool call fragments of
 * parallel calls are interleaved so adapters must assemble them by `index`.
 */
export function openaiChunks(
  completion: Completion,
  envelope: OpenAIEnvelope,
  includeUsage: boolean,
): Record<string, unknown>[] {
  const chunk = (
    delta: Record<string, unknown>,
    finishReason: string | null = null,
  ): Record<string, unknown> => ({
    ...envelope,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const chunks = [chunk({ role: 'assistant', content: '' })];
  for (const piece of splitText(completion.text, TEXT_CHUNK_SIZE)) chunks.push(chunk({ content: piece }));
  completion.toolCalls.forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
      }),
    );
  });
  const fragments = completion.toolCalls.map((call) => splitInto(call.argumentsText, ARGUMENT_FRAGMENTS));
  const rounds = Math.max(0, ...fragments.map((list) => list.length));
  for (let round = 0; round < rounds; round++) {
    fragments.forEach((list, index) => {
      const piece = list[round];
      if (piece !== undefined)
        chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    });
  }
  chunks.push(chunk({}, FINISH_REASONS[completion.finishReason]));
  if (includeUsage) chunks.push({ ...chunk({}), choices: [], usage: usageOf(completion.usage) });
  return chunks;
}

/** The OpenAI error `type` for an HTTP status. */
function errorType(status: number): string {
  if (status === 401) return 'invalid_request_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** An OpenAI error body: `{ error: { message, type, param, code } }`. */
export function openaiError(status: number, message: string): Record<string, unknown> {
  const code = status === 401 ? 'invalid_api_key' : status === 429 ? 'rate_limit_exceeded' : null;
  return { error: { message, type: errorType(status), param: null, code } };
}
