import type { Message, ModelRequest } from '@agent/core';

/** The tokenizers OpenAI's chat models use. */
export type OpenAIEncodingName = 'o200k_base' | 'cl100k_base';

/** The part of a gpt-tokenizer encoding module that counting needs. */
interface Encoder {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

// Framing per OpenAI's cookbook ("How to count tokens with tiktoken"): every message costs 3
// tokens of chat markup, and the reply is primed with 3 more (<|start|>assistant<|message|>).
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING_TOKENS = 3;

// Special-token text such as "<|endoftext|>" inside a message is ordinary text to the API, so
// it is counted as text instead of throwing (gpt-tokenizer disallows it by default).
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * The tokenizer of `modelId`: `cl100k_base` for gpt-4 (except gpt-4o, gpt-4.1 and gpt-4.5),
 * gpt-3.5 and the text-embedding models, else `o200k_base` (gpt-4o, gpt-4.1, the o-series,
 * gpt-5, and unknown models, which are most likely new).
 */
export function encodingNameFor(modelId: string): OpenAIEncodingName {
  const id = modelId.toLowerCase().replace(/^ft:/, '');
  if (id.startsWith('gpt-3.5') || id.startsWith('text-embedding')) return 'cl100k_base';
  if (id.startsWith('gpt-4') && !/^gpt-4(?:o|\.1|\.5)/.test(id)) return 'cl100k_base';
  return 'o200k_base';
}

/**
 * Loads an encoding on first use. The BPE tables are megabytes of JavaScript, so they are only
 * imported when someone counts tokens; the module cache keeps each one loaded afterwards.
 */
export async function loadEncoder(name: OpenAIEncodingName): Promise<Encoder> {
  return name === 'cl100k_base'
    ? await import('gpt-tokenizer/encoding/cl100k_base')
    : await import('gpt-tokenizer/encoding/o200k_base');
}

/**
 * The input tokens of `request` for `modelId`. Exact for the text (message contents, tool-call
 * names and arguments, tool definitions as JSON); the chat framing around it follows OpenAI's
 * cookbook and is an approximation, since OpenAI does not publish how it renders tools.
 */
export async function countRequestTokens(modelId: string, request: ModelRequest): Promise<number> {
  const encoder = await loadEncoder(encodingNameFor(modelId));
  const count = (text: string) => (text.length === 0 ? 0 : encoder.countTokens(text, AS_TEXT));

  let total = REPLY_PRIMING_TOKENS;
  for (const message of request.messages) total += TOKENS_PER_MESSAGE + countMessage(message, count);
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    total += count(
      JSON.stringify(
        tools.map((tool) => ({
          name: tool.name,
          description: tool.description,
          parameters: tool.inputSchema,
        })),
      ),
    );
  }
  const format = request.settings?.responseFormat;
  if (format) total += count(JSON.stringify(format.schema));
  return total;
}

function countMessage(message: Message, count: (text: string) => number): number {
  let tokens = count(message.role) + count(message.content);
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) {
      const text = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {});
      tokens += count(call.name) + count(text);
    }
  }
  if (message.role === 'tool') tokens += count(message.toolCallId);
  return tokens;
}
