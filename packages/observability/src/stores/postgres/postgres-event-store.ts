import {
  AgentError,
  type AgentEvent,
  decodeRunCursor,
  type EventStore,
  encodeRunCursor,
  type ListRunsQuery,
  type RetentionPolicy,
  type RunPage,
  type RunSummary,
  ValidationError,
} from '@agent/core';
import pg, { type Pool, type QueryResultRow } from 'pg';
import { type EventRow, eventFromRow, type PreparedEvent, prepareEvents } from './event-rows.js';
import { listRunsStatement } from './list-runs-query.js';
import { migrateSchema, quoteIdentifier } from './migrate-schema.js';
import { toStoreError } from './postgres-errors.js';
import {
  type PostgresEventStoreOptions,
  type ResolvedPostgresEventStoreOptions,
  resolveOptions,
} from './postgres-event-store-options.js';
import { pruneRuns } from './prune-runs.js';
import { RUN_COLUMNS, type RunRow, summaryFromRow } from './run-rows.js';
import { retryOnConnectionLoss, withTransaction } from './transaction.js';
import { writeBatch } from './write-batch.js';

/** Most runs one `listRuns` page returns, as in every core store; larger limits are clamped. */
const MAX_LIST_RUNS_LIMIT = 500;
/** How long the store's own pool waits for a new connection before failing the call. */
const CONNECTION_TIMEOUT_MS = 10_000;

