import { describe, expect, it } from 'vitest';
import {
  assistantMessage,
  type Message,
  systemMessage,
  type ToolResultMessage,
  userMessage,
} from '../messages/message.js';
import { applyRetention, estimateMessageTokens } from './message-retention.js';

const toolResult = (toolCallId: string): ToolResultMessage => ({
  role: 'tool',
  toolCallId,
  toolName: 'lookup',
  content: 'ok',
});

const toolCallMessage = (...ids: string[]) =>
  assistantMessage(
    '',
    ids.map((id) => ({ id, name: 'lookup', arguments: { query: id } })),
  );

const users = (count: number, from = 0): Message[] =>
  Array.from({ length: count }, (_, index) => userMessage(`message ${from + index}`));

describe('estimateMessageTokens', () => {
  it('counts a quarter of the characters, rounded up, plus 4', () => {
    expect(estimateMessageTokens(userMessage('x'.repeat(9)))).toBe(7);
  });

  it('counts the JSON of tool calls too', () => {
    const message = toolCallMessage('call-1');
    const json = JSON.stringify(message.toolCalls);

    expect(estimateMessageTokens(message)).toBe(Math.ceil(json.length / 4) + 4);
  });
});

describe('applyRetention', () => {
  it('keeps everything, in order, when the messages fit', () => {
    const messages = [systemMessage('be brief'), ...users(3)];

    expect(applyRetention(messages, { maxMessages: 4 })).toEqual({ kept: messages, dropped: [] });
  });

  it('drops the oldest non-system messages past maxMessages', () => {
    const messages = users(5);

    const { kept, dropped } = applyRetention(messages, { maxMessages: 3 });

    expect(kept).toEqual(users(3, 2));
    expect(dropped).toEqual(users(2));
  });

  it('keeps system messages in place, even when they alone exceed the limits', () => {
    const messages = [systemMessage('prompt'), userMessage('a'), systemMessage('note'), userMessage('b')];

    const { kept } = applyRetention(messages, { maxMessages: 1, maxTokens: 1 });

    expect(kept).toEqual([systemMessage('prompt'), systemMessage('note')]);
  });

  it('drops an assistant tool-call message together with all of its tool results', () => {
    const messages = [
      userMessage('q'),
      toolCallMessage('1', '2'),
      toolResult('1'),
      toolResult('2'),
      assistantMessage('done'),
    ];

    const { kept, dropped } = applyRetention(messages, { maxMessages: 3 });

    expect(kept).toEqual([assistantMessage('done')]);
    expect(dropped).toEqual(messages.slice(0, 4));
  });

  it('never leaves a tool result leading the kept messages, even within the limits', () => {
    const messages = [systemMessage('prompt'), toolResult('gone'), userMessage('hi')];

    const { kept, dropped } = applyRetention(messages, {});

    expect(kept).toEqual([systemMessage('prompt'), userMessage('hi')]);
    expect(dropped).toEqual([toolResult('gone')]);
  });

  it('applies maxTokens after maxMessages', () => {
    // Each of these is ceil(36 / 4) + 4 = 13 tokens.
    const messages = Array.from({ length: 4 }, (_, index) => userMessage(`${index}`.repeat(36)));

    const { kept } = applyRetention(messages, { maxMessages: 3, maxTokens: 26 });

    expect(kept).toEqual(messages.slice(2));
  });

  it('uses the estimateTokens function it is given', () => {
    const { kept } = applyRetention(users(4), { maxTokens: 2, estimateTokens: () => 1 });

    expect(kept).toEqual(users(2, 2));
  });

  it('does not modify the array it is given', () => {
    const messages = users(4);

    applyRetention(messages, { maxMessages: 1 });

    expect(messages).toEqual(users(4));
  });
});
