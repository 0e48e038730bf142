import { type Clock, ConfigError, systemClock } from '@agent/core';

/** Periodic pruning of a {@link SqliteEventStore}, on a timer that does not keep the process alive. */
export interface SqliteRetentionOptions {
  /** Delete runs that ended longer ago than this (ms). Running runs are never aged out. */
  maxAgeMs?: number;
  /** Keep at most this many runs (the newest). */
  maxRuns?: number;
  /** How often to prune (ms). @default 600_000 (10 minutes) */
  intervalMs?: number;
}

/** Options of {@link SqliteEventStore}. */
export interface SqliteEventStoreOptions {
  /**
   * The database file, created with its parent directories if missing. `':memory:'` keeps
   * everything in this process (tests); the data is then gone on `close()`.
   */
  path: string;
  /**
   * How hard each commit waits for the disk. `'full'` makes a resolved `append` survive a power
   * loss, as the `EventStore` contract promises. `'normal'` is faster (in WAL mode a commit skips
   * its fsync) and still survives a crash of the process, but the last commits before a power
   * loss or OS crash may be lost.
   * @default 'full'
   */
  synchronous?: 'full' | 'normal';
  /** How long a write waits for another connection's lock before failing (ms). @default 5_000 */
  busyTimeoutMs?: number;
  /**
   * Appends queued together are written in one transaction; once the queue holds this many
   * events it is written at once instead of on the next turn of the event loop. One append is
   * never split, so a batch may exceed this by the events of its last append.
   * @default 500
   */
  maxBatchEvents?: number;
  /** Prune periodically with this policy. @default no periodic pruning */
  retention?: SqliteRetentionOptions;
  /** Called when a periodic prune fails; the next interval tries again. @default ignores the error */
  onRetentionError?: (error: unknown) => void;
  /** Source of "now" for `prune({ maxAgeMs })` and retention. @default systemClock */
  clock?: Clock;
}

/** The options after validation, with defaults filled in. */
export interface ResolvedSqliteEventStoreOptions {
  path: string;
  synchronous: 'full' | 'normal';
  busyTimeoutMs: number;
  maxBatchEvents: number;
  retention: (SqliteRetentionOptions & { intervalMs: number }) | undefined;
  onRetentionError: (error: unknown) => void;
  clock: Clock;
}

// setInterval cannot wait longer than this (about 24.8 days).
const MAX_INTERVAL_MS = 2 ** 31 - 1;

/** Checks options, throwing a `ConfigError` that names the bad one and says what to pass. */
export function resolveSqliteOptions(options: SqliteEventStoreOptions): ResolvedSqliteEventStoreOptions {
  const { path } = options;
  if (typeof path !== 'string' || path.trim() === '') {
    throw configError(
      `path must be a file path such as "./data/events.db" (or ":memory:" for tests), got ${JSON.stringify(path)}.`,
    );
  }
  const synchronous = options.synchronous ?? 'full';
  if (synchronous !== 'full' && synchronous !== 'normal') {
    throw configError(`synchronous must be "full" or "normal", got ${JSON.stringify(synchronous)}.`);
  }
  const retention = options.retention;
  if (retention !== undefined) {
    if (retention.maxAgeMs === undefined && retention.maxRuns === undefined) {
      throw configError(
        'retention needs maxAgeMs, maxRuns or both; omit retention to never prune on a timer.',
      );
    }
    if (
      retention.maxAgeMs !== undefined &&
      !(Number.isFinite(retention.maxAgeMs) && retention.maxAgeMs >= 0)
    ) {
      throw configError(
        `retention.maxAgeMs must be a number of milliseconds >= 0, got ${String(retention.maxAgeMs)}.`,
      );
    }
    integerOption(retention.maxRuns, 0, 0, 'retention.maxRuns');
  }
  return {
    path,
    synchronous,
    busyTimeoutMs: integerOption(options.busyTimeoutMs, 5_000, 0, 'busyTimeoutMs'),
    maxBatchEvents: integerOption(options.maxBatchEvents, 500, 1, 'maxBatchEvents'),
    retention:
      retention === undefined
        ? undefined
        : {
            ...retention,
            intervalMs: integerOption(
              retention.intervalMs,
              600_000,
              1,
              'retention.intervalMs',
              MAX_INTERVAL_MS,
            ),
          },
    onRetentionError: options.onRetentionError ?? (() => {}),
    clock: options.clock ?? systemClock,
  };
}

function integerOption(
  value: number | undefined,
  fallback: number,
  minimum: number,
  name: string,
  maximum = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < minimum || value > maximum) {
    throw configError(
      `${name} must be a whole number from ${minimum} to ${maximum}, got ${String(value)}. Pass one in range, or omit it.`,
    );
  }
  return value;
}

function configError(message: string): ConfigError {
  return new ConfigError(`SqliteEventStore ${message}`);
}