interface QueuedAppend {
  events: PreparedEvent[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * An `EventStore` in PostgreSQL, for servers with several replicas or runs worth keeping. It
 * behaves as core's `MemoryEventStore` does (same ordering, idempotence, gaps, summaries and
 * cursors) and creates its tables on first use.
 *
 * Appends are batched: those made while a write is in flight are written together in the next
 * transaction, and each resolves once that transaction has committed.
 *
 * @example
 * ```ts
 * const store = new PostgresEventStore({
 *   connectionString: process.env.DATABASE_URL,
 *   schema: 'agent_events',
 *   retention: { maxAgeMs: 30 * 86_400_000 },
 * });
 * bus.subscribe((event) => store.append([event]));
 * const { runs } = await store.listRuns({ status: 'failed' });
 * await store.close();
 * ```
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly options: ResolvedPostgresEventStoreOptions;
  /** The schema, quoted for splicing into SQL. */
  private readonly schema: string;
  private readonly queue: QueuedAppend[] = [];
  private draining: Promise<void> | undefined;
  private migration: Promise<void> | undefined;
  private readonly retentionTimer: ReturnType<typeof setInterval> | undefined;
  private retentionRun: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: PostgresEventStoreOptions) {
    this.options = resolveOptions(options);
    this.schema = quoteIdentifier(this.options.schema);
    if (options.pool) {
      this.pool = options.pool;
      this.ownsPool = false;
    } else {
      this.pool = new pg.Pool({
        connectionString: options.connectionString,
        // Fail with a clear error rather than hang for minutes when the host does not answer.
        connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
        // Idle connections must not keep a process alive that forgot to call close().
        allowExitOnIdle: true,
      });
      this.ownsPool = true;
      // pg.Pool emits 'error' when an idle connection dies (e.g. a database restart), and an
      // unhandled 'error' would crash the process. The pool has already dropped that connection,
      // and the next call that needs one reports any lasting outage.
      this.pool.on('error', () => {});
    }
    const retention = this.options.retention;
    if (retention) {
      this.retentionTimer = setInterval(() => this.runRetention(), retention.intervalMs);
      // Retention is housekeeping: it must not keep a process alive that is otherwise done.
      this.retentionTimer.unref();
    }
  }

  /**
   * Queues events to be written in seq order per run, resolving once they are committed. A seq
   * already stored (or older than the newest stored) is ignored, so re-sending is safe; a seq
   * that skips ahead is stored and the skipped events are counted in the run's `missingEvents`.
   * A malformed batch is rejected with a `ValidationError` and changes nothing.
   */
  async append(events: readonly AgentEvent[]): Promise<void> {
    this.assertOpen('append');
    const prepared = prepareEvents(events);
    if (prepared.length === 0) return;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ events: prepared, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Stored events of a run with `seq >= fromSeq`, at most `limit` of them; `[]` for an unknown run. */
  async readRun(runId: string, options: { fromSeq?: number; limit?: number } = {}): Promise<AgentEvent[]> {
    this.assertOpen('readRun');
    const fromSeq = options.fromSeq ?? 0;
    checkInteger(fromSeq, 0, 'readRun fromSeq');
    checkInteger(options.limit, 1, 'readRun limit');
    const rows = await this.select<EventRow>(
      'readRun',
      `SELECT run_id, seq, type, "timestamp", body FROM ${this.schema}.events
       WHERE run_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
      [runId, fromSeq, options.limit ?? null],
    );
    return rows.map(eventFromRow);
  }

  /** One run's summary, or `undefined`. */
  async getRun(runId: string): Promise<RunSummary | undefined> {
    this.assertOpen('getRun');
    const rows = await this.select<RunRow>(
      'getRun',
      `SELECT ${RUN_COLUMNS} FROM ${this.schema}.runs WHERE run_id = $1 AND event_count > 0`,
      [runId],
    );
    return rows[0] && summaryFromRow(rows[0]);
  }

  /** Runs newest first (`startedAt`, then `runId`, descending), filtered, one page at a time. */
  async listRuns(query: ListRunsQuery = {}): Promise<RunPage> {
    this.assertOpen('listRuns');
    const limit = query.limit ?? 50;
    checkInteger(limit, 1, 'listRuns limit');
    const after = query.cursor === undefined ? undefined : decodeRunCursor(query.cursor);
    const pageSize = Math.min(limit, MAX_LIST_RUNS_LIMIT);
    const statement = listRunsStatement(this.schema, query, after, pageSize);
    const rows = await this.select<RunRow>('listRuns', statement.text, statement.values);
    const runs = rows.slice(0, pageSize).map(summaryFromRow);
    const last = runs.at(-1);
    return rows.length > pageSize && last ? { runs, nextCursor: encodeRunCursor(last) } : { runs };
  }

  /** Deletes ended runs older than `maxAgeMs`, then all but the newest `maxRuns`; resolves to the count. */
  async prune(policy: RetentionPolicy): Promise<number> {
    this.assertOpen('prune');
    const { maxAgeMs, maxRuns } = policy;
    if (maxAgeMs !== undefined && !(Number.isFinite(maxAgeMs) && maxAgeMs >= 0)) {
      throw new ValidationError(
        `prune maxAgeMs must be a number of milliseconds >= 0, got ${String(maxAgeMs)}.`,
      );
    }
    checkInteger(maxRuns, 0, 'prune maxRuns');
    try {
      await this.ensureSchema();
      const cutoff = maxAgeMs === undefined ? undefined : this.options.clock.now() - maxAgeMs;
      // Not retried: after a lost connection the deletions may have committed, and a retry
      // would then report a count of 0.
      return await withTransaction(this.pool, (client) =>
        pruneRuns(client, this.schema, { cutoff, maxRuns }),
      );
    } catch (error) {
      throw toStoreError(error, 'prune');
    }
  }

  /**
   * Writes queued appends, waits for a running retention prune, stops the retention timer and
   * ends the pool if the store created it (a pool passed in stays open). Later calls reject;
   * closing twice is harmless.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.retentionTimer);
    await this.draining;
    await this.retentionRun;
    if (this.ownsPool) await this.pool.end();
  }

  /**
   * Writes the queue one transaction at a time, so each run's events commit in append order.
   * Clears `draining` in the same synchronous step that finds the queue empty: a later append
   * then always starts a new drain instead of waiting on one that has finished.
   */
  private async drain(): Promise<void> {
    try {
      do {
        // Taking the batch only after this await lets appends made in the same tick join it.
        const schema = await this.ensureSchema().then(
          () => ({ ready: true as const }),
          (error: unknown) => ({ ready: false as const, error }),
        );
        const batch = this.takeBatch();
        try {
          if (!schema.ready) throw schema.error;
          const outcomes = await retryOnConnectionLoss(() =>
            withTransaction(this.pool, (client) =>
              writeBatch(
                client,
                this.schema,
                batch.map((append) => append.events),
              ),
            ),
          );
          batch.forEach((append, index) => {
            const refused = outcomes[index];
            if (refused) append.reject(refused);
            else append.resolve();
          });
        } catch (error) {
          const storeError = toStoreError(error, 'append');
          for (const append of batch) append.reject(storeError);
        }
      } while (this.queue.length > 0);
    } finally {
      this.draining = undefined;
    }
  }

  /** The next appends to write: whole appends, up to `maxBatchEvents` events (at least one append). */
  private takeBatch(): QueuedAppend[] {
    let events = 0;
    let count = 0;
    for (const append of this.queue) {
      if (count > 0 && events + append.events.length > this.options.maxBatchEvents) break;
      events += append.events.length;
      count++;
    }
    return this.queue.splice(0, count);
  }

  /** Creates or upgrades the tables once per store; a failed attempt is retried by the next call. */
  private ensureSchema(): Promise<void> {
    this.migration ??= retryOnConnectionLoss(() => migrateSchema(this.pool, this.options.schema)).catch(
      (error: unknown) => {
        this.migration = undefined;
        throw error;
      },
    );
    return this.migration;
  }

  private async select<TRow extends QueryResultRow>(
    operation: string,
    text: string,
    values: unknown[],
  ): Promise<TRow[]> {
    try {
      await this.ensureSchema();
      const result = await retryOnConnectionLoss(() => this.pool.query<TRow>(text, values));
      return result.rows;
    } catch (error) {
      throw toStoreError(error, operation);
    }
  }

  private runRetention(): void {
    const policy = this.options.retention;
    if (!policy || this.retentionRun || this.closing) return;
    this.retentionRun = this.prune(policy)
      .then(
        () => undefined,
        (error: unknown) => {
          try {
            this.options.onRetentionError(error);
          } catch {
            // A throwing error hook must not turn into an unhandled rejection.
          }
        },
      )
      .finally(() => {
        this.retentionRun = undefined;
      });
  }

  private assertOpen(operation: string): void {
    if (this.closing) {
      throw new AgentError(
        'INTERNAL',
        `PostgresEventStore.${operation}() was called after close(). Create a new store, or stop using this one before closing it.`,
      );
    }
  }
}

function checkInteger(value: number | undefined, minimum: number, name: string): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= minimum)) {
    throw new ValidationError(`${name} must be an integer >= ${minimum}, got ${String(value)}.`);
  }
}
