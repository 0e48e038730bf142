import { describe, expect, it } from 'vitest';
import { assistantMessage, systemMessage, userMessage } from '../messages/message.js';
import { estimateTokens } from './estimate-tokens.js';
import type { ToolDefinition } from './language-model.js';

describe('estimateTokens', () => {
  it('is zero for an empty request', () => {
    expect(estimateTokens({ messages: [] })).toBe(0);
  });

  it('counts one token per 3 ASCII characters, rounded up, plus 4 per message', () => {
    const messages = [systemMessage('abcd'), userMessage('efghi')];

    expect(estimateTokens({ messages })).toBe(Math.ceil(9 / 3) + 2 * 4);
  });

  it('counts each non-ASCII character as a whole token', () => {
    expect(estimateTokens({ messages: [userMessage('日本語です')] })).toBe(5 + 4);
  });

  it('adds maxTokens so the reservation covers the answer', () => {
    const request = { messages: [userMessage('abc')], settings: { maxTokens: 500 } };

    expect(estimateTokens(request)).toBe(1 + 4 + 500);
  });

  it('counts the JSON of assistant tool calls', () => {
    const toolCalls = [{ id: 'call_1', name: 'add', arguments: { a: 2, b: 3 } }];

    const estimate = estimateTokens({ messages: [assistantMessage('', toolCalls)] });

    expect(estimate).toBe(Math.ceil(JSON.stringify(toolCalls).length / 3) + 4);
  });

  it('counts the text and tool name of tool results', () => {
    const result = { role: 'tool', toolCallId: 'call_1', toolName: 'add', content: '5' } as const;

    expect(estimateTokens({ messages: [result] })).toBe(Math.ceil(4 / 3) + 4);
  });

  it('counts the JSON of tool definitions and of the response schema', () => {
    const tools: ToolDefinition[] = [{ name: 'add', description: 'Adds', inputSchema: { type: 'object' } }];
    const responseFormat = { type: 'json_schema', name: 'answer', schema: { type: 'object' } } as const;

    const estimate = estimateTokens({ messages: [], tools, settings: { responseFormat } });

    const chars = JSON.stringify(tools).length + JSON.stringify(responseFormat).length;
    expect(estimate).toBe(Math.ceil(chars / 3));
  });

  it('never estimates less than a long English text needs at 4 characters per token', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(200);

    expect(estimateTokens({ messages: [userMessage(text)] })).toBeGreaterThan(text.length / 4);
  });
});
