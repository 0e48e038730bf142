import type { RunStatus, RunSummary, Usage } from '@agent/core';

/** The `runs` columns a summary is read from, in the order {@link summaryFromRow} expects. */
export const SUMMARY_COLUMNS =
  'run_id, agent, tenant, status, started_at, ended_at, usage, event_count, missing_events, error_code';

/** One `runs` row as libsql returns it in raw (array) mode, so no driver metadata rides along. */
export type SummaryRow = [
  runId: string,
  agent: string,
  tenant: string | null,
  status: string,
  startedAt: number,
  endedAt: number | null,
  usage: string,
  eventCount: number,
  missingEvents: number,
  errorCode: string | null,
];

/** A `RunSummary` from a row, leaving out the optional fields the row has as NULL (or 0 missing). */
export function summaryFromRow(row: SummaryRow): RunSummary {
  const [runId, agent, tenant, status, startedAt, endedAt, usage, eventCount, missingEvents, errorCode] = row;
  return {
    runId,
    agent,
    ...(tenant !== null ? { tenant } : {}),
    status: status as RunStatus,
    startedAt,
    ...(endedAt !== null ? { endedAt } : {}),
    usage: JSON.parse(usage) as Usage,
    eventCount,
    ...(missingEvents > 0 ? { missingEvents } : {}),
    ...(errorCode !== null ? { errorCode } : {}),
  };
}

/** The parameters of the runs upsert, in column order: the summary plus the next expected seq. */
export function rowFromSummary(summary: RunSummary, nextSeq: number): unknown[] {
  return [
    summary.runId,
    summary.agent,
    summary.tenant ?? null,
    summary.status,
    summary.startedAt,
    summary.endedAt ?? null,
    JSON.stringify(summary.usage),
    summary.eventCount,
    summary.missingEvents ?? 0,
    summary.errorCode ?? null,
    nextSeq,
  ];
}
