import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll } from 'vitest';

/**
 * A temp directory for this test file, removed after it; `fileIn(name)` is a path inside it.
 * Call at module level of a test file.
 */
export function useTempDirectory(prefix: string): { directory: string; fileIn(name: string): string } {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  return { directory, fileIn: (name) => join(directory, name) };
}

/** A second, independent connection to `path`, for looking at what the store has committed. */
export function peek(path: string): {
  count(sql: string, ...parameters: unknown[]): number;
  close(): void;
  db: Database.Database;
} {
  const db = new Database(path);
  return {
    db,
    count: (sql, ...parameters) => Number(db.prepare(sql).pluck().all(parameters)[0]),
    close: () => db.close(),
  };
}
