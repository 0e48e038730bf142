import type { Message } from '../messages/message.js';

/** Limits applied by {@link applyRetention}. An omitted limit does not apply. */
export interface MessageRetentionPolicy {
  /** Most messages to keep, system messages included. */
  maxMessages?: number;
  /** Most estimated tokens to keep, system messages included. */
  maxTokens?: number;
  /** Estimates one message's tokens; pass a real tokenizer's count when you have one. @default estimateMessageTokens */
  estimateTokens?: (message: Message) => number;
}

/** What {@link applyRetention} kept and dropped, each in the original order. */
export interface MessageRetentionResult {
  kept: Message[];
  dropped: Message[];
}

/** A cheap token estimate: a quarter of the characters (tool-call JSON included) plus 4 for framing. */
export function estimateMessageTokens(message: Message): number {
  let characters = message.content.length;
  if (message.role === 'assistant' && message.toolCalls)
    characters += JSON.stringify(message.toolCalls).length;
  return Math.ceil(characters / 4) + 4;
}

/**
 * Drops the oldest non-system messages until `messages` fits `policy` (maxMessages first, then
 * maxTokens). System messages are always kept, even over the limits. An assistant message is dropped
 * together with the tool results after it, and a leading tool result whose call is gone is dropped
 * too. Pure: reusable by any conversation store. Limits are not validated here.
 *
 * @example
 * ```ts
 * const { kept, dropped } = applyRetention(messages, { maxMessages: 50, maxTokens: 8_000 });
 * ```
 */
export function applyRetention(
  messages: readonly Message[],
  policy: MessageRetentionPolicy,
): MessageRetentionResult {
  const estimate = policy.estimateTokens ?? estimateMessageTokens;
  // Messages are grouped in units that are dropped whole: each non-system message starts one, and
  // tool results join the unit before them, so a call and its results are never split.
  const unitOfMessage: number[] = [];
  const units: { messages: number; tokens: number }[] = [];
  let keptMessages = 0;
  let keptTokens = 0;
  for (const message of messages) {
    const tokens = estimate(message);
    keptMessages++;
    keptTokens += tokens;
    if (message.role === 'system') {
      unitOfMessage.push(-1);
      continue;
    }
    if (message.role !== 'tool' || units.length === 0) units.push({ messages: 0, tokens: 0 });
    const unit = units[units.length - 1] as { messages: number; tokens: number };
    unit.messages++;
    unit.tokens += tokens;
    unitOfMessage.push(units.length - 1);
  }

  let firstKeptUnit = 0;
  const dropUnit = (): void => {
    const unit = units[firstKeptUnit] as { messages: number; tokens: number };
    keptMessages -= unit.messages;
    keptTokens -= unit.tokens;
    firstKeptUnit++;
  };
  // A tool result with no call before it is rejected by providers, so it never leads.
  const firstNonSystem = messages.find((message) => message.role !== 'system');
  if (firstNonSystem?.role === 'tool') dropUnit();
  const maxMessages = policy.maxMessages ?? Number.POSITIVE_INFINITY;
  const maxTokens = policy.maxTokens ?? Number.POSITIVE_INFINITY;
  while (firstKeptUnit < units.length && keptMessages > maxMessages) dropUnit();
  while (firstKeptUnit < units.length && keptTokens > maxTokens) dropUnit();

  const kept: Message[] = [];
  const dropped: Message[] = [];
  messages.forEach((message, index) => {
    const unit = unitOfMessage[index] as number;
    (unit === -1 || unit >= firstKeptUnit ? kept : dropped).push(message);
  });
  return { kept, dropped };
}
