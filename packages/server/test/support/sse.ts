/** One parsed SSE message. */
export interface ParsedSseMessage {
  id?: string;
  event?: string;
  data?: string;
  comments: string[];
}

/** Parses a complete SSE text into its messages (comment-only messages included). */
export function parseSse(text: string): ParsedSseMessage[] {
  const messages: ParsedSseMessage[] = [];
  for (const block of text.split(/\n\n/)) {
    if (block.trim() === '') continue;
    const message: ParsedSseMessage = { comments: [] };
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) message.comments.push(line.slice(1).trim());
      else {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') message.data = message.data === undefined ? value : `${message.data}\n${value}`;
        else if (field === 'id' || field === 'event') message[field] = value;
      }
    }
    messages.push(message);
  }
  return messages;
}

/** Messages that carry an event (not heartbeats or the opening comment). */
export function eventsOf(messages: ParsedSseMessage[]): ParsedSseMessage[] {
  return messages.filter((message) => message.event !== undefined);
}

/**
 * Reads an SSE body message by message, for streams that stay open: `next()` resolves with the
 * next complete message, `close()` cancels the body.
 */
export function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let done = false;
  return {
    async next(): Promise<ParsedSseMessage | undefined> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end !== -1) {
          const block = buffer.slice(0, end + 2);
          buffer = buffer.slice(end + 2);
          return parseSse(block)[0];
        }
        if (done) return undefined;
        const chunk = await reader.read();
        if (chunk.done) done = true;
        else buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    /** The next message with an `event:` field, skipping comments. */
    async nextEvent(): Promise<ParsedSseMessage | undefined> {
      for (;;) {
        const message = await this.next();
        if (message === undefined || message.event !== undefined) return message;
      }
    },
    async close(): Promise<void> {
      await reader.cancel().catch(() => {});
    },
  };
}
