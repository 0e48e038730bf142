import { ConfigError } from '@agent/core';
import type { Pool } from 'pg';
import { withTransaction } from './transaction.js';

/** The newest schema version this code knows; the `event_store_schema_version` table records what is applied. */
export const SCHEMA_VERSION = 1;

/** DDL of each version, applied in order inside one locked transaction. `s` is the quoted schema. */
const MIGRATIONS: readonly { version: number; statements: (s: string) => string[] }[] = [
  {
    version: 1,
    statements: (s) => [
      // run_id sorts by bytes (COLLATE "C"), so listRuns' order and its cursor comparisons do not
      // depend on the database's locale. Times are float8 ms: any JS number round-trips exactly.
      `CREATE TABLE IF NOT EXISTS ${s}.runs (
        run_id text COLLATE "C" PRIMARY KEY,
        agent text NOT NULL,
        tenant text,
        status text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
        started_at double precision NOT NULL,
        ended_at double precision,
        usage jsonb NOT NULL,
        event_count bigint NOT NULL,
        missing_events bigint NOT NULL DEFAULT 0,
        error_code text,
        next_seq bigint NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS ${s}.events (
        run_id text COLLATE "C" NOT NULL REFERENCES ${s}.runs (run_id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        type text NOT NULL,
        "timestamp" double precision NOT NULL,
        body jsonb NOT NULL,
        PRIMARY KEY (run_id, seq)
      )`,
      // listRuns walks these newest first; each filter has its own so a filtered page stays an index range.
      `CREATE INDEX IF NOT EXISTS runs_newest_first_idx ON ${s}.runs (started_at DESC, run_id DESC)`,
      `CREATE INDEX IF NOT EXISTS runs_agent_idx ON ${s}.runs (agent, started_at DESC, run_id DESC)`,
      `CREATE INDEX IF NOT EXISTS runs_tenant_idx ON ${s}.runs (tenant, started_at DESC, run_id DESC)`,
      `CREATE INDEX IF NOT EXISTS runs_status_idx ON ${s}.runs (status, started_at DESC, run_id DESC)`,
      // prune({ maxAgeMs }) only ever looks at ended runs.
      `CREATE INDEX IF NOT EXISTS runs_ended_at_idx ON ${s}.runs (ended_at) WHERE ended_at IS NOT NULL`,
    ],
  },
];

/**
 * Creates the schema's tables and indexes, or brings them up to {@link SCHEMA_VERSION}.
 * Idempotent, and safe when several replicas start at once: a transaction-scoped advisory lock
 * keyed on the schema name serialises them, because concurrent `CREATE TABLE IF NOT EXISTS`
 * statements can still collide on PostgreSQL's catalog and fail.
 */
export async function migrateSchema(pool: Pool, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  await withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`@agent/observability:${schema}`]);
    // CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists,
    // so only ask for it when the schema is really missing.
    const existing = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (existing.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.event_store_schema_version (
        version integer PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    const result = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${s}.event_store_schema_version`,
    );
    const current = result.rows[0]?.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new ConfigError(
        `Schema "${schema}" holds event-store tables at version ${current}, newer than this @agent/observability understands (${SCHEMA_VERSION}). Upgrade @agent/observability on this replica, or point it at another schema.`,
      );
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      for (const statement of migration.statements(s)) await client.query(statement);
      await client.query(`INSERT INTO ${s}.event_store_schema_version (version) VALUES ($1)`, [
        migration.version,
      ]);
    }
  });
}

/** Double-quotes an identifier already checked to be safe, keeping its exact spelling and case. */
export function quoteIdentifier(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
