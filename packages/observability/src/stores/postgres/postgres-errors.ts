import { AgentError } from '@agent/core';

// Node socket errors that mean "the database is not reachable right now".
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

// pg's own client errors carry no code, only these messages.
const CLIENT_CONNECTION_MESSAGE =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|connection timeout/i;

/**
 * True when the error means the connection to PostgreSQL was lost or never made (refused,
 * reset, terminated by the server, timed out), as opposed to a query PostgreSQL rejected.
 * Such failures are transient: pg.Pool replaces dead connections, so a retry can succeed.
 */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // SQLSTATE class 08 is "connection exception"; 57P01-03 are the server shutting the
    // session down (pg_terminate_backend, restart) or refusing it while starting.
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
    if (NETWORK_ERROR_CODES.has(code)) return true;
  }
  return CLIENT_CONNECTION_MESSAGE.test(error.message);
}

/**
 * Wraps a failure of a PostgreSQL call in an `AgentError` whose message says what to do.
 * `AgentError`s (validation, config, closed store) pass through unchanged.
 *
 * Core has no storage-specific code, so failures use `INTERNAL`: `retryable` and
 * `details.reason` (`'connection'` or `'database'`) tell a lost connection from a rejected query.
 */
export function toStoreError(error: unknown, operation: string): AgentError {
  if (AgentError.isInstance(error)) return error;
  const cause = error instanceof Error ? error : new Error(String(error));
  const sqlState = sqlStateOf(cause);
  if (isConnectionError(cause)) {
    return new AgentError(
      'INTERNAL',
      `PostgresEventStore.${operation}() could not reach PostgreSQL (${cause.message || cause.name}). Check that the database is running and reachable, then retry: the store reconnects by itself, and re-sent events are ignored, so retrying an append is safe.`,
      { cause, retryable: true, details: { reason: 'connection', ...(sqlState ? { sqlState } : {}) } },
    );
  }
  return new AgentError(
    'INTERNAL',
    `PostgresEventStore.${operation}() failed in PostgreSQL: ${cause.message}${sqlState ? ` (SQLSTATE ${sqlState})` : ''}. Nothing was changed by this call; check the database log and the store's schema and permissions.`,
    {
      cause,
      // Class 40 (serialization failure, deadlock) and 53 (out of resources) pass on retry.
      retryable: sqlState !== undefined && (sqlState.startsWith('40') || sqlState.startsWith('53')),
      details: { reason: 'database', ...(sqlState ? { sqlState } : {}) },
    },
  );
}

function sqlStateOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
