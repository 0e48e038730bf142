import { AgentError } from '../errors/agent-error.js';
import { ConfigError } from '../errors/errors.js';
import type { Message, SystemMessage } from '../messages/message.js';
import { type Clock, systemClock } from '../util/clock.js';
import type { ConversationMemory } from './conversation-memory.js';
import { applyRetention, type MessageRetentionPolicy } from './message-retention.js';

// Retention lives in its own module so Redis or SQL stores can reuse it without this class;
// re-exported here because this is where users of conversation memory look for it.
export type { MessageRetentionPolicy, MessageRetentionResult } from './message-retention.js';
export { applyRetention, estimateMessageTokens } from './message-retention.js';

/** Options of {@link InMemoryConversationMemory}. */
export interface InMemoryConversationMemoryOptions {
  /** Most messages kept per conversation, system messages included (the summary is not counted). @default 100 */
  maxMessages?: number;
  /** Most estimated tokens kept per conversation (see `estimateMessageTokens`; the summary is not counted). @default no limit */
  maxTokens?: number;
  /** A conversation with no append for longer than this (ms) is forgotten. @default no expiry */
  ttlMs?: number;
  /** Most conversations held; the least recently used is forgotten first. @default 10_000 */
  maxConversations?: number;
  /**
   * Summarizes messages that retention drops. The result is kept as one system message at the front
   * and replaces the previous summary, which is passed as the first `dropped` message so a plain
   * "summarize these" function rolls it forward. If it rejects, the append rejects and changes nothing.
   * @default none (dropped messages are forgotten)
   */
  summarize?: (dropped: Message[], kept: Message[]) => Promise<string>;
  /** Source of time for `ttlMs`. @default systemClock */
  clock?: Clock;
}

/** The text that starts the summary message, so models (and people) can tell it from the system prompt. */
export const SUMMARY_PREFIX = 'Summary of earlier conversation: ';

interface StoredConversation {
  messages: Message[];
  summary: string | undefined;
  lastAppendAt: number;
}

/**
 * Conversation memory held in this process, bounded in messages, tokens, idle time and number of
 * conversations. Operations on one conversation apply in call order.
 *
 * @example
 * ```ts
 * const memory = new InMemoryConversationMemory({ maxMessages: 50, ttlMs: 3_600_000 });
 * const agent = new Agent({ name: 'assistant', model, memory });
 * await agent.run('Hi, I am Ada.', { conversationId: 'user-42' });
 * ```
 */
export class InMemoryConversationMemory implements ConversationMemory {
  private readonly conversations = new Map<string, StoredConversation>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly policy: MessageRetentionPolicy;
  private readonly ttlMs: number | undefined;
  private readonly maxConversations: number;
  private readonly summarize: InMemoryConversationMemoryOptions['summarize'];
  private readonly clock: Clock;
  private evictedCount = 0;
  private expiredCount = 0;
  private droppedCount = 0;

  constructor(options: InMemoryConversationMemoryOptions = {}) {
    const maxTokens = positiveInteger(options.maxTokens, undefined, 'maxTokens');
    this.policy = {
      maxMessages: positiveInteger(options.maxMessages, 100, 'maxMessages'),
      ...(maxTokens !== undefined ? { maxTokens } : {}),
    };
    this.ttlMs = positiveInteger(options.ttlMs, undefined, 'ttlMs');
    this.maxConversations = positiveInteger(options.maxConversations, 10_000, 'maxConversations') as number;
    this.summarize = options.summarize;
    this.clock = options.clock ?? systemClock;
  }

  /** The retained messages, with the summary (if any) after the leading system messages. */
  load(conversationId: string): Promise<Message[]> {
    return this.inOrder(conversationId, async () => {
      const conversation = this.live(conversationId);
      if (!conversation) return [];
      // Reading is use: move it to the recently used end of the LRU order.
      this.conversations.delete(conversationId);
      this.conversations.set(conversationId, conversation);
      const messages = conversation.messages.map(copyMessage);
      if (conversation.summary === undefined) return messages;
      const position = messages.findIndex((message) => message.role !== 'system');
      messages.splice(position === -1 ? messages.length : position, 0, summaryMessage(conversation.summary));
      return messages;
    });
  }

