import type { FakeLlmServer } from '../types.js';

/** One Server-Sent Event as received: its `event:` name (null when absent) and parsed data. */
export interface ReceivedEvent {
  event: string | null;
  data: string;
}

/** POSTs `body` as JSON to `path` on the fake server. */
export function post(server: FakeLlmServer, path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer test-key' },
    body: JSON.stringify(body),
  });
}

/** Reads a whole `text/event-stream` body into its events. */
export async function readEvents(response: Response): Promise<ReceivedEvent[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice('event: '.length);
        if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
      }
      return { event, data: data.join('\n') };
    });
}

/** Parses each event's data as JSON, skipping OpenAI's `[DONE]` marker. */
export function jsonOf<TData>(events: readonly ReceivedEvent[]): TData[] {
  return events.filter((event) => event.data !== '[DONE]').map((event) => JSON.parse(event.data) as TData);
}

/** A user message in OpenAI's chat format, for request bodies. */
export const openaiBody = (extra: Record<string, unknown> = {}) => ({
  model: 'gpt-test',
  messages: [{ role: 'user', content: 'Hello' }],
  ...extra,
});

/** A user message in Anthropic's Messages format, for request bodies. */
export const anthropicBody = (extra: Record<string, unknown> = {}) => ({
  model: 'claude-test',
  max_tokens: 100,
  messages: [{ role: 'user', content: 'Hello' }],
  ...extra,
});

/** The parts of an OpenAI `chat.completion` the tests read. */
export interface OpenAICompletionBody {
  id: string;
  choices: {
    message: {
      content: string | null;
      tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
    };
    finish_reason: string;
  }[];
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    prompt_tokens_details?: { cached_tokens: number };
  };
}

/** The parts of an Anthropic `message` the tests read. */
export interface AnthropicMessageBody {
  content: { type: string; text?: string; id?: string; name?: string; input?: unknown }[];
  stop_reason: string;
}

/** An error body in either vendor's format. */
export interface ErrorBody {
  type?: string;
  error: { message: string; type: string; code?: string | null };
}

/** Reads a JSON body as `TBody`, unchecked. */
export async function readJson<TBody>(response: Response): Promise<TBody> {
  return (await response.json()) as TBody;
}

/** POSTs to the OpenAI chat endpoint and reads the completion. */
export async function chat(server: FakeLlmServer, body = openaiBody()): Promise<OpenAICompletionBody> {
  return readJson<OpenAICompletionBody>(await post(server, '/v1/chat/completions', body));
}

/** POSTs to the Anthropic messages endpoint and reads the message. */
export async function messages(server: FakeLlmServer, body = anthropicBody()): Promise<AnthropicMessageBody> {
  return readJson<AnthropicMessageBody>(await post(server, '/v1/messages', body));
}
