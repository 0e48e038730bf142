import { ToolError } from '@agent/core';

/** A result cut at `maxResultBytes`: the text kept (ending in the marker) and the size it had. */
export interface McpTruncatedOutput {
  /** The first `maxResultBytes` bytes, then `…[truncated: N more bytes]`. */
  text: string;
  truncated: true;
  /** The size of the whole result in bytes (UTF-8). */
  originalBytes: number;
}

/**
 * What an MCP tool returns among our tools: the server's `structuredContent` object when it sent
 * one, else the text of its content blocks (images, audio and resources summarised, never
 * inlined), or a {@link McpTruncatedOutput} when either was larger than `maxResultBytes`.
 */
export type McpToolOutput = string | Record<string, unknown> | McpTruncatedOutput;

/** Where a result came from, for messages, and how much of it to keep. */
export interface McpResultContext {
  /** Our name of the tool. */
  toolName: string;
  /** The MCP server's name. */
  serverName: string;
  maxResultBytes: number;
}

// An error text explains; it is not data. A few KiB say everything a model can use.
const MAX_ERROR_BYTES = 4096;

/**
 * Turns a `tools/call` result into the tool's output. A result with `isError: true` throws a
 * `TOOL_FAILED` {@link ToolError} carrying the server's text, so the agent loop reports it to the
 * model as a tool error. Results are untrusted input: every field is checked, not assumed.
 */
export function convertCallToolResult(
  result: Record<string, unknown>,
  context: McpResultContext,
): McpToolOutput {
  if (result.isError === true) {
    const text = cutToBytes(contentText(result.content) || 'no details given', MAX_ERROR_BYTES);
    throw new ToolError(
      'TOOL_FAILED',
      context.toolName,
      `MCP server "${context.serverName}" reported an error from tool "${context.toolName}": ${text}`,
    );
  }
  const structured = isPlainObject(result.structuredContent)
    ? result.structuredContent
    : // Servers of protocol 2024-10-07 answer `{ toolResult }` instead of content blocks.
      'toolResult' in result
      ? { toolResult: result.toolResult }
      : undefined;
  if (structured !== undefined) {
    const json = JSON.stringify(structured);
    return byteLength(json) <= context.maxResultBytes ? structured : truncate(json, context.maxResultBytes);
  }
  const text = contentText(result.content);
  return byteLength(text) <= context.maxResultBytes ? text : truncate(text, context.maxResultBytes);
}

/** The text of content blocks, one per line; non-text blocks as `[type: mime, N bytes]`. */
export function contentText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content.map(describeBlock).join('\n');
}

function describeBlock(block: unknown): string {
  if (!isPlainObject(block)) return '[invalid content block]';
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? block.text : '';
    case 'image':
    case 'audio':
      return `[${block.type}: ${stringOr(block.mimeType, 'unknown type')}, ${base64Bytes(block.data)} bytes]`;
    case 'resource':
      return describeResource(block.resource);
    case 'resource_link':
      return `[resource link: ${stringOr(block.uri, '?')}${typeof block.name === 'string' ? ` (${block.name})` : ''}]`;
    default:
      return `[${stringOr(block.type, 'unknown')} content]`;
  }
}

function describeResource(resource: unknown): string {
  if (!isPlainObject(resource)) return '[resource]';
  const size = typeof resource.text === 'string' ? byteLength(resource.text) : base64Bytes(resource.blob);
  return `[resource: ${stringOr(resource.uri, '?')}, ${stringOr(resource.mimeType, 'unknown type')}, ${size} bytes]`;
}

function truncate(text: string, maxBytes: number): McpTruncatedOutput {
  const originalBytes = byteLength(text);
  const kept = cutToBytes(text, maxBytes);
  return {
    text: `${kept}…[truncated: ${originalBytes - byteLength(kept)} more bytes]`,
    truncated: true,
    originalBytes,
  };
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes, never splitting a character. */
export function cutToBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  // A cut inside a multi-byte character decodes to U+FFFD; drop that partial character.
  return bytes
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Decoded size of base64 data, without decoding it. */
function base64Bytes(data: unknown): number {
  if (typeof data !== 'string') return 0;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
