import { applyEventToSummary, type RunSummary } from '@agent/core';
import type Database from 'libsql';
import { rowFromSummary, SUMMARY_COLUMNS, type SummaryRow, summaryFromRow } from './run-rows.js';
import type { SerializedEvent } from './serialize-events.js';

/** The prepared statements one batch write uses; prepared once per store. */
export interface WriteStatements {
  db: Database.Database;
  selectRun: Database.Statement;
  insertEvent: Database.Statement;
  upsertRun: Database.Statement;
}

/** Prepares the statements of {@link writeBatch} on `db`. */
export function prepareWriteStatements(db: Database.Database): WriteStatements {
  return {
    db,
    selectRun: db.prepare(`SELECT ${SUMMARY_COLUMNS}, next_seq FROM runs WHERE run_id = ?`).raw(),
    insertEvent: db.prepare('INSERT INTO events (run_id, seq, type, timestamp, body) VALUES (?, ?, ?, ?, ?)'),
    upsertRun: db.prepare(
      `INSERT INTO runs (${SUMMARY_COLUMNS}, next_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET
         agent = excluded.agent, tenant = excluded.tenant, status = excluded.status,
         started_at = excluded.started_at, ended_at = excluded.ended_at, usage = excluded.usage,
         event_count = excluded.event_count, missing_events = excluded.missing_events,
         error_code = excluded.error_code, next_seq = excluded.next_seq`,
    ),
  };
}

interface RunState {
  summary: RunSummary | undefined;
  /** The seq the next new event must have; lower ones are re-sends and are skipped. */
  nextSeq: number;
  changed: boolean;
}

/**
 * Writes the events of several appends, in order, in ONE transaction: each run's state is read
 * once, events below its next seq are skipped (re-sends), gaps are counted, and each changed
 * run's summary is written once at the end. Any error rolls the whole batch back.
 */
export function writeBatch(
  statements: WriteStatements,
  appends: readonly (readonly SerializedEvent[])[],
): void {
  const { db } = statements;
  // IMMEDIATE takes the write lock up front, so waiting for another writer happens here (within
  // the busy timeout) rather than failing halfway through the batch.
  db.exec('BEGIN IMMEDIATE');
  try {
    const runs = new Map<string, RunState>();
    for (const events of appends) {
      for (const { event, body } of events) {
        let state = runs.get(event.runId);
        if (state === undefined) {
          state = loadRun(statements, event.runId);
          runs.set(event.runId, state);
        }
        if (event.seq < state.nextSeq) continue;
        const summary = applyEventToSummary(state.summary, event);
        const skipped = event.seq - state.nextSeq;
        if (skipped > 0) summary.missingEvents = (summary.missingEvents ?? 0) + skipped;
        statements.insertEvent.run([event.runId, event.seq, event.type, event.timestamp, body]);
        state.summary = summary;
        state.nextSeq = event.seq + 1;
        state.changed = true;
      }
    }
    for (const state of runs.values()) {
      if (state.changed && state.summary)
        statements.upsertRun.run(rowFromSummary(state.summary, state.nextSeq));
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

function loadRun(statements: WriteStatements, runId: string): RunState {
  const row = statements.selectRun.all([runId])[0] as [...SummaryRow, number] | undefined;
  if (row === undefined) return { summary: undefined, nextSeq: 0, changed: false };
  return { summary: summaryFromRow(row.slice(0, 10) as SummaryRow), nextSeq: row[10], changed: false };
}
