import { describe, expect, it, vi } from 'vitest';
import { AgentError } from '../errors/agent-error.js';
import { ConfigError } from '../errors/errors.js';
import {
  assistantMessage,
  type Message,
  systemMessage,
  type ToolResultMessage,
  userMessage,
} from '../messages/message.js';
import { InMemoryConversationMemory, SUMMARY_PREFIX } from './in-memory-conversation-memory.js';

function manualClock(start = 0) {
  const clock = { time: start, now: () => clock.time };
  return clock;
}

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

// setImmediate runs after every queued microtask, so every operation that can progress has.
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const users = (count: number, from = 0): Message[] =>
  Array.from({ length: count }, (_, index) => userMessage(`message ${from + index}`));

describe('InMemoryConversationMemory: failure paths', () => {
  it.each([
    ['maxMessages', { maxMessages: 0 }],
    ['maxTokens', { maxTokens: -5 }],
    ['ttlMs', { ttlMs: 1.5 }],
    ['maxConversations', { maxConversations: Number.NaN }],
  ])('rejects a %s that is not a positive integer with a ConfigError naming it', (name, options) => {
    expect(() => new InMemoryConversationMemory(options)).toThrow(ConfigError);
    expect(() => new InMemoryConversationMemory(options)).toThrow(name);
  });

  it('rejects the append and leaves the conversation unchanged when the summarizer fails', async () => {
    const failure = new Error('summarizer down');
    const memory = new InMemoryConversationMemory({
      maxMessages: 2,
      summarize: () => Promise.reject(failure),
    });
    await memory.append('c', users(2));

    const error = await memory.append('c', users(1, 2)).catch((caught: unknown) => caught);

    expect(AgentError.isInstance(error) && error.cause).toBe(failure);
    expect((error as Error).message).toMatch(/left unchanged, so the append can be retried/);
    expect(await memory.load('c')).toEqual(users(2));
  });
});

describe('InMemoryConversationMemory: retention', () => {
  it('returns an empty list for an unknown conversation', async () => {
    expect(await new InMemoryConversationMemory().load('nobody')).toEqual([]);
  });

  it('keeps the newest 100 messages by default', async () => {
    const memory = new InMemoryConversationMemory();

    await memory.append('c', users(150));

    expect(await memory.load('c')).toEqual(users(100, 50));
  });

  it('keeps the conversation within maxTokens', async () => {
    const memory = new InMemoryConversationMemory({ maxTokens: 30 });

    await memory.append('c', [
      userMessage('a'.repeat(36)),
      userMessage('b'.repeat(36)),
      userMessage('c'.repeat(36)),
    ]);

    expect(await memory.load('c')).toEqual([userMessage('b'.repeat(36)), userMessage('c'.repeat(36))]);
  });

  it('keeps the system prompt while dropping older turns', async () => {
    const memory = new InMemoryConversationMemory({ maxMessages: 3 });

    await memory.append('c', [systemMessage('You are terse.'), ...users(5)]);

    expect(await memory.load('c')).toEqual([systemMessage('You are terse.'), ...users(2, 3)]);
  });

  it('never keeps a tool result without the call it answers', async () => {
    const memory = new InMemoryConversationMemory({ maxMessages: 2 });
    await memory.append('c', [userMessage('q'), toolCallMessage('1'), toolResult('1')]);

    await memory.append('c', [assistantMessage('answer')]);

    expect(await memory.load('c')).toEqual([assistantMessage('answer')]);
  });

  it('forgets a conversation idle longer than ttlMs since its last append', async () => {
    const clock = manualClock();
    const memory = new InMemoryConversationMemory({ ttlMs: 1_000, clock });
    await memory.append('c', users(1));

    clock.time = 1_001;

    expect(await memory.load('c')).toEqual([]);
    expect(memory.stats().expired).toBe(1);
  });

  it('keeps a conversation idle exactly ttlMs, and loading does not extend it', async () => {
    const clock = manualClock();
    const memory = new InMemoryConversationMemory({ ttlMs: 1_000, clock });
    await memory.append('c', users(1));

    clock.time = 1_000;
    const atLimit = await memory.load('c');
    clock.time = 1_001;

    expect(atLimit).toEqual(users(1));
    expect(await memory.load('c')).toEqual([]);
  });

  it('starts an expired conversation afresh on append', async () => {
    const clock = manualClock();
    const memory = new InMemoryConversationMemory({ ttlMs: 1_000, clock });
    await memory.append('c', users(1));
    clock.time = 5_000;

    await memory.append('c', users(1, 1));

    expect(await memory.load('c')).toEqual(users(1, 1));
  });

  it('sweeps expired conversations from the least recently used end on append', async () => {
    const clock = manualClock();
    const memory = new InMemoryConversationMemory({ ttlMs: 1_000, clock });
    await memory.append('old-1', users(1));
    await memory.append('old-2', users(1));
    clock.time = 2_000;

    await memory.append('new', users(1));

    expect(memory.stats()).toMatchObject({ conversations: 1, expired: 2 });
  });

  it('forgets the least recently used conversation past maxConversations', async () => {
    const memory = new InMemoryConversationMemory({ maxConversations: 2 });
    await memory.append('a', users(1));
    await memory.append('b', users(1));
    await memory.load('a');

    await memory.append('c', users(1));

    expect(await memory.load('b')).toEqual([]);
    expect(await memory.load('a')).toEqual(users(1));
    expect(memory.stats()).toMatchObject({ conversations: 2, evicted: 1 });
  });

  it('forgets a conversation on clear', async () => {
    const memory = new InMemoryConversationMemory();
    await memory.append('c', users(2));

    await memory.clear('c');

    expect(await memory.load('c')).toEqual([]);
  });
});

