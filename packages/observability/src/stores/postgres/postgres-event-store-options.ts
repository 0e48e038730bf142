import { type Clock, ConfigError, systemClock } from '@agent/core';
import type { Pool } from 'pg';

/** Periodic pruning of a {@link PostgresEventStore}, on a timer that does not keep the process alive. */
export interface PostgresRetentionOptions {
  /** Delete runs that ended longer ago than this (ms). Running runs are never aged out. */
  maxAgeMs?: number;
  /** Keep at most this many runs (the newest). */
  maxRuns?: number;
  /** How often to prune (ms). @default 600_000 (10 minutes) */
  intervalMs?: number;
}

/** Options every {@link PostgresEventStore} takes, however it connects. */
export interface PostgresEventStoreCommonOptions {
  /**
   * The PostgreSQL schema holding the store's tables, created on first use if missing. Letters,
   * digits and underscores, not starting with a digit; used exactly as spelled (case included).
   * @default 'public'
   */
  schema?: string;
  /**
   * Most events written in one transaction. Appends queued while a write is in flight are
   * written together, up to this many events; one append larger than this still goes whole.
   * @default 500
   */
  maxBatchEvents?: number;
  /** Prune periodically with this policy. @default no periodic pruning */
  retention?: PostgresRetentionOptions;
  /** Called when a periodic prune fails; the next interval tries again. @default ignores the error */
  onRetentionError?: (error: unknown) => void;
  /** Source of "now" for `prune({ maxAgeMs })` and retention. @default systemClock */
  clock?: Clock;
}

/**
 * Options of {@link PostgresEventStore}: a `connectionString` (the store creates a pg.Pool with
 * pg's defaults, a 10 s connect timeout, and ends it on `close()`), or a `pool` you configure and
 * own, which `close()` leaves open. Attach an `'error'` listener to a pool you pass: pg.Pool
 * emits one when an idle connection dies, and an unhandled one crashes the process.
 */
export type PostgresEventStoreOptions = PostgresEventStoreCommonOptions &
  ({ connectionString: string; pool?: never } | { pool: Pool; connectionString?: never });

/** The options after validation, with defaults filled in. */
export interface ResolvedPostgresEventStoreOptions {
  schema: string;
  maxBatchEvents: number;
  retention: (PostgresRetentionOptions & { intervalMs: number }) | undefined;
  onRetentionError: (error: unknown) => void;
  clock: Clock;
}

// Unquoted-identifier characters only, within PostgreSQL's 63-byte name limit: nothing that
// could change the meaning of the SQL the name is spliced into.
const SAFE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
// setInterval cannot wait longer than this (about 24.8 days).
const MAX_INTERVAL_MS = 2 ** 31 - 1;

/** Checks options, throwing a `ConfigError` that names the bad one and says what to pass. */
export function resolveOptions(options: PostgresEventStoreOptions): ResolvedPostgresEventStoreOptions {
  const hasString = options.connectionString !== undefined;
  const hasPool = options.pool !== undefined;
  if (hasString === hasPool) {
    throw configError(
      hasString
        ? 'got both a connectionString and a pool. Pass one: a connectionString to let the store own its pool, or a pool you manage.'
        : 'needs a connectionString (e.g. "postgres://user@host:5432/db") or a pg.Pool.',
    );
  }
  if (hasString && (typeof options.connectionString !== 'string' || options.connectionString === '')) {
    throw configError('connectionString must be a non-empty string such as "postgres://user@host:5432/db".');
  }
  const schema = options.schema ?? 'public';
  if (typeof schema !== 'string' || !SAFE_IDENTIFIER.test(schema)) {
    throw configError(
      `schema ${JSON.stringify(schema)} is not a safe identifier. Use 1-63 letters, digits and underscores, not starting with a digit (e.g. "agent_events").`,
    );
  }
  if (schema.startsWith('pg_') || schema === 'information_schema') {
    throw configError(
      `schema "${schema}" is reserved for PostgreSQL's system catalogs. Pick another name (e.g. "agent_events"), or omit it to use "public".`,
    );
  }
  return {
    schema,
    maxBatchEvents: integerOption(options.maxBatchEvents, 500, 1, Number.MAX_SAFE_INTEGER, 'maxBatchEvents'),
    retention: options.retention && resolveRetention(options.retention),
    onRetentionError: options.onRetentionError ?? (() => {}),
    clock: options.clock ?? systemClock,
  };
}

function resolveRetention(
  retention: PostgresRetentionOptions,
): PostgresRetentionOptions & { intervalMs: number } {
  const { maxAgeMs, maxRuns } = retention;
  if (maxAgeMs === undefined && maxRuns === undefined) {
    throw configError(
      'retention needs maxAgeMs, maxRuns or both; omit retention to never prune periodically.',
    );
  }
  if (maxAgeMs !== undefined && !(Number.isFinite(maxAgeMs) && maxAgeMs >= 0)) {
    throw configError(`retention.maxAgeMs must be a number of milliseconds >= 0, got ${String(maxAgeMs)}.`);
  }
  return {
    ...(maxAgeMs !== undefined ? { maxAgeMs } : {}),
    ...(maxRuns !== undefined
      ? { maxRuns: integerOption(maxRuns, 0, 0, Number.MAX_SAFE_INTEGER, 'retention.maxRuns') }
      : {}),
    intervalMs: integerOption(retention.intervalMs, 600_000, 1, MAX_INTERVAL_MS, 'retention.intervalMs'),
  };
}

function integerOption(
  value: number | undefined,
  fallback: number,
  minimum: number,
  maximum: number,
  name: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < minimum || value > maximum) {
    throw configError(
      `${name} must be an integer from ${minimum} to ${maximum}, got ${String(value)}. Pass a whole number in that range, or omit it.`,
    );
  }
  return value;
}

function configError(problem: string): ConfigError {
  return new ConfigError(`PostgresEventStore ${problem}`);
}
