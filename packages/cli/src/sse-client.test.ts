import { describe, expect, it } from 'vitest';
import { parseSse } from './sse-client.js';

async function* chunks(...parts: string[]) {
  const encoder = new TextEncoder();
  for (const part of parts) yield encoder.encode(part);
}
async function collect(body: AsyncIterable<Uint8Array>) {
  const messages = [];
  for await (const message of parseSse(body)) messages.push(message);
  return messages;
}

describe('parseSse', () => {
  it('reads id, event and multi-line data, across chunk boundaries and CRLF', async () => {
    const messages = await collect(
      chunks('id: 3\nevent: tool.called\nda', 'ta: {"a":\r\ndata: 1}\n\n', ': heartbeat\n\ndata: x\n\n'),
    );

    expect(messages).toEqual([
      { id: '3', event: 'tool.called', data: '{"a":\n1}' },
      { event: 'message', data: 'x' },
    ]);
  });

  it('ignores messages without data and unknown fields, and discards a message cut off at the end', async () => {
    const messages = await collect(chunks('event: ping\n\nretry: 10\nfield\ndata\ndata:end\n\ndata: cut'));

    expect(messages).toEqual([{ event: 'message', data: '\nend' }]);
  });
});
