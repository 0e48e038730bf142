import { ConfigError } from '@agent/core';
import type Database from 'libsql';

/**
 * Each migration takes the schema from version `index` to `index + 1`; append, never edit, so a
 * file written by any earlier release opens. The version lives in SQLite's `user_version`.
 */
const MIGRATIONS: readonly string[] = [
  // 1: runs with their summary columns, and events. Plain CREATE TABLE (no IF NOT EXISTS): a file
  // that already has a `runs` table of someone else's must fail loudly, not be written into.
  `
  CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    agent TEXT NOT NULL,
    tenant TEXT,
    status TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    usage TEXT NOT NULL,
    event_count INTEGER NOT NULL,
    missing_events INTEGER NOT NULL DEFAULT 0,
    error_code TEXT,
    next_seq INTEGER NOT NULL
  );
  CREATE TABLE events (
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  );
  CREATE INDEX runs_newest ON runs (started_at DESC, run_id DESC);
  CREATE INDEX runs_by_agent ON runs (agent, started_at DESC, run_id DESC);
  CREATE INDEX runs_by_tenant ON runs (tenant, started_at DESC, run_id DESC);
  CREATE INDEX runs_by_status ON runs (status, started_at DESC, run_id DESC);
  CREATE INDEX runs_ended ON runs (ended_at) WHERE ended_at IS NOT NULL;
  `,
];

/** The schema version this release writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the file's schema up to {@link SCHEMA_VERSION} in one transaction, so a crash halfway
 * leaves the previous version intact. A file from a newer release is refused rather than guessed at.
 */
export function migrateSchema(db: Database.Database, path: string): void {
  checkNotNewer(readUserVersion(db), path);
  if (readUserVersion(db) === SCHEMA_VERSION) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    // Read again under the write lock: another process may have migrated while we waited for it.
    const version = readUserVersion(db);
    checkNotNewer(version, path);
    for (const migration of MIGRATIONS.slice(version)) db.exec(migration);
    // PRAGMA takes no bound parameters; the version is an integer we computed.
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

function checkNotNewer(version: number, path: string): void {
  if (version > SCHEMA_VERSION) {
    throw new ConfigError(
      `SqliteEventStore file "${path}" has schema version ${version}, but this release of @agent/observability knows versions up to ${SCHEMA_VERSION}. Upgrade @agent/observability, or point path at another file.`,
    );
  }
}

/** The file's `user_version` (0 for a new file). */
export function readUserVersion(db: Database.Database): number {
  return Number(db.prepare('PRAGMA user_version').pluck().all()[0] ?? 0);
}
