import type { ModelResponse, ModelStreamEvent } from '@agent/core';

/** Everything a model stream yielded, and the response of its `finish` event. */
export interface CollectedStream {
  /** Every event, `finish` included, in order. */
  events: ModelStreamEvent[];
  /** The response carried by the `finish` event. */
  response: ModelResponse;
}

/**
 * Reads a model stream to its end. Throws when the stream ends without a `finish` event, or
 * when events follow it, since either breaks the `LanguageModel` contract.
 *
 * @example
 * ```ts
 * const { events, response } = await collect(model.stream({ messages: [userMessage('Hi')] }));
 * ```
 */
export async function collect(stream: AsyncIterable<ModelStreamEvent>): Promise<CollectedStream> {
  const events: ModelStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  const last = events.at(-1);
  if (last?.type !== 'finish') {
    throw new Error(`The model stream ended without a final finish event (${events.length} event(s) seen).`);
  }
  if (events.filter((event) => event.type === 'finish').length > 1) {
    throw new Error('The model stream yielded more than one finish event.');
  }
  return { events, response: last.response };
}

/** The concatenated `text-delta`s of a stream's events. */
export function textOf(events: readonly ModelStreamEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.delta : '')).join('');
}
