import { describe, expect, it } from 'vitest';
import { assistantOutputMessages, createSpanContent, runOutputMessages } from './span-content.js';

describe('createSpanContent', () => {
  it('still says something for a value JSON cannot encode', () => {
    const content = createSpanContent(undefined, 100);

    expect(content.json({ count: 10n })).toBe('[object Object]');
    expect(content.json(undefined)).toBe('null');
  });

  it('cuts text at maxLength and says how much it cut', () => {
    const content = createSpanContent(undefined, 3);

    expect(content.text('abcdef')).toBe('abc…[truncated 3 chars]');
    expect(content.value('abc')).toBe('abc');
    expect(content.value(12345)).toBe('123…[truncated 2 chars]');
  });
});

describe('GenAI message shapes', () => {
  it('writes structured run output as JSON text', () => {
    expect(runOutputMessages({ answer: 42 })).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: '{"answer":42}' }], finish_reason: 'stop' },
    ]);
  });

  it('writes text and tool calls as parts, with the conventions’ finish reason', () => {
    const messages = assistantOutputMessages(
      { role: 'assistant', content: 'Looking.', toolCalls: [{ id: 'c', name: 'find', arguments: { q: 1 } }] },
      'content-filter',
    );

    expect(messages).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'text', content: 'Looking.' },
          { type: 'tool_call', id: 'c', name: 'find', arguments: { q: 1 } },
        ],
        finish_reason: 'content_filter',
      },
    ]);
  });
});
