import type { PoolClient } from 'pg';

/** What to delete, with the age rule already turned into a cutoff time (ms). */
export interface PruneBounds {
  /** Delete runs that ended before this time. */
  cutoff: number | undefined;
  /** Then keep only this many runs, the newest. */
  maxRuns: number | undefined;
}

/**
 * Deletes runs (their events go by `ON DELETE CASCADE`) inside the caller's transaction and
 * returns how many. Rows are locked in run-id order before deleting, the order appends lock
 * them in, so a prune and an append touching the same runs wait for each other rather than deadlock.
 */
export async function pruneRuns(client: PoolClient, schema: string, bounds: PruneBounds): Promise<number> {
  let deleted = 0;
  if (bounds.cutoff !== undefined) {
    // Running runs have no ended_at and are never aged out: their final state is still to come.
    const result = await client.query(
      `DELETE FROM ${schema}.runs WHERE run_id IN (
         SELECT run_id FROM ${schema}.runs WHERE ended_at < $1 ORDER BY run_id FOR UPDATE
       )`,
      [bounds.cutoff],
    );
    deleted += result.rowCount ?? 0;
  }
  if (bounds.maxRuns !== undefined) {
    const result = await client.query(
      `DELETE FROM ${schema}.runs WHERE run_id IN (
         SELECT run_id FROM ${schema}.runs WHERE run_id IN (
           SELECT run_id FROM ${schema}.runs ORDER BY started_at DESC, run_id DESC OFFSET $1
         ) ORDER BY run_id FOR UPDATE
       )`,
      [bounds.maxRuns],
    );
    deleted += result.rowCount ?? 0;
  }
  return deleted;
}
