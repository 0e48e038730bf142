import { AgentError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { contentText, convertCallToolResult, cutToBytes } from './mcp-result.js';

const context = { toolName: 'ns_tool', serverName: 'srv', maxResultBytes: 100 };

function thrown(run: () => unknown): AgentError {
  try {
    run();
  } catch (error) {
    if (AgentError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

describe('convertCallToolResult', () => {
  it('joins text blocks with newlines', () => {
    const output = convertCallToolResult(
      {
        content: [
          { type: 'text', text: 'one' },
          { type: 'text', text: 'two' },
        ],
      },
      context,
    );

    expect(output).toBe('one\ntwo');
  });

  it('prefers structuredContent over the text', () => {
    const output = convertCallToolResult(
      { content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { a: 1 } },
      context,
    );

    expect(output).toEqual({ a: 1 });
  });

  it('truncates structured content that is too large into marked JSON text', () => {
    const structuredContent = { data: 'y'.repeat(200) };

    const output = convertCallToolResult({ content: [], structuredContent }, context);

    const json = JSON.stringify(structuredContent);
    expect(output).toEqual({
      text: `${json.slice(0, 100)}…[truncated: ${json.length - 100} more bytes]`,
      truncated: true,
      originalBytes: json.length,
    });
  });

  it('wraps the legacy toolResult shape', () => {
    expect(convertCallToolResult({ toolResult: [1, 2] }, context)).toEqual({ toolResult: [1, 2] });
  });

  it('counts bytes, not characters, and never splits a character', () => {
    const text = 'é'.repeat(60); // 120 bytes

    const output = convertCallToolResult({ content: [{ type: 'text', text }] }, context);

    expect(output).toEqual({
      text: `${'é'.repeat(50)}…[truncated: 20 more bytes]`,
      truncated: true,
      originalBytes: 120,
    });
  });

  it('throws TOOL_FAILED with the server text for isError results', () => {
    const error = thrown(() =>
      convertCallToolResult({ isError: true, content: [{ type: 'text', text: 'disk full' }] }, context),
    );

    expect(error.code).toBe('TOOL_FAILED');
    expect(error.message).toBe('MCP server "srv" reported an error from tool "ns_tool": disk full');
  });

  it('says so when an error result carries no text, and caps long error texts', () => {
    const empty = thrown(() => convertCallToolResult({ isError: true, content: [] }, context));
    const long = thrown(() =>
      convertCallToolResult(
        { isError: true, content: [{ type: 'text', text: 'e'.repeat(10_000) }] },
        context,
      ),
    );

    expect(empty.message).toContain('no details given');
    expect(long.message.length).toBeLessThan(4200);
  });
});

describe('contentText', () => {
  it('summarises binary and resource blocks without inlining them', () => {
    const text = contentText([
      { type: 'image', mimeType: 'image/png', data: 'AAAA' },
      { type: 'audio', mimeType: 'audio/wav', data: 'AAA=' },
      { type: 'image', data: 42 },
      { type: 'resource', resource: { uri: 'file:///a', mimeType: 'text/plain', text: 'hidden' } },
      { type: 'resource', resource: { uri: 'file:///b', blob: 'AA==' } },
      { type: 'resource', resource: 'nonsense' },
      { type: 'resource_link', uri: 'file:///c', name: 'c' },
      { type: 'resource_link', uri: 'file:///d' },
      { type: 'video' },
      {},
      'not a block',
      { type: 'text', text: 7 },
    ]);

    expect(text.split('\n')).toEqual([
      '[image: image/png, 3 bytes]',
      '[audio: audio/wav, 2 bytes]',
      '[image: unknown type, 0 bytes]',
      '[resource: file:///a, text/plain, 6 bytes]',
      '[resource: file:///b, unknown type, 1 bytes]',
      '[resource]',
      '[resource link: file:///c (c)]',
      '[resource link: file:///d]',
      '[video content]',
      '[unknown content]',
      '[invalid content block]',
      '',
    ]);
    expect(text).not.toContain('hidden');
  });

  it('returns an empty string when content is not an array', () => {
    expect(contentText(undefined)).toBe('');
  });
});

describe('cutToBytes', () => {
  it('returns short text unchanged and drops a partial multi-byte character', () => {
    expect(cutToBytes('abc', 10)).toBe('abc');
    expect(cutToBytes('a€', 3)).toBe('a');
  });
});
