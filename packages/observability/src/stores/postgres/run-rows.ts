import type { RunStatus, RunSummary, Usage } from '@agent/core';

/** The columns of the `runs` table that hold a summary, in the order the SQL below lists them. */
export const RUN_COLUMNS =
  'run_id, agent, tenant, status, started_at, ended_at, usage, event_count, missing_events, error_code, next_seq';

/** A row of the `runs` table. bigint columns arrive as text from pg. */
export interface RunRow {
  run_id: string;
  agent: string;
  tenant: string | null;
  status: RunStatus;
  started_at: number;
  ended_at: number | null;
  usage: Usage;
  event_count: string;
  missing_events: string;
  error_code: string | null;
  next_seq: string;
}

/** What the append transaction knows about a run: its summary and the seq its next event must have. */
export interface RunState {
  summary: RunSummary;
  nextSeq: number;
}

/** The summary a row holds, with absent optional fields left out as `MemoryEventStore` does. */
export function summaryFromRow(row: RunRow): RunSummary {
  const missingEvents = Number(row.missing_events);
  return {
    runId: row.run_id,
    agent: row.agent,
    ...(row.tenant !== null ? { tenant: row.tenant } : {}),
    status: row.status,
    startedAt: row.started_at,
    ...(row.ended_at !== null ? { endedAt: row.ended_at } : {}),
    usage: row.usage,
    eventCount: Number(row.event_count),
    ...(missingEvents > 0 ? { missingEvents } : {}),
    ...(row.error_code !== null ? { errorCode: row.error_code } : {}),
  };
}

/**
 * The row's state, or `undefined` for a placeholder the append transaction inserted to have a
 * row to lock: a stored run always has at least one event.
 */
export function stateFromRow(row: RunRow): RunState | undefined {
  if (row.event_count === '0') return undefined;
  return { summary: summaryFromRow(row), nextSeq: Number(row.next_seq) };
}
