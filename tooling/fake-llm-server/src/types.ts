/**
 * Token counts a scripted reply reports, with core's `Usage` semantics: `inputTokens` counts every
 * input token, cached ones included. So OpenAI gets `prompt_tokens = inputTokens`, and Anthropic
 * (whose `input_tokens` leaves cached tokens out) `input_tokens = inputTokens - cacheRead - cacheWrite`.
 */
export interface FakeUsage {
  /** Every input token, cached ones included. */
  inputTokens: number;
  outputTokens: number;
  /** Sent as OpenAI `prompt_tokens_details.cached_tokens` / Anthropic `cache_read_input_tokens`. */
  cacheReadTokens?: number;
  /** Sent as Anthropic `cache_creation_input_tokens` (OpenAI has no such field; ignored there). */
  cacheWriteTokens?: number;
}

/** One tool call of a scripted `tool-calls` reply. */
export interface FakeToolCall {
  /** @default `call_<n>` (OpenAI) / `toolu_<n>` (Anthropic), n counting up from 1 until `reset()`. */
  id?: string;
  name: string;
  /** An object is sent as JSON; a string is sent verbatim, so tests can send invalid JSON. */
  arguments: unknown;
}

/** Why a scripted text reply stopped, in core's vocabulary. */
export type FakeFinishReason = 'stop' | 'length' | 'content-filter';

/** A scripted answer or fault; the server consumes one per model call, first in, first out. */
export type FakeReply =
  | { kind: 'text'; text: string; usage?: FakeUsage; finishReason?: FakeFinishReason }
  | { kind: 'tool-calls'; calls: FakeToolCall[]; text?: string; usage?: FakeUsage }
  | { kind: 'json'; value: unknown; usage?: FakeUsage }
  | { kind: 'rate-limit'; retryAfterSeconds?: number; retryAfterMs?: number; retryAfterDate?: Date }
  | { kind: 'status'; status: number; message?: string; headers?: Record<string, string> }
  | { kind: 'slow-first-byte'; delayMs: number; then: FakeReply }
  | { kind: 'connection-reset' }
  | { kind: 'disconnect-mid-stream' }
  | { kind: 'malformed-json' }
  | { kind: 'hang' }
  | ((request: RecordedRequest) => FakeReply);

/** The wire format a request was made in, from its path. */
export type FakeProvider = 'openai' | 'anthropic';

/** A request the server received, as the vendor would have seen it. */
export interface RecordedRequest {
  provider: FakeProvider;
  method: string;
  /** The path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Lower-case header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The parsed JSON body; the raw text when it was not JSON; `undefined` when empty. */
  body: unknown;
  /** True when the body asked for a streamed answer (`stream: true`). */
  stream: boolean;
  /** The body typed as `TBody`, unchecked: for reading vendor fields in tests. */
  bodyAs<TBody>(): TBody;
}

/** A running fake server. Close it in `afterAll`. */
export interface FakeLlmServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `${url}/v1`, the OpenAI SDK's `baseURL`. */
  readonly openaiBaseURL: string;
  /** `url`, the Anthropic SDK's `baseURL` (the SDK appends `/v1/messages`). */
  readonly anthropicBaseURL: string;
  /** Appends replies to the queue; the next model call on either endpoint takes the first. */
  enqueue(...replies: FakeReply[]): void;
  /** Every request received, in order (count_tokens and 404s included). */
  readonly requests: RecordedRequest[];
  /** Scripted replies not consumed yet. */
  readonly pending: number;
  /** Clears the queue, the recorded requests and the id counters. */
  reset(): void;
  /** Stops listening and destroys open sockets, hanging requests included. */
  close(): Promise<void>;
}
