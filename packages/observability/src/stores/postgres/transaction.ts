import type { Pool, PoolClient } from 'pg';
import { isConnectionError } from './postgres-errors.js';

/**
 * Runs `work` in a transaction on a pooled connection: COMMIT when it resolves, ROLLBACK when it
 * throws (rethrowing its error). A connection that broke is destroyed rather than returned to the
 * pool, so the next transaction gets a fresh one.
 */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // pg emits 'error' on a checked-out client whose server connection dies between queries; with
  // no listener that would crash the process. The failing query reports the error itself.
  let connectionError: unknown;
  const onError = (error: unknown) => {
    connectionError ??= error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (connectionError === undefined && isConnectionError(error)) connectionError = error;
    if (connectionError === undefined) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        connectionError = rollbackError;
      });
    }
    throw error;
  } finally {
    client.off('error', onError);
    // Releasing with an error makes the pool close this connection instead of reusing it.
    client.release(connectionError === undefined ? undefined : toError(connectionError));
  }
}

/**
 * Runs `attempt` once more when the connection was lost: a pool can hand out an idle connection
 * the server has already closed, and the retry gets a fresh one. Only for work that is safe to
 * repeat: reads, migrations, and appends, which ignore re-sent events.
 */
export async function retryOnConnectionLoss<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (!isConnectionError(error)) throw error;
    return attempt();
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