  /** Appends copies of `messages`, then applies retention (and the summarizer, if set). */
  append(conversationId: string, messages: readonly Message[]): Promise<void> {
    return this.inOrder(conversationId, async () => {
      const existing = this.live(conversationId);
      const combined = [...(existing?.messages ?? []), ...messages.map(copyMessage)];
      const { kept, dropped } = applyRetention(combined, this.policy);
      let summary = existing?.summary;
      if (dropped.length > 0 && this.summarize) {
        const previous = summary === undefined ? [] : [summaryMessage(summary)];
        try {
          summary = await this.summarize([...previous, ...dropped], kept.map(copyMessage));
        } catch (error) {
          throw new AgentError(
            'INTERNAL',
            `Summarizing ${dropped.length} dropped messages of conversation "${conversationId}" failed; the conversation was left unchanged, so the append can be retried.`,
            { cause: error },
          );
        }
      }
      this.droppedCount += dropped.length;
      this.conversations.delete(conversationId);
      this.conversations.set(conversationId, { messages: kept, summary, lastAppendAt: this.clock.now() });
      this.evictOverflow();
    });
  }

  /** Forgets a conversation and its summary. */
  clear(conversationId: string): Promise<void> {
    return this.inOrder(conversationId, async () => {
      this.conversations.delete(conversationId);
    });
  }

  /** Counts for metrics: conversations held, and those forgotten by the LRU bound or the TTL. */
  stats(): { conversations: number; evicted: number; expired: number; droppedMessages: number } {
    return {
      conversations: this.conversations.size,
      evicted: this.evictedCount,
      expired: this.expiredCount,
      droppedMessages: this.droppedCount,
    };
  }

  /** The conversation, or undefined when unknown or idle past the TTL (which forgets it). */
  private live(conversationId: string): StoredConversation | undefined {
    const conversation = this.conversations.get(conversationId);
    if (conversation && this.isExpired(conversation)) {
      this.conversations.delete(conversationId);
      this.expiredCount++;
      return undefined;
    }
    return conversation;
  }

  private isExpired(conversation: StoredConversation): boolean {
    return this.ttlMs !== undefined && this.clock.now() - conversation.lastAppendAt > this.ttlMs;
  }

  private evictOverflow(): void {
    // Expired conversations gather at the least recently used end; forget them without a timer.
    for (const [conversationId, conversation] of this.conversations) {
      if (!this.isExpired(conversation)) break;
      this.conversations.delete(conversationId);
      this.expiredCount++;
    }
    for (const conversationId of this.conversations.keys()) {
      if (this.conversations.size <= this.maxConversations) break;
      this.conversations.delete(conversationId);
      this.evictedCount++;
    }
  }

  /**
   * Runs `task` after the conversation's earlier operations, so an append that awaits the
   * summarizer cannot interleave with the next one. With nothing queued it starts at once.
   */
  private inOrder<T>(conversationId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(conversationId);
    const result = previous ? previous.then(task) : task();
    const settled = result.then(noop, noop);
    this.queues.set(conversationId, settled);
    void settled.then(() => {
      if (this.queues.get(conversationId) === settled) this.queues.delete(conversationId);
    });
    return result;
  }
}

function noop(): void {}

function summaryMessage(summary: string): SystemMessage {
  return { role: 'system', content: `${SUMMARY_PREFIX}${summary}` };
}

// Deep copies, so neither the caller nor the summarizer can change stored state by mutation.
function copyMessage(message: Message): Message {
  return structuredClone(message);
}

function positiveInteger(
  value: number | undefined,
  fallback: number | undefined,
  name: string,
): number | undefined {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(
      `InMemoryConversationMemory ${name} must be a positive integer, got ${String(value)}. Pass a whole number >= 1, or omit it.`,
    );
  }
  return value;
}
