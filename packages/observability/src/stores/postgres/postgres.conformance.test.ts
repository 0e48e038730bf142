import { describeEventStore } from '@agent/event-store-conformance';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { connectAdmin, TEST_POSTGRES_URL } from './__fixtures__/test-database.js';
import { PostgresEventStore } from './postgres-event-store.js';

// The shared EventStore suite, each store in a fresh schema named after the suite's location
// (unique per store and per run) and dropped after its test.

let admin: pg.Client | undefined;

beforeAll(async () => {
  // Fails the file, with how to start PostgreSQL, when it is not reachable.
  admin = await connectAdmin();
});

afterAll(async () => {
  await admin?.end();
});

describeEventStore(
  'PostgresEventStore',
  ({ clock, location }) =>
    new PostgresEventStore({ connectionString: TEST_POSTGRES_URL, schema: location, clock }),
  {
    persistent: true,
    async cleanup(location) {
      if (!admin) throw new Error('The admin connection was not opened; see the beforeAll failure.');
      await admin.query(`DROP SCHEMA IF EXISTS "${location}" CASCADE`);
    },
  },
);
