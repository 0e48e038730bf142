import { decodeRunCursor, type ListRunsQuery, ValidationError } from '@agent/core';
import { SUMMARY_COLUMNS } from './run-rows.js';

/** Most runs one `listRuns` page returns; larger limits are clamped to it (as in MemoryEventStore). */
export const MAX_LIST_RUNS_LIMIT = 500;

/** The SQL and parameters of one `listRuns` page, plus the page size it was built for. */
export interface ListRunsSql {
  sql: string;
  parameters: unknown[];
  pageSize: number;
}

/**
 * Builds the page query: the filters given, the cursor as a keyset condition, newest first. It
 * selects one row more than the page so the caller knows whether a next page exists without a
 * COUNT. The SQL text depends only on which filters are present, so statements can be cached by it.
 */
export function buildListRunsSql(query: ListRunsQuery): ListRunsSql {
  const limit = query.limit ?? 50;
  if (!(Number.isSafeInteger(limit) && limit >= 1)) {
    throw new ValidationError(`listRuns limit must be an integer >= 1, got ${String(limit)}.`);
  }
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    conditions.push(condition);
    parameters.push(value);
  };
  if (query.agent !== undefined) add('agent = ?', query.agent);
  if (query.tenant !== undefined) add('tenant = ?', query.tenant);
  if (query.status !== undefined) add('status = ?', query.status);
  if (query.startedAfter !== undefined) add('started_at >= ?', query.startedAfter);
  if (query.startedBefore !== undefined) add('started_at < ?', query.startedBefore);
  if (query.cursor !== undefined) {
    const after = decodeRunCursor(query.cursor);
    // A row-value comparison matches ORDER BY started_at DESC, run_id DESC exactly, ties included,
    // and still holds when the cursor's own run has since been deleted.
    conditions.push('(started_at, run_id) < (?, ?)');
    parameters.push(after.startedAt, after.runId);
  }
  const pageSize = Math.min(limit, MAX_LIST_RUNS_LIMIT);
  parameters.push(pageSize + 1);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')} ` : '';
  return {
    sql: `SELECT ${SUMMARY_COLUMNS} FROM runs ${where}ORDER BY started_at DESC, run_id DESC LIMIT ?`,
    parameters,
    pageSize,
  };
}
