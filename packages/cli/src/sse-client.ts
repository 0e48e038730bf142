/** One Server-Sent Events message as received. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * Parses a `text/event-stream` body into messages (the WHATWG rules the CLI needs: `id`, `event`,
 * multi-line `data`, comments ignored). Lines may be split across chunks.
 */
export async function* parseSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let message: { id?: string; event?: string; data: string[] } = { data: [] };
  const flush = (): SseEvent | undefined => {
    const done = message;
    message = { data: [] };
    if (done.data.length === 0) return undefined;
    return {
      ...(done.id !== undefined ? { id: done.id } : {}),
      event: done.event ?? 'message',
      data: done.data.join('\n'),
    };
  };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.search(/\r?\n/);
    while (newline !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(buffer[newline] === '\r' ? newline + 2 : newline + 1);
      if (line === '') {
        const event = flush();
        if (event !== undefined) yield event;
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') message.data.push(value);
        else if (field === 'event') message.event = value;
        else if (field === 'id') message.id = value;
      }
      newline = buffer.search(/\r?\n/);
    }
  }
  // A message not ended by a blank line is discarded at the end of the stream, as the spec says:
  // it may be cut off.
}
