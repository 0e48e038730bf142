import type { Message } from '../messages/message.js';

/**
 * Short-term memory: the messages of a conversation, keyed by conversation id. The agent loads
 * them before a run and appends the run's new messages after it. Implementations apply their
 * retention policy on append.
 */
export interface ConversationMemory {
  /** The retained messages of a conversation (empty for an unknown or expired one). */
  load(conversationId: string): Promise<Message[]>;
  /** Appends messages, then applies retention. */
  append(conversationId: string, messages: readonly Message[]): Promise<void>;
  /** Forgets a conversation. */
  clear(conversationId: string): Promise<void>;
}
