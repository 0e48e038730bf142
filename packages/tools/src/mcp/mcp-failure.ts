import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

/**
 * Why a request to an MCP server failed, as far as reconnecting is concerned:
 * - `undelivered`: it never reached a server (connection refused, unknown session, not
 *   connected), so sending it again on a new connection is safe;
 * - `lost`: the connection broke while the request was out; the tool may or may not have run,
 *   so it is not sent again, but the next call reconnects;
 * - `timeout`: the server did not answer in time (the connection may be fine);
 * - `answered`: the server answered with an error; the connection is fine.
 */
export type McpFailureKind = 'undelivered' | 'lost' | 'timeout' | 'answered';

// Errors from connect(2) and DNS: the request never left this process.
const UNDELIVERED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Classifies a failed request; see {@link McpFailureKind}. */
export function classifyMcpFailure(error: unknown): McpFailureKind {
  if (error instanceof McpError) {
    if (error.code === ErrorCode.ConnectionClosed) return 'lost';
    if (error.code === ErrorCode.RequestTimeout) return 'timeout';
    return 'answered';
  }
  if (error instanceof StreamableHTTPError) {
    // 404 is the spec's "session unknown" (the server restarted): re-initialising fixes it.
    if (error.code === 404) return 'undelivered';
    return error.code !== undefined && error.code >= 500 ? 'lost' : 'answered';
  }
  if (error instanceof Error) {
    if (error.message === 'Not connected') return 'undelivered';
    const code = errorCode(error) ?? errorCode(error.cause);
    if (code !== undefined && UNDELIVERED_CODES.has(code)) return 'undelivered';
    // `fetch failed` without a connect error code: reset, socket closed, TLS... mid-request.
    if (error instanceof TypeError && error.message === 'fetch failed') return 'lost';
    if (code !== undefined) return 'lost';
  }
  return 'answered';
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether the server refused our credentials (HTTP 401 or 403), directly or as the cause. */
export function isAuthFailure(error: unknown): boolean {
  const failure = error instanceof Error && error.cause instanceof StreamableHTTPError ? error.cause : error;
  return failure instanceof StreamableHTTPError && (failure.code === 401 || failure.code === 403);
}

/** The message of any thrown value (with the HTTP status, and the cause's message, when known). */
export function messageOf(error: unknown): string {
  if (error instanceof StreamableHTTPError && error.code !== undefined && error.code > 0) {
    return `HTTP ${error.code}: ${error.message}`;
  }
  if (error instanceof Error) {
    // fetch's `TypeError: fetch failed` hides the reason (ECONNREFUSED...) in its cause.
    const cause =
      error.cause instanceof Error && !error.message.includes(error.cause.message)
        ? `: ${error.cause.message}`
        : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
