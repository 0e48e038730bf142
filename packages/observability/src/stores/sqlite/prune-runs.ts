import { type RetentionPolicy, ValidationError } from '@agent/core';
import type Database from 'libsql';

/** The prepared statements of {@link pruneRuns}; prepared once per store. */
export interface PruneStatements {
  db: Database.Database;
  deleteEndedEvents: Database.Statement;
  deleteEndedRuns: Database.Statement;
  deleteSurplusEvents: Database.Statement;
  deleteSurplusRuns: Database.Statement;
}

// The runs past the newest `?`, in listRuns order. SQLite's LIMIT -1 means "no limit".
const SURPLUS_RUNS = 'SELECT run_id FROM runs ORDER BY started_at DESC, run_id DESC LIMIT -1 OFFSET ?';

/** Prepares the statements of {@link pruneRuns} on `db`. */
export function preparePruneStatements(db: Database.Database): PruneStatements {
  return {
    db,
    // `ended_at < ?` is NULL, so false, for running runs: they are never aged out.
    deleteEndedEvents: db.prepare(
      'DELETE FROM events WHERE run_id IN (SELECT run_id FROM runs WHERE ended_at < ?)',
    ),
    deleteEndedRuns: db.prepare('DELETE FROM runs WHERE ended_at < ?'),
    deleteSurplusEvents: db.prepare(`DELETE FROM events WHERE run_id IN (${SURPLUS_RUNS})`),
    deleteSurplusRuns: db.prepare(`DELETE FROM runs WHERE run_id IN (${SURPLUS_RUNS})`),
  };
}

/**
 * Deletes ended runs older than `maxAgeMs` before `now`, then all but the newest `maxRuns`, with
 * their events, in one transaction; returns the number of runs deleted.
 */
export function pruneRuns(statements: PruneStatements, policy: RetentionPolicy, now: number): number {
  const { maxAgeMs, maxRuns } = policy;
  if (maxAgeMs !== undefined && !(Number.isFinite(maxAgeMs) && maxAgeMs >= 0)) {
    throw new ValidationError(
      `prune maxAgeMs must be a number of milliseconds >= 0, got ${String(maxAgeMs)}.`,
    );
  }
  if (maxRuns !== undefined && !(Number.isSafeInteger(maxRuns) && maxRuns >= 0)) {
    throw new ValidationError(`prune maxRuns must be an integer >= 0, got ${String(maxRuns)}.`);
  }
  const { db } = statements;
  db.exec('BEGIN IMMEDIATE');
  try {
    let deleted = 0;
    if (maxAgeMs !== undefined) {
      const cutoff = now - maxAgeMs;
      statements.deleteEndedEvents.run([cutoff]);
      deleted += statements.deleteEndedRuns.run([cutoff]).changes;
    }
    if (maxRuns !== undefined) {
      statements.deleteSurplusEvents.run([maxRuns]);
      deleted += statements.deleteSurplusRuns.run([maxRuns]).changes;
    }
    db.exec('COMMIT');
    return deleted;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
