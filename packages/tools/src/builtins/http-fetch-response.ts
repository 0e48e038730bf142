import type { IncomingMessage } from 'node:http';
import { ToolError } from '@agent/core';
import {
  bodyKindOf,
  decodeText,
  looksBinary,
  mediaTypeOf,
  parseBody,
  type ResponseType,
} from './http-fetch-body.js';
import { readBody } from './http-fetch-request.js';

const TOOL = 'http_fetch';

/** What `http_fetch` returns. Non-2xx responses are returned too, with their status. */
export interface HttpFetchOutput {
  status: number;
  /** The final URL, after redirects. */
  url: string;
  contentType: string | null;
  /** Parsed JSON for JSON responses, else the text. */
  body: unknown;
  /** True when the body was longer than `maxBytes` and was cut there. */
  truncated: boolean;
  /** Bytes of (decoded) body read. */
  bytes: number;
}

/**
 * Turns the final response into the tool's output: binary types are refused before any body is
 * read, the body is read up to `maxBytes`, decoded and (for JSON) parsed.
 */
export async function toOutput(
  response: IncomingMessage,
  url: URL,
  responseType: ResponseType,
  maxBytes: number,
): Promise<HttpFetchOutput> {
  const contentType = response.headers['content-type'] ?? null;
  const kind = bodyKindOf(contentType ?? undefined);
  if (kind === 'binary') {
    response.destroy();
    throw binaryRefusal(url, mediaTypeOf(contentType ?? undefined));
  }
  const { buffer, truncated } = await readBody(response, maxBytes);
  if (kind === 'sniff' && looksBinary(buffer)) throw binaryRefusal(url, 'no Content-Type, binary bytes');
  let body: unknown;
  try {
    body = parseBody(decodeText(buffer, contentType ?? undefined), kind, responseType);
  } catch (error) {
    throw new ToolError(
      'TOOL_FAILED',
      TOOL,
      `http_fetch: the body of ${url.href} is not valid JSON${truncated ? ` (it was cut at ${maxBytes} bytes)` : ''}. Call again with responseType "text".`,
      { cause: error },
    );
  }
  return {
    status: response.statusCode ?? 0,
    url: url.href,
    contentType,
    body,
    truncated,
    bytes: buffer.length,
  };
}

function binaryRefusal(url: URL, what: string): ToolError {
  return new ToolError(
    'TOOL_REFUSED',
    TOOL,
    `http_fetch refused: ${url.href} returned binary content (${what}); this tool returns only JSON and text. Fetch a JSON or text resource instead.`,
  );
}
