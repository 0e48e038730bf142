import type Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirectory } from './__fixtures__/temp-files.js';
import { openDatabase } from './open-database.js';
import { resolveSqliteOptions, type SqliteEventStoreOptions } from './sqlite-event-store-options.js';

const { fileIn } = useTempDirectory('sqlite-open-');
const opened: Database.Database[] = [];

function open(options: Partial<SqliteEventStoreOptions> = {}): Database.Database {
  const db = openDatabase(resolveSqliteOptions({ path: fileIn(`open-${opened.length}.db`), ...options }));
  opened.push(db);
  return db;
}

const pragma = (db: Database.Database, name: string) => db.prepare(`PRAGMA ${name}`).pluck().all()[0];

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('openDatabase', () => {
  it('sets synchronous FULL by default, so a resolved append survives a power loss', () => {
    expect(pragma(open(), 'synchronous')).toBe(2);
  });

  it('sets synchronous NORMAL when asked, trading the last commits on power loss for speed', () => {
    expect(pragma(open({ synchronous: 'normal' }), 'synchronous')).toBe(1);
  });

  it('sets the busy timeout, 5 s by default', () => {
    expect(pragma(open(), 'busy_timeout')).toBe(5_000);
    expect(pragma(open({ busyTimeoutMs: 250 }), 'busy_timeout')).toBe(250);
  });

  it('uses WAL for a file and accepts the memory journal of ":memory:"', () => {
    expect(pragma(open(), 'journal_mode')).toBe('wal');
    expect(pragma(open({ path: ':memory:' }), 'journal_mode')).toBe('memory');
  });

  it('creates the tables and indexes of the current schema once, even when opened twice', () => {
    const path = fileIn('twice.db');
    open({ path }).close();
    opened.pop();

    const db = open({ path });

    const names = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all();
    expect(names).toEqual([
      'events',
      'runs',
      'runs_by_agent',
      'runs_by_status',
      'runs_by_tenant',
      'runs_ended',
      'runs_newest',
    ]);
    expect(pragma(db, 'user_version')).toBe(1);
  });
});