describe('InMemoryConversationMemory: summaries', () => {
  it('calls summarize with the dropped messages and the kept ones', async () => {
    const summarize = vi.fn(async () => 'the user counted to 2');
    const memory = new InMemoryConversationMemory({ maxMessages: 2, summarize });

    await memory.append('c', users(4));

    expect(summarize).toHaveBeenCalledExactlyOnceWith(users(2), users(2, 2));
  });

  it('does not call summarize when nothing is dropped', async () => {
    const summarize = vi.fn(async () => 'unused');
    const memory = new InMemoryConversationMemory({ maxMessages: 5, summarize });

    await memory.append('c', users(5));

    expect(summarize).not.toHaveBeenCalled();
  });

  it('keeps the summary as a system message after the system prompt', async () => {
    const memory = new InMemoryConversationMemory({ maxMessages: 3, summarize: async () => 'counting' });

    await memory.append('c', [systemMessage('prompt'), ...users(4)]);

    expect(await memory.load('c')).toEqual([
      systemMessage('prompt'),
      systemMessage(`${SUMMARY_PREFIX}counting`),
      ...users(2, 2),
    ]);
  });

  it('puts the summary last when only system messages are kept', async () => {
    const memory = new InMemoryConversationMemory({ maxMessages: 1, summarize: async () => 'gone' });

    await memory.append('c', [systemMessage('prompt'), toolCallMessage('1'), toolResult('1')]);

    expect(await memory.load('c')).toEqual([systemMessage('prompt'), systemMessage(`${SUMMARY_PREFIX}gone`)]);
  });

  it('passes the previous summary first among the dropped messages and replaces it', async () => {
    const summarize = vi.fn(async (dropped: Message[]) => `summary of ${dropped.length}`);
    const memory = new InMemoryConversationMemory({ maxMessages: 2, summarize });
    await memory.append('c', users(3));

    await memory.append('c', users(1, 3));

    expect(summarize).toHaveBeenLastCalledWith(
      [systemMessage(`${SUMMARY_PREFIX}summary of 1`), userMessage('message 1')],
      users(2, 2),
    );
    expect(await memory.load('c')).toEqual([systemMessage(`${SUMMARY_PREFIX}summary of 2`), ...users(2, 2)]);
  });

  it('applies operations on one conversation in call order while a summary is pending', async () => {
    const releases: ((summary: string) => void)[] = [];
    const summarize = vi.fn(() => new Promise<string>((resolve) => releases.push(resolve)));
    const memory = new InMemoryConversationMemory({ maxMessages: 1, summarize });

    const first = memory.append('c', users(2));
    const second = memory.append('c', users(1, 2));
    const loaded = memory.load('c');
    await settle();
    const summariesStartedEarly = summarize.mock.calls.length;
    releases[0]?.('s1');
    await settle();
    releases[1]?.('s2');
    await Promise.all([first, second]);

    expect(summariesStartedEarly).toBe(1);
    expect(summarize).toHaveBeenLastCalledWith(
      [systemMessage(`${SUMMARY_PREFIX}s1`), userMessage('message 1')],
      [userMessage('message 2')],
    );
    expect(await loaded).toEqual([systemMessage(`${SUMMARY_PREFIX}s2`), userMessage('message 2')]);
  });
});

describe('InMemoryConversationMemory: copies', () => {
  it('is not changed by mutating the loaded array or its messages', async () => {
    const memory = new InMemoryConversationMemory();
    await memory.append('c', users(2));

    const loaded = await memory.load('c');
    loaded.pop();
    (loaded[0] as Message).content = 'changed';

    expect(await memory.load('c')).toEqual(users(2));
  });

  it('is not changed by mutating the appended array or its messages afterwards', async () => {
    const memory = new InMemoryConversationMemory();
    const appended = users(2);
    await memory.append('c', appended);

    appended.push(userMessage('late'));
    (appended[0] as Message).content = 'changed';

    expect(await memory.load('c')).toEqual(users(2));
  });
});
