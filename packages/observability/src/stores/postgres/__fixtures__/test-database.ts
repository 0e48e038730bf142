import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { PostgresEventStore } from '../postgres-event-store.js';
import type { PostgresEventStoreCommonOptions } from '../postgres-event-store-options.js';

// The real PostgreSQL the tests run against. CI starts one; the tests fail (never skip) without it.

/** The database tests use: `AGENT_TEST_POSTGRES_URL`, or a local trust-auth PostgreSQL. */
export const TEST_POSTGRES_URL =
  process.env.AGENT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Connects a plain client, failing with how to start PostgreSQL when it is not reachable. */
export async function connectAdmin(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${(error as Error).message}). These tests need a real PostgreSQL 15: start one with ` +
        '`docker run --rm -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:15`, ' +
        'or set AGENT_TEST_POSTGRES_URL to a database where the user may create schemas.',
      { cause: error },
    );
  }
  return client;
}

/** Store options without the connection, which the harness fills in. */
export type TestStoreOptions = PostgresEventStoreCommonOptions & {
  pool?: pg.Pool;
  connectionString?: string;
};

/**
 * Registers the file's hooks: one admin connection, uniquely named schemas (dropped after the
 * file, so parallel runs never collide) and stores and pools closed after each test.
 */
export function useTestDatabase(prefix: string) {
  let admin: pg.Client | undefined;
  const schemas: string[] = [];
  const stores: PostgresEventStore[] = [];
  const pools: pg.Pool[] = [];

  beforeAll(async () => {
    admin = await connectAdmin();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
  });
  afterAll(async () => {
    if (!admin) return;
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  const database = {
    /** The URL of the test database. */
    connectionString: TEST_POSTGRES_URL,
    /** The admin client, for arranging and inspecting the database directly. */
    get admin(): pg.Client {
      if (!admin) throw new Error('The admin connection is opened in beforeAll; use it inside a test.');
      return admin;
    },
    /** A schema name nobody uses yet, dropped after the file; the schema itself is not created. */
    schemaName(): string {
      const schema = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      schemas.push(schema);
      return schema;
    },
    /** A new, empty schema, dropped after the file. */
    async freshSchema(): Promise<string> {
      const schema = database.schemaName();
      await database.admin.query(`CREATE SCHEMA "${schema}"`);
      return schema;
    },
    /** A pool the test owns (ended after the test); stores given it must leave it open. */
    createPool(config: pg.PoolConfig = {}): pg.Pool {
      const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL, ...config });
      pool.on('error', () => {});
      pools.push(pool);
      return pool;
    },
    /** A store on the test database, closed after the test. */
    openStore(options: TestStoreOptions): PostgresEventStore {
      const store = new PostgresEventStore(
        (options.pool
          ? options
          : { connectionString: TEST_POSTGRES_URL, ...options }) as ConstructorParameters<
          typeof PostgresEventStore
        >[0],
      );
      stores.push(store);
      return store;
    },
  };
  return database;
}

/** A clock the test moves by hand. */
export function manualClock(time = 10_000) {
  const clock = { time, now: () => clock.time };
  return clock;
}
