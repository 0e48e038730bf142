import { ModelError } from '../errors/errors.js';
import type { ModelResponse, ModelStreamEvent } from './language-model.js';

/** Turns a complete response into the stream a provider would have sent (text, tool calls, finish). */
export async function* streamFromResponse(response: ModelResponse): AsyncGenerator<ModelStreamEvent> {
  if (response.message.content.length > 0) yield { type: 'text-delta', delta: response.message.content };
  for (const toolCall of response.message.toolCalls ?? []) yield { type: 'tool-call', toolCall };
  yield { type: 'finish', response };
}

/**
 * Reads a model stream to its `finish` event and returns that response. Throws
 * `MODEL_INVALID_RESPONSE` when the stream ends without one.
 */
export async function collectStream(stream: AsyncIterable<ModelStreamEvent>): Promise<ModelResponse> {
  for await (const event of stream) {
    if (event.type === 'finish') return event.response;
  }
  throw new ModelError('MODEL_INVALID_RESPONSE', 'The model stream ended without a finish event.');
}
