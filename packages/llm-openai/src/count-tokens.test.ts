import { assistantMessage, systemMessage, userMessage } from '@agent/core';
import * as cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import * as o200k from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { countRequestTokens, encodingNameFor } from './count-tokens.js';

const TEXT = 'The quick brown fox jumps over the lazy dog. Ærøskøbing 東京 🙂';
// Per message: 3 framing tokens + the role; plus 3 for the reply priming.
const framing = (encoder: typeof o200k, roles: string[]) =>
  3 + roles.reduce((sum, role) => sum + 3 + encoder.countTokens(role), 0);

describe('encodingNameFor', () => {
  it.each([
    'gpt-4',
    'gpt-4-0613',
    'gpt-4-turbo',
    'gpt-3.5-turbo',
    'text-embedding-3-small',
    'ft:gpt-3.5-turbo:acme::x',
  ])('uses cl100k_base for %s', (modelId) => {
    expect(encodingNameFor(modelId)).toBe('cl100k_base');
  });

  it.each([
    'gpt-4o',
    'gpt-4o-mini',
    'gpt-4.1-nano',
    'gpt-4.5-preview',
    'o1',
    'o3-mini',
    'o4-mini',
    'gpt-5',
    'llama3.2',
  ])('uses o200k_base for %s', (modelId) => {
    expect(encodingNameFor(modelId)).toBe('o200k_base');
  });
});

describe('countRequestTokens', () => {
  it('counts special-token text inside a message as text instead of throwing', async () => {
    const count = await countRequestTokens('gpt-4o', { messages: [userMessage('a <|endoftext|> b')] });

    expect(count).toBe(
      framing(o200k, ['user']) + o200k.countTokens('a <|endoftext|> b', { disallowedSpecial: new Set() }),
    );
  });

  it('counts a user message exactly like gpt-tokenizer with o200k_base, plus the framing', async () => {
    const count = await countRequestTokens('gpt-4o-mini', { messages: [userMessage(TEXT)] });

    expect(count).toBe(framing(o200k, ['user']) + o200k.encode(TEXT).length);
  });

  it('counts with cl100k_base for gpt-4', async () => {
    const count = await countRequestTokens('gpt-4', { messages: [userMessage(TEXT)] });

    expect(count).toBe(framing(cl100k, ['user']) + cl100k.encode(TEXT).length);
    expect(cl100k.encode(TEXT).length).not.toBe(o200k.encode(TEXT).length);
  });

  it('matches the 3-per-message framing of the OpenAI cookbook for a two-message chat', async () => {
    const messages = [systemMessage('You are terse.'), userMessage('Hi')];

    const count = await countRequestTokens('gpt-4o', { messages });

    // system(1) + "You are terse."(4) + user(1) + "Hi"(1) + 3 * 2 framing + 3 priming.
    expect(count).toBe(
      framing(o200k, ['system', 'user']) + o200k.countTokens('You are terse.') + o200k.countTokens('Hi'),
    );
  });

  it('counts tool-call names and arguments of assistant messages', async () => {
    const call = { id: 'call_1', name: 'weather', arguments: { city: 'Oslo' } };
    const base = await countRequestTokens('gpt-4o', { messages: [assistantMessage('')] });

    const count = await countRequestTokens('gpt-4o', { messages: [assistantMessage('', [call])] });

    expect(count - base).toBe(o200k.countTokens('weather') + o200k.countTokens('{"city":"Oslo"}'));
  });

  it('counts raw-string tool arguments as they are', async () => {
    const call = { id: 'call_1', name: 'weather', arguments: '{city' };
    const base = await countRequestTokens('gpt-4o', { messages: [assistantMessage('')] });

    const count = await countRequestTokens('gpt-4o', { messages: [assistantMessage('', [call])] });

    expect(count - base).toBe(o200k.countTokens('weather') + o200k.countTokens('{city'));
  });

  it('counts a tool result with its call id', async () => {
    const message = { role: 'tool' as const, toolCallId: 'call_1', toolName: 'weather', content: '21 C' };

    const count = await countRequestTokens('gpt-4o', { messages: [message] });

    expect(count).toBe(framing(o200k, ['tool']) + o200k.countTokens('21 C') + o200k.countTokens('call_1'));
  });

  it('adds the tool definitions as JSON', async () => {
    const tool = {
      name: 'weather',
      description: 'Weather.',
      inputSchema: { type: 'object', properties: {} },
    };
    const json = JSON.stringify([{ name: 'weather', description: 'Weather.', parameters: tool.inputSchema }]);

    const count = await countRequestTokens('gpt-4o', { messages: [], tools: [tool] });

    expect(count).toBe(3 + o200k.countTokens(json));
  });

  it('adds the structured-output schema as JSON', async () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };

    const count = await countRequestTokens('gpt-4o', {
      messages: [],
      settings: { responseFormat: { type: 'json_schema', name: 'a', schema } },
    });

    expect(count).toBe(3 + o200k.countTokens(JSON.stringify(schema)));
  });
});
