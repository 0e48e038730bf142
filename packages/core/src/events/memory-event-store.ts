import { AgentError } from '../errors/agent-error.js';
import { ConfigError, ValidationError } from '../errors/errors.js';
import { type Clock, systemClock } from '../util/clock.js';
import { type AgentEvent, isTerminalEvent } from './agent-event.js';
import type { EventStore, ListRunsQuery, RetentionPolicy, RunPage, RunSummary } from './event-store.js';
import {
  applyEventToSummary,
  compareRunsNewestFirst,
  decodeRunCursor,
  encodeRunCursor,
} from './run-summary.js';

/** Options of {@link MemoryEventStore}. */
export interface MemoryEventStoreOptions {
  /** Most runs held; past it the oldest-created runs are forgotten. @default 1000 */
  maxRuns?: number;
  /** Most events stored per run; later ones are counted and dropped, except the terminal event. @default 10_000 */
  maxEventsPerRun?: number;
  /** Source of "now" for `prune({ maxAgeMs })`. @default systemClock */
  clock?: Clock;
}

/** Most runs one `listRuns` page returns; larger limits are clamped to it. */
export const MAX_LIST_RUNS_LIMIT = 500;

interface RunRecord {
  summary: RunSummary;
  /** Stored events, ascending by seq (with holes where events were dropped). */
  events: AgentEvent[];
  /** The seq the next new event must have. */
  nextSeq: number;
}

/**
 * An `EventStore` held in this process: bounded in runs and in events per run, for tests, the
 * CLI and single-process servers. Events are kept by reference; treat them as immutable.
 *
 * @example
 * ```ts
 * const store = new MemoryEventStore({ maxRuns: 500 });
 * bus.subscribe((event) => store.append([event]));
 * const { runs } = await store.listRuns({ status: 'failed' });
 * ```
 */
export class MemoryEventStore implements EventStore {
  private readonly runs = new Map<string, RunRecord>();
  private readonly maxRuns: number;
  private readonly maxEventsPerRun: number;
  private readonly clock: Clock;
  private closed = false;
  private droppedEventCount = 0;
  private evictedRunCount = 0;

  constructor(options: MemoryEventStoreOptions = {}) {
    this.maxRuns = positiveInteger(options.maxRuns, 1000, 'maxRuns');
    this.maxEventsPerRun = positiveInteger(options.maxEventsPerRun, 10_000, 'maxEventsPerRun');
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Stores events in order. A seq already stored (or older than the newest stored) is ignored,
   * so re-sending a batch is safe. A seq that skips ahead is stored and the skipped events are
   * counted in the run's `missingEvents`: a bus drops events for a slow subscriber, and refusing
   * everything after a hole would lose the run's final state too. A malformed batch changes nothing.
   */
  async append(events: readonly AgentEvent[]): Promise<void> {
    this.assertOpen('append');
    // Validate the whole batch first so a bad event halfway through leaves the store unchanged.
    for (const event of events) {
      if (
        typeof event.runId !== 'string' ||
        event.runId === '' ||
        !Number.isSafeInteger(event.seq) ||
        event.seq < 0
      ) {
        throw new ValidationError(
          `Event "${event.type}" has an invalid runId or seq (runId ${JSON.stringify(event.runId)}, seq ${String(event.seq)}); both come from the runtime, which sets a non-empty runId and a seq >= 0.`,
        );
      }
    }
    for (const event of events) {
      const record = this.runs.get(event.runId);
      if (event.seq < (record?.nextSeq ?? 0)) continue;
      this.store(record, event);
    }
    // Evict after the batch, so a run created and continued in one batch is not split.
    for (const runId of this.runs.keys()) {
      if (this.runs.size <= this.maxRuns) break;
      this.runs.delete(runId);
      this.evictedRunCount++;
    }
  }

  /** Stored events of a run with `seq >= fromSeq`, at most `limit` of them; `[]` for an unknown run. */
  async readRun(runId: string, options: { fromSeq?: number; limit?: number } = {}): Promise<AgentEvent[]> {
    this.assertOpen('readRun');
    const fromSeq = options.fromSeq ?? 0;
    checkInteger(fromSeq, 0, 'readRun fromSeq');
    checkInteger(options.limit, 1, 'readRun limit');
    const events = this.runs.get(runId)?.events ?? [];
    // Binary search: seqs ascend but may have holes where events were dropped.
    let low = 0;
    let high = events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((events[middle] as AgentEvent).seq < fromSeq) low = middle + 1;
      else high = middle;
    }
    return events.slice(low, options.limit === undefined ? undefined : low + options.limit);
  }

