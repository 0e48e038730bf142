import {
  AgentError,
  type AgentEvent,
  type EventStore,
  encodeRunCursor,
  type ListRunsQuery,
  type RetentionPolicy,
  type RunPage,
  type RunSummary,
  ValidationError,
} from '@agent/core';
import type Database from 'libsql';
import { buildListRunsSql } from './list-runs-query.js';
import { openDatabase } from './open-database.js';
import { type PruneStatements, preparePruneStatements, pruneRuns } from './prune-runs.js';
import { SUMMARY_COLUMNS, type SummaryRow, summaryFromRow } from './run-rows.js';
import { type SerializedEvent, serializeEvents } from './serialize-events.js';
import {
  type ResolvedSqliteEventStoreOptions,
  resolveSqliteOptions,
  type SqliteEventStoreOptions,
} from './sqlite-event-store-options.js';
import { prepareWriteStatements, type WriteStatements, writeBatch } from './write-batch.js';

interface PendingAppend {
  events: SerializedEvent[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * An `EventStore` in one SQLite file (WAL mode), for single-node servers and the CLI. Appends
 * made in the same turn of the event loop are written together in one transaction, and each
 * append resolves once that transaction has committed (durably, with the default
 * `synchronous: 'full'`). Summaries are derived with core's `applyEventToSummary`, like every store.
 * Reads and `prune` first write what is queued, so they see every append made before them.
 *
 * @example
 * ```ts
 * const store = new SqliteEventStore({ path: './data/events.db', retention: { maxAgeMs: 30 * 86_400_000 } });
 * bus.subscribe((event) => store.append([event]));
 * const { runs } = await store.listRuns({ status: 'failed' });
 * await store.close();
 * ```
 */
export class SqliteEventStore implements EventStore {
  private readonly options: ResolvedSqliteEventStoreOptions;
  private readonly db: Database.Database;
  private readonly writes: WriteStatements;
  private readonly prunes: PruneStatements;
  private readonly selectEvents: Database.Statement;
  private readonly selectSummary: Database.Statement;
  // listRuns SQL varies only with which filters are set: a handful of shapes, each prepared once.
  private readonly listStatements = new Map<string, Database.Statement>();
  private queue: PendingAppend[] = [];
  private queuedEvents = 0;
  private scheduledFlush: NodeJS.Immediate | undefined;
  private readonly retentionTimer: NodeJS.Timeout | undefined;
  private closed = false;

  /** Opens (creating and migrating if needed) the file; throws a `ConfigError` naming it if it cannot. */
  constructor(options: SqliteEventStoreOptions) {
    this.options = resolveSqliteOptions(options);
    this.db = openDatabase(this.options);
    this.writes = prepareWriteStatements(this.db);
    this.prunes = preparePruneStatements(this.db);
    this.selectEvents = this.db
      .prepare('SELECT body FROM events WHERE run_id = ? AND seq >= ? ORDER BY seq LIMIT ?')
      .pluck();
    this.selectSummary = this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM runs WHERE run_id = ?`).raw();
    const retention = this.options.retention;
    if (retention !== undefined) {
      const policy: RetentionPolicy = {
        ...(retention.maxAgeMs !== undefined ? { maxAgeMs: retention.maxAgeMs } : {}),
        ...(retention.maxRuns !== undefined ? { maxRuns: retention.maxRuns } : {}),
      };
      this.retentionTimer = setInterval(() => this.pruneOnTimer(policy), retention.intervalMs);
      // Retention is housekeeping: it must not keep a process alive that has nothing else to do.
      this.retentionTimer.unref();
    }
  }

  /** The file this store writes, as given in `options.path`. */
  get path(): string {
    return this.options.path;
  }

  /**
   * Queues events to be written with the other appends of this turn of the event loop, and
   * resolves once their transaction has committed. Re-sent events (a seq already passed) are
   * ignored; a seq that skips ahead is stored and the gap counted in `missingEvents`. A malformed
   * event rejects this append with a `ValidationError` and never affects the others in the batch.
   */
  async append(events: readonly AgentEvent[]): Promise<void> {
    this.assertOpen('append');
    const serialized = serializeEvents(events);
    if (serialized.length === 0) return;
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ events: serialized, resolve, reject });
      this.queuedEvents += serialized.length;
      if (this.queuedEvents >= this.options.maxBatchEvents) this.flush();
      else this.scheduledFlush ??= setImmediate(() => this.flush());
    });
  }

  /** Stored events of a run with `seq >= fromSeq`, at most `limit` of them; `[]` for an unknown run. */
  async readRun(runId: string, options: { fromSeq?: number; limit?: number } = {}): Promise<AgentEvent[]> {
    this.assertOpen('readRun');
    const fromSeq = options.fromSeq ?? 0;
    checkInteger(fromSeq, 0, 'readRun fromSeq');
    checkInteger(options.limit, 1, 'readRun limit');
    this.flush();
    const bodies = this.run('readRun', () => this.selectEvents.all([runId, fromSeq, options.limit ?? -1]));
    return (bodies as string[]).map((body) => JSON.parse(body) as AgentEvent);
  }

  /** One run's summary, or `undefined`. */
  async getRun(runId: string): Promise<RunSummary | undefined> {
    this.assertOpen('getRun');
    this.flush();
    const [row] = this.run('getRun', () => this.selectSummary.all([runId])) as SummaryRow[];
    return row && summaryFromRow(row);
  }

  /** Runs newest first (startedAt, then runId, descending), filtered, one page at a time. */
  async listRuns(query: ListRunsQuery = {}): Promise<RunPage> {
    this.assertOpen('listRuns');
    const { sql, parameters, pageSize } = buildListRunsSql(query);
    this.flush();
    const rows = this.run('listRuns', () => this.listStatement(sql).all(parameters)) as SummaryRow[];
    const runs = rows.slice(0, pageSize).map(summaryFromRow);
    const last = runs.at(-1);
    return rows.length > pageSize && last ? { runs, nextCursor: encodeRunCursor(last) } : { runs };
  }

  /** Deletes ended runs older than `maxAgeMs`, then all but the newest `maxRuns`; resolves to the count. */
  async prune(policy: RetentionPolicy): Promise<number> {
    this.assertOpen('prune');
    this.flush();
    // Read outside `run`: a failing clock is not a database problem and must not be reported as one.
    const now = this.options.clock.now();
    return this.run('prune', () => pruneRuns(this.prunes, policy, now));
  }

  /** Writes what is queued, stops retention and closes the file; later calls reject. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    clearInterval(this.retentionTimer);
    this.db.close();
  }

  /**
   * Writes every queued append in one transaction and settles their promises. If that batch
   * fails, each append is retried alone, so one append the database refuses (say, a payload
   * field it cannot bind) rejects by itself instead of taking its neighbours down with it.
   */
  private flush(): void {
    if (this.scheduledFlush !== undefined) {
      clearImmediate(this.scheduledFlush);
      this.scheduledFlush = undefined;
    }
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.queuedEvents = 0;
    try {
      writeBatch(
        this.writes,
        batch.map((pending) => pending.events),
      );
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(this.writeError(error, batch[0].events.length));
        return;
      }
      for (const pending of batch) {
        try {
          writeBatch(this.writes, [pending.events]);
          pending.resolve();
        } catch (alone) {
          pending.reject(this.writeError(alone, pending.events.length));
        }
      }
      return;
    }
    for (const pending of batch) pending.resolve();
  }

  private pruneOnTimer(policy: RetentionPolicy): void {
    this.prune(policy).catch((error: unknown) => {
      try {
        this.options.onRetentionError(error);
      } catch {
        // A throwing error handler must not become an unhandled rejection that kills the process.
      }
    });
  }

  private listStatement(sql: string): Database.Statement {
    let statement = this.listStatements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql).raw();
      this.listStatements.set(sql, statement);
    }
    return statement;
  }

  /** Runs a query, turning a driver error into an `AgentError` that names the file. */
  private run<T>(operation: string, query: () => T): T {
    try {
      return query();
    } catch (error) {
      if (AgentError.isInstance(error)) throw error;
      throw new AgentError(
        'INTERNAL',
        `SqliteEventStore.${operation}() failed on "${this.options.path}": ${messageOf(error)}. Check the file and its disk; the store may need reopening.`,
        { cause: error },
      );
    }
  }

  private writeError(error: unknown, eventCount: number): AgentError {
    const busy = (error as { code?: unknown }).code === 'SQLITE_BUSY';
    return new AgentError(
      'INTERNAL',
      `SqliteEventStore could not write ${eventCount} events to "${this.options.path}": ${messageOf(error)}. Nothing of this append was stored; ${busy ? 'another process held the write lock past busyTimeoutMs, so retrying later may succeed' : 'check the disk (space, permissions) and retry the append'}.`,
      { cause: error, retryable: busy },
    );
  }

  private assertOpen(operation: string): void {
    if (this.closed) {
      throw new AgentError(
        'INTERNAL',
        `SqliteEventStore.${operation}() was called after close(). Open a new store on "${this.options.path}", or stop using this one before closing it.`,
      );
    }
  }
}

function checkInteger(value: number | undefined, minimum: number, name: string): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= minimum)) {
    throw new ValidationError(`${name} must be an integer >= ${minimum}, got ${String(value)}.`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
