import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStore } from '@agent/event-store-conformance';
import { afterAll } from 'vitest';
import { SqliteEventStore } from './sqlite-event-store.js';

// One temp directory for the file; each check gets its own database file in it, named by location.
const directory = mkdtempSync(join(tmpdir(), 'sqlite-event-store-'));
const fileOf = (location: string) => join(directory, `${location}.db`);

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describeEventStore(
  'SqliteEventStore',
  ({ clock, location }) => new SqliteEventStore({ path: fileOf(location), clock }),
  {
    persistent: true,
    cleanup: (location) => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${fileOf(location)}${suffix}`, { force: true });
    },
  },
);

// The same contract for ':memory:' (tests use it); persistence does not apply there.
describeEventStore(
  'SqliteEventStore in memory',
  ({ clock }) => new SqliteEventStore({ path: ':memory:', clock }),
);
