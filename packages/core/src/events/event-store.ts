import type { Usage } from '../model/language-model.js';
import type { AgentEvent, RunStatus } from './agent-event.js';

/** What a store knows about one run, kept up to date as its events are appended. */
export interface RunSummary {
  runId: string;
  agent: string;
  tenant?: string;
  status: RunStatus;
  /** When `run.started` happened (ms since epoch). */
  startedAt: number;
  /** When the run ended, if it has. */
  endedAt?: number;
  usage: Usage;
  /** Number of events stored for the run. */
  eventCount: number;
  /**
   * Events that never reached the store (seqs it skipped, e.g. dropped by a slow bus
   * subscriber). Absent when none are missing.
   */
  missingEvents?: number;
  /** The error code, for failed runs. */
  errorCode?: string;
}

/** Filters and pagination of {@link EventStore.listRuns}. */
export interface ListRunsQuery {
  agent?: string;
  tenant?: string;
  status?: RunStatus;
  /** Only runs started at or after this time (ms). */
  startedAfter?: number;
  /** Only runs started before this time (ms). */
  startedBefore?: number;
  /** Page size. @default 50 (at most 500) */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page of runs, newest first. */
export interface RunPage {
  runs: RunSummary[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** What to delete in {@link EventStore.prune}. */
export interface RetentionPolicy {
  /** Delete runs that ended longer ago than this (ms). */
  maxAgeMs?: number;
  /** Keep at most this many runs (the newest). */
  maxRuns?: number;
}

/**
 * Durable storage of run events. Core ships `MemoryEventStore`; `@agent/observability` adds
 * SQLite and Postgres stores, and all of them pass the same conformance suite.
 */
export interface EventStore {
  /**
   * Stores events (in seq order per run). Resolves once they are durable. Re-sent events are
   * ignored; a run whose seqs skip ahead is stored with the gap counted in `missingEvents`.
   */
  append(events: readonly AgentEvent[]): Promise<void>;
  /** Events of one run with `seq >= fromSeq`, in order. */
  readRun(runId: string, options?: { fromSeq?: number; limit?: number }): Promise<AgentEvent[]>;
  /** One run's summary, or `undefined`. */
  getRun(runId: string): Promise<RunSummary | undefined>;
  /** Runs, newest first, filtered and paginated by cursor. */
  listRuns(query?: ListRunsQuery): Promise<RunPage>;
  /** Applies a retention policy; resolves to the number of runs deleted. */
  prune(policy: RetentionPolicy): Promise<number>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
}
