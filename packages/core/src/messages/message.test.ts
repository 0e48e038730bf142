import { describe, expect, it } from 'vitest';
import { assistantMessage, messageSchema, systemMessage, userMessage } from './message.js';

describe('messageSchema', () => {
  it('rejects a tool result without its call id', () => {
    const result = messageSchema.safeParse({ role: 'tool', toolName: 'add', content: '5' });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['toolCallId']);
  });

  it('rejects an unknown role and a non-string content', () => {
    expect(messageSchema.safeParse({ role: 'robot', content: 'x' }).success).toBe(false);
    expect(messageSchema.safeParse({ role: 'user', content: 5 }).success).toBe(false);
  });

  it('accepts every role, tool calls included', () => {
    const messages = [
      systemMessage('be nice'),
      userMessage('add 2 and 3'),
      assistantMessage('', [{ id: 'c1', name: 'add', arguments: { a: 2, b: 3 } }]),
      { role: 'tool', toolCallId: 'c1', toolName: 'add', content: '5' },
      assistantMessage('5'),
    ];

    for (const message of messages) expect(messageSchema.parse(message)).toEqual(message);
  });

  it('omits toolCalls from an assistant message without any', () => {
    expect(assistantMessage('hi', [])).toEqual({ role: 'assistant', content: 'hi' });
  });
});
