import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AgentError, ConfigError } from '@agent/core';
import Database from 'libsql';
import { migrateSchema } from './schema.js';
import type { ResolvedSqliteEventStoreOptions } from './sqlite-event-store-options.js';

/** True when `path` is SQLite's name for a database held in memory. */
export const isMemoryPath = (path: string): boolean => path === ':memory:';

/**
 * Opens (creating if needed) the store's database: parent directories, WAL journal, the chosen
 * `synchronous` level, busy timeout and the schema. Any failure becomes a `ConfigError` that names
 * the file and says what to check, since it is almost always the path or its permissions.
 */
export function openDatabase(options: ResolvedSqliteEventStoreOptions): Database.Database {
  const { path } = options;
  const memory = isMemoryPath(path);
  if (!memory) {
    try {
      mkdirSync(dirname(resolve(path)), { recursive: true });
    } catch (error) {
      throw new ConfigError(
        `SqliteEventStore could not create the directory of "${path}" (${messageOf(error)}). Create it, make it writable, or choose another path.`,
        { cause: error },
      );
    }
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs });
    db.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMs}`);
    // WAL lets readers run while a batch commits, and makes each commit one sequential write.
    const mode = db.prepare('PRAGMA journal_mode = WAL').pluck().all()[0];
    if (!memory && mode !== 'wal') {
      throw new Error(`the file stayed in journal mode "${String(mode)}" instead of WAL`);
    }
    db.exec(`PRAGMA synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    migrateSchema(db, path);
    return db;
  } catch (error) {
    closeQuietly(db);
    if (AgentError.isInstance(error)) throw error;
    throw new ConfigError(
      `SqliteEventStore could not open "${path}" as its database (${messageOf(error)}). Check that the path is a file (not a directory) in a writable directory on a local disk, and that it is a SQLite file written by this store; or choose another path.`,
      { cause: error },
    );
  }
}

function closeQuietly(db: Database.Database | undefined): void {
  try {
    db?.close();
  } catch {
    // Already failing to open; the original error is the one worth reporting.
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
