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
  let asciiChars = 0;
  let otherUnits = 0;
  const count = (text: string): void => {
    for (let index = 0; index < text.length; index++) {
      if (text.charCodeAt(index) < 0x80) asciiChars++;
      else otherUnits++;
    }
  };

  for (const message of request.messages) {
    count(message.content);
    if (message.role === 'assistant' && message.toolCalls && message.toolCalls.length > 0) {
      count(JSON.stringify(message.toolCalls));
    }
    if (message.role === 'tool') count(message.toolName);
  }
  if (request.tools && request.tools.length > 0) count(JSON.stringify(request.tools));
  const responseFormat = request.settings?.responseFormat;
  if (responseFormat) count(JSON.stringify(responseFormat));

  const input =
    Math.ceil(asciiChars / ASCII_CHARS_PER_TOKEN) + otherUnits + TOKENS_PER_MESSAGE * request.messages.length;
  return input + Math.max(0, request.settings?.maxTokens ?? 0);
}
