import type { FakeProvider, FakeReply, FakeUsage, RecordedRequest } from './types.js';

/** Why a completion stopped, in core's vocabulary; each wire format maps it to its own. */
export type CompletionFinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls';

/** One tool call of a completion, with its arguments both as wire text and as a value. */
export interface CompletionToolCall {
  id: string;
  name: string;
  /** What OpenAI sends as `function.arguments` (and Anthropic streams as `partial_json`). */
  argumentsText: string;
  /** What Anthropic sends as `input`: the parsed arguments, or the raw text when it is not JSON. */
  input: unknown;
}

/** A successful answer, independent of the wire format it is rendered in. */
export interface Completion {
  text: string;
  toolCalls: CompletionToolCall[];
  finishReason: CompletionFinishReason;
  usage: FakeUsage;
}

/** The reply kinds that produce an answer rather than a fault. */
export type AnswerReply = Extract<FakeReply, { kind: 'text' | 'tool-calls' | 'json' }>;

const DEFAULT_USAGE: FakeUsage = { inputTokens: 11, outputTokens: 7 };

/** Turns an answer reply into a completion; `nextToolCallId` numbers calls without an id. */
export function toCompletion(
  reply: AnswerReply,
  request: RecordedRequest,
  nextToolCallId: () => string,
): Completion {
  const usage = reply.usage ?? DEFAULT_USAGE;
  switch (reply.kind) {
    case 'text':
      return { text: reply.text, toolCalls: [], finishReason: reply.finishReason ?? 'stop', usage };
    case 'tool-calls':
      return {
        text: reply.text ?? '',
        toolCalls: reply.calls.map((call) =>
          toolCall(call.id ?? nextToolCallId(), call.name, call.arguments),
        ),
        finishReason: 'tool-calls',
        usage,
      };
    case 'json': {
      // Anthropic has no JSON mode: adapters force a tool, and the answer is that tool's input.
      const forcedTool = request.provider === 'anthropic' ? forcedToolName(request.body) : undefined;
      if (forcedTool !== undefined) {
        return {
          text: '',
          toolCalls: [toolCall(nextToolCallId(), forcedTool, reply.value)],
          finishReason: 'tool-calls',
          usage,
        };
      }
      return { text: JSON.stringify(reply.value), toolCalls: [], finishReason: 'stop', usage };
    }
  }
}

function toolCall(id: string, name: string, value: unknown): CompletionToolCall {
  if (typeof value !== 'string') return { id, name, argumentsText: JSON.stringify(value), input: value };
  return { id, name, argumentsText: value, input: parseOrKeep(value) };
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The real API never sends invalid `input`; the raw text lets tests reach an adapter's fallback.
    return text;
  }
}

function forcedToolName(body: unknown): string | undefined {
  if (!isRecord(body) || !isRecord(body.tool_choice)) return undefined;
  const { type, name } = body.tool_choice;
  return type === 'tool' && typeof name === 'string' ? name : undefined;
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Splits text into pieces of at most `size` characters (code points, so emoji stay whole). */
export function splitText(text: string, size: number): string[] {
  const characters = Array.from(text);
  const pieces: string[] = [];
  for (let offset = 0; offset < characters.length; offset += size) {
    pieces.push(characters.slice(offset, offset + size).join(''));
  }
  return pieces;
}

/** Splits text into `count` pieces of similar length (fewer when the text is shorter). */
export function splitInto(text: string, count: number): string[] {
  const length = Array.from(text).length;
  return splitText(text, Math.max(1, Math.ceil(length / count)));
}

/** The id counters of one server; `reset()` restarts them so ids are predictable per test. */
export interface IdCounters {
  next(provider: FakeProvider, kind: 'response' | 'tool-call'): string;
  reset(): void;
}

/** Creates the id counters: `chatcmpl-<n>`/`call_<n>` for OpenAI, `msg_<n>`/`toolu_<n>` for Anthropic. */
export function createIdCounters(): IdCounters {
  let responses = 0;
  let toolCalls = 0;
  return {
    next(provider, kind) {
      if (kind === 'response') return `${provider === 'openai' ? 'chatcmpl-' : 'msg_'}${++responses}`;
      return `${provider === 'openai' ? 'call_' : 'toolu_'}${++toolCalls}`;
    },
    reset() {
      responses = 0;
      toolCalls = 0;
    },
  };
}