  /** A copy of one run's summary. */
  async getRun(runId: string): Promise<RunSummary | undefined> {
    this.assertOpen('getRun');
    const summary = this.runs.get(runId)?.summary;
    return summary && copySummary(summary);
  }

  /** Runs newest first, filtered, one page at a time. */
  async listRuns(query: ListRunsQuery = {}): Promise<RunPage> {
    this.assertOpen('listRuns');
    const limit = query.limit ?? 50;
    checkInteger(limit, 1, 'listRuns limit');
    const after = query.cursor === undefined ? undefined : decodeRunCursor(query.cursor);
    const matches: RunSummary[] = [];
    for (const { summary } of this.runs.values()) {
      if (matchesQuery(summary, query) && (!after || compareRunsNewestFirst(summary, after) > 0))
        matches.push(summary);
    }
    matches.sort(compareRunsNewestFirst);
    const pageSize = Math.min(limit, MAX_LIST_RUNS_LIMIT);
    const runs = matches.slice(0, pageSize).map(copySummary);
    const last = runs.at(-1);
    return matches.length > pageSize && last ? { runs, nextCursor: encodeRunCursor(last) } : { runs };
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
    let deleted = 0;
    if (maxAgeMs !== undefined) {
      const cutoff = this.clock.now() - maxAgeMs;
      for (const [runId, { summary }] of this.runs) {
        // Running runs are never aged out: their final state is still to come.
        if (summary.endedAt !== undefined && summary.endedAt < cutoff) {
          this.runs.delete(runId);
          deleted++;
        }
      }
    }
    if (maxRuns !== undefined && this.runs.size > maxRuns) {
      const newestFirst = [...this.runs.values()]
        .map((record) => record.summary)
        .sort(compareRunsNewestFirst);
      for (const summary of newestFirst.slice(maxRuns)) this.runs.delete(summary.runId);
      deleted += newestFirst.length - maxRuns;
    }
    return deleted;
  }

  /** Releases everything held; later calls reject. Closing twice is harmless. */
  async close(): Promise<void> {
    this.closed = true;
    this.runs.clear();
  }

  /** Counts for metrics: what is held, and what the bounds have dropped. */
  stats(): { runs: number; events: number; droppedEvents: number; evictedRuns: number } {
    let events = 0;
    for (const record of this.runs.values()) events += record.events.length;
    return {
      runs: this.runs.size,
      events,
      droppedEvents: this.droppedEventCount,
      evictedRuns: this.evictedRunCount,
    };
  }

  private store(record: RunRecord | undefined, event: AgentEvent): void {
    const stored = record?.events.length ?? 0;
    // The terminal event is kept past the cap: without it the run would look like it never ended.
    const keep =
      stored < this.maxEventsPerRun || (isTerminalEvent(event) && record?.summary.status === 'running');
    const summary = applyEventToSummary(record?.summary, event);
    const skipped = event.seq - (record?.nextSeq ?? 0);
    if (skipped > 0) summary.missingEvents = (summary.missingEvents ?? 0) + skipped;
    if (!keep) {
      summary.eventCount--;
      this.droppedEventCount++;
    }
    if (!record) {
      this.runs.set(event.runId, { summary, events: [event], nextSeq: event.seq + 1 });
      return;
    }
    record.summary = summary;
    record.nextSeq = event.seq + 1;
    if (keep) record.events.push(event);
  }

  private assertOpen(operation: string): void {
    if (this.closed) {
      throw new AgentError(
        'INTERNAL',
        `MemoryEventStore.${operation}() was called after close(). Create a new store, or stop using this one before closing it.`,
      );
    }
  }
}

function matchesQuery(summary: RunSummary, query: ListRunsQuery): boolean {
  return (
    (query.agent === undefined || summary.agent === query.agent) &&
    (query.tenant === undefined || summary.tenant === query.tenant) &&
    (query.status === undefined || summary.status === query.status) &&
    (query.startedAfter === undefined || summary.startedAt >= query.startedAfter) &&
    (query.startedBefore === undefined || summary.startedAt < query.startedBefore)
  );
}

function copySummary(summary: RunSummary): RunSummary {
  return { ...summary, usage: { ...summary.usage } };
}

function checkInteger(value: number | undefined, minimum: number, name: string): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= minimum)) {
    throw new ValidationError(`${name} must be an integer >= ${minimum}, got ${String(value)}.`);
  }
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(
      `MemoryEventStore ${name} must be a positive integer, got ${String(value)}. Pass a whole number >= 1, or omit it.`,
    );
  }
  return value;
}
