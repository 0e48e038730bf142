import type { Message } from '../messages/message.js';
import type { ModelRequest } from './language-model.js';

// English runs near 4 characters per token with current tokenizers; 3 overestimates on purpose,
// because a reservation that is too small lets a burst through the limiter.
const ASCII_CHARS_PER_TOKEN = 3;
// Role markers and separators the provider adds around each message.
const TOKENS_PER_MESSAGE = 4;

/**
 * A conservative token estimate of a request, for reserving rate-limit capacity before the call
 * when the model cannot count tokens itself. It never calls a tokenizer.
 *
 * It counts, as input: message text, the JSON of assistant tool calls, tool results with their
 * tool names, the JSON of the tool definitions and of the response schema, at one token per 3
 * ASCII characters and one token per non-ASCII UTF-16 unit (CJK text and emoji take about one
 * token per character, so dividing them by 3 would underestimate threefold), plus 4 tokens per
 * message. To that it adds `settings.maxTokens` when set, the most the answer can use, so the
 * reservation covers the whole call; the limiter's `reconcile` later replaces it with the real
 * usage. Without `maxTokens` the output is unknown and only the input is reserved.
 *
 * @example
 * ```ts
 * const tokens = estimateTokens({ messages: [userMessage('Hello there')], settings: { maxTokens: 256 } });
 * // 4 (ceil of 11 / 3) + 4 (message overhead) + 256 = 264
 * ```
 */
export function estimateTokens(request: ModelRequest): number {
  let count: CharacterCount = { ascii: 0, other: 0 };
  for (const message of request.messages) count = addCounts(count, countCharacters(messageText(message)));
  return tokensFor(request, count);
}

/**
 * An estimator for one run, whose history only grows: it counts each message once, so
 * estimating before every model call costs O(new messages) instead of O(history). Same result
 * as {@link estimateTokens}; falls back to a full count when given a different message array
 * (a hook replaced the request) or one that shrank.
 */
export function createRunTokenEstimator(): (request: ModelRequest) => number {
  let trackedMessages: readonly Message[] | undefined;
  let countedMessages = 0;
  let count: CharacterCount = { ascii: 0, other: 0 };
  return (request) => {
    const messages = request.messages;
    if (messages !== trackedMessages || messages.length < countedMessages) {
      trackedMessages = messages;
      countedMessages = 0;
      count = { ascii: 0, other: 0 };
    }
    for (; countedMessages < messages.length; countedMessages++) {
      count = addCounts(count, countCharacters(messageText(messages[countedMessages] as Message)));
    }
    return tokensFor(request, count);
  };
}

interface CharacterCount {
  ascii: number;
  other: number;
}

// Tool definitions and response formats are long-lived objects (cached by the registry and per
// output schema), so counting each once is cheap to remember and saves a JSON.stringify per call.
const longLivedCounts = new WeakMap<object, CharacterCount>();

function countedOnce(value: object): CharacterCount {
  let counted = longLivedCounts.get(value);
  if (counted === undefined) {
    counted = countCharacters(JSON.stringify(value));
    longLivedCounts.set(value, counted);
  }
  return counted;
}

function tokensFor(request: ModelRequest, messages: CharacterCount): number {
  let total = messages;
  if (request.tools && request.tools.length > 0) total = addCounts(total, countedOnce(request.tools));
  const responseFormat = request.settings?.responseFormat;
  if (responseFormat) total = addCounts(total, countedOnce(responseFormat));
  const input =
    Math.ceil(total.ascii / ASCII_CHARS_PER_TOKEN) +
    total.other +
    TOKENS_PER_MESSAGE * request.messages.length;
  return input + Math.max(0, request.settings?.maxTokens ?? 0);
}

function addCounts(a: CharacterCount, b: CharacterCount): CharacterCount {
  return { ascii: a.ascii + b.ascii, other: a.other + b.other };
}

function messageText(message: Message): string {
  if (message.role === 'assistant' && message.toolCalls && message.toolCalls.length > 0) {
    return message.content + JSON.stringify(message.toolCalls);
  }
  if (message.role === 'tool') return message.content + message.toolName;
  return message.content;
}

function countCharacters(text: string): CharacterCount {
  let ascii = 0;
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) < 0x80) ascii++;
  return { ascii, other: text.length - ascii };
}
