import { ToolError } from '@agent/core';

const TOOL = 'http_fetch';
const MAX_HEADERS = 50;
const MAX_HEADER_VALUE = 8192;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

// Headers that belong to the connection or to the tool: letting the model set them would let it
// smuggle requests, lie about the body, or ask for an encoding the tool cannot decode.
const RESERVED = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'accept-encoding',
]);

/** Headers removed when a redirect leaves the origin, as browsers do. */
export const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'] as const;

/**
 * The request headers: the tool's defaults, then the model's (lower-cased), validated so a bad
 * one is a clear input error rather than a socket error.
 */
export function buildRequestHeaders(
  fromModel: Record<string, string> | undefined,
  userAgent: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': userAgent,
    accept: 'application/json, text/*;q=0.9, */*;q=0.1',
    'accept-encoding': 'gzip, deflate, br',
  };
  const entries = Object.entries(fromModel ?? {});
  if (entries.length > MAX_HEADERS) {
    throw invalid(`${entries.length} headers sent; at most ${MAX_HEADERS} are allowed. Send fewer headers.`);
  }
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) throw invalid(`header name "${name}" is not a valid HTTP header name.`);
    if (RESERVED.has(lower) || lower.startsWith('proxy-')) {
      throw invalid(`header "${name}" is set by the tool itself. Remove it from headers.`);
    }
    if (/[\r\n\0]/.test(value) || value.length > MAX_HEADER_VALUE) {
      throw invalid(
        `header "${name}" has an invalid value (line breaks, NUL, or over ${MAX_HEADER_VALUE} characters). Fix the value.`,
      );
    }
    headers[lower] = value;
  }
  return headers;
}

/**
 * The request body as bytes, and its default `Content-Type`: a string is sent as text, any other
 * JSON value as JSON. Only POST carries a body.
 */
export function encodeRequestBody(
  body: unknown,
  method: string,
  headers: Record<string, string>,
  maxBytes: number,
): Buffer | undefined {
  if (body === undefined) return method === 'POST' ? Buffer.alloc(0) : undefined;
  if (method !== 'POST')
    throw invalid(`a body can only be sent with POST, not ${method}. Drop the body or use POST.`);
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (text === undefined) throw invalid('the body is not a JSON value. Send a string or a JSON value.');
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > maxBytes) {
    throw invalid(`the body is ${bytes.length} bytes; at most ${maxBytes} are allowed. Send a smaller body.`);
  }
  headers['content-type'] ??= typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  return bytes;
}

function invalid(message: string): ToolError {
  return new ToolError('TOOL_INPUT_INVALID', TOOL, `http_fetch input invalid: ${message}`);
}
