import type { ListRunsQuery, RunCursor } from '@agent/core';
import { RUN_COLUMNS } from './run-rows.js';

/** A parameterised SQL statement. */
export interface SqlStatement {
  text: string;
  values: unknown[];
}

/**
 * The SELECT behind `listRuns`: the query's filters, the runs after the cursor position in
 * newest-first order (`started_at DESC, run_id DESC`, the order of the runs indexes), and one
 * row more than a page so the caller knows whether another page follows.
 */
export function listRunsStatement(
  schema: string,
  query: ListRunsQuery,
  after: RunCursor | undefined,
  pageSize: number,
): SqlStatement {
  const values: unknown[] = [];
  const conditions: string[] = [];
  const where = (condition: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    conditions.push(condition(`$${values.length}`));
  };
  if (query.agent !== undefined) where((p) => `agent = ${p}`, query.agent);
  if (query.tenant !== undefined) where((p) => `tenant = ${p}`, query.tenant);
  if (query.status !== undefined) where((p) => `status = ${p}`, query.status);
  if (query.startedAfter !== undefined) where((p) => `started_at >= ${p}`, query.startedAfter);
  if (query.startedBefore !== undefined) where((p) => `started_at < ${p}`, query.startedBefore);
  if (after) {
    // A row comparison matches the ORDER BY exactly, ties on started_at included, and the
    // (started_at, run_id) index can serve it. run_id compares by bytes (COLLATE "C" column).
    values.push(after.startedAt, after.runId);
    conditions.push(`(started_at, run_id) < ($${values.length - 1}::float8, $${values.length}::text)`);
  }
  values.push(pageSize + 1);
  return {
    text: `SELECT ${RUN_COLUMNS} FROM ${schema}.runs
      ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY started_at DESC, run_id DESC LIMIT $${values.length}`,
    values,
  };
}
