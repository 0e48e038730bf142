import {
  AgentError,
  type AgentEvent,
  applyEventToSummary,
  type Clock,
  decodeRunCursor,
  type EventStore,
  encodeRunCursor,
  type ListRunsQuery,
  type RetentionPolicy,
  type RunPage,
  type RunSummary,
  ValidationError,
} from '@agent/core';

/**
 * The one deliberate mistake a {@link FlawedEventStore} makes, each one a bug a real store could
 * ship; `none` makes it a correct store, which must pass the whole suite.
 */
export type Flaw =
  | 'none'
  | 'reversed-order'
  | 'no-dedupe'
  | 'gaps-not-counted'
  | 'partial-batch'
  | 'usage-not-replaced'
  | 'last-terminal-wins'
  | 'cursor-skips-ties'
  | 'offset-cursor'
  | 'unclamped-limit'
  | 'prunes-running'
  | 'usable-after-close'
  | 'forgets-on-close';

interface RunData {
  summary: RunSummary;
  events: AgentEvent[];
  nextSeq: number;
}

// "Disk" of the persistent mode: data by location, outliving the store objects.
const disk = new Map<string, Map<string, RunData>>();

/** Forgets what a persistent store kept at `location`. */
export function eraseLocation(location: string): void {
  disk.delete(location);
}

/**
 * A small second `EventStore` for the suite's self-test, written independently of
 * `MemoryEventStore`, with an optional {@link Flaw}. With `location`, its data outlives `close()`
 * (in a module-level map) so the persistence checks have something to check.
 */
export class FlawedEventStore implements EventStore {
  private readonly runs: Map<string, RunData>;
  private closed = false;

  constructor(
    private readonly flaw: Flaw,
    private readonly clock: Clock,
    private readonly location?: string,
  ) {
    const kept = location === undefined ? undefined : disk.get(location);
    this.runs = kept ?? new Map();
    if (location !== undefined) disk.set(location, this.runs);
  }

  async append(events: readonly AgentEvent[]): Promise<void> {
    this.open();
    if (this.flaw !== 'partial-batch') events.forEach(validate);
    for (const event of events) {
      if (this.flaw === 'partial-batch') validate(event);
      const run = this.runs.get(event.runId);
      const nextSeq = run?.nextSeq ?? 0;
      if (event.seq < nextSeq && this.flaw !== 'no-dedupe') continue;
      let summary = applyEventToSummary(run?.summary, event);
      if (this.flaw === 'usage-not-replaced' && run && event.type === 'run.completed') {
        summary.usage = { ...run.summary.usage };
      }
      if (this.flaw === 'last-terminal-wins' && run && run.summary.status !== 'running') {
        summary = applyEventToSummary(
          { ...run.summary, status: 'running', eventCount: run.summary.eventCount },
          event,
        );
      }
      const skipped = event.seq - nextSeq;
      if (skipped > 0 && this.flaw !== 'gaps-not-counted')
        summary.missingEvents = (summary.missingEvents ?? 0) + skipped;
      const data = {
        summary,
        events: [...(run?.events ?? []), event],
        nextSeq: Math.max(nextSeq, event.seq + 1),
      };
      this.runs.set(event.runId, data);
    }
  }

  async readRun(runId: string, options: { fromSeq?: number; limit?: number } = {}): Promise<AgentEvent[]> {
    this.open();
    checkInteger(options.fromSeq, 0);
    checkInteger(options.limit, 1);
    const events = (this.runs.get(runId)?.events ?? []).filter(
      (event) => event.seq >= (options.fromSeq ?? 0),
    );
    if (this.flaw === 'reversed-order') events.reverse();
    return events.slice(0, options.limit);
  }

  async getRun(runId: string): Promise<RunSummary | undefined> {
    this.open();
    const summary = this.runs.get(runId)?.summary;
    return summary && structuredClone(summary);
  }

  async listRuns(query: ListRunsQuery = {}): Promise<RunPage> {
    this.open();
    const limit = query.limit ?? 50;
    checkInteger(limit, 1);
    const size = this.flaw === 'unclamped-limit' ? limit : Math.min(limit, 500);
    let runs = [...this.runs.values()].map((run) => run.summary).filter((run) => matches(run, query));
    runs.sort((a, b) => b.startedAt - a.startedAt || (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0));
    if (this.flaw === 'offset-cursor') {
      const offset = query.cursor === undefined ? 0 : Number(decodeRunCursor(query.cursor).runId);
      const page = runs.slice(offset, offset + size).map((run) => structuredClone(run));
      const next =
        offset + size < runs.length
          ? encodeRunCursor({ startedAt: 0, runId: String(offset + size) })
          : undefined;
      return next === undefined ? { runs: page } : { runs: page, nextCursor: next };
    }
    if (query.cursor !== undefined) {
      const after = decodeRunCursor(query.cursor);
      runs = runs.filter((run) =>
        this.flaw === 'cursor-skips-ties'
          ? run.startedAt < after.startedAt
          : run.startedAt < after.startedAt || (run.startedAt === after.startedAt && run.runId < after.runId),
      );
    }
    const page = runs.slice(0, size).map((run) => structuredClone(run));
    const last = page.at(-1);
    return runs.length > size && last ? { runs: page, nextCursor: encodeRunCursor(last) } : { runs: page };
  }

  async prune(policy: RetentionPolicy): Promise<number> {
    this.open();
    if (policy.maxAgeMs !== undefined && !(policy.maxAgeMs >= 0))
      throw new ValidationError('maxAgeMs must be >= 0.');
    checkInteger(policy.maxRuns, 0);
    const before = this.runs.size;
    if (policy.maxAgeMs !== undefined) {
      const cutoff = this.clock.now() - policy.maxAgeMs;
      for (const [runId, { summary }] of this.runs) {
        const end = this.flaw === 'prunes-running' ? (summary.endedAt ?? summary.startedAt) : summary.endedAt;
        if (end !== undefined && end < cutoff) this.runs.delete(runId);
      }
    }
    if (policy.maxRuns !== undefined) {
      const { runs } = await this.listRuns({ limit: 500 });
      for (const run of runs.slice(policy.maxRuns)) this.runs.delete(run.runId);
    }
    return before - this.runs.size;
  }

  async close(): Promise<void> {
    if (this.flaw === 'usable-after-close') return;
    this.closed = true;
    if (this.flaw === 'forgets-on-close' || this.location === undefined) this.runs.clear();
  }

  private open(): void {
    if (this.closed) throw new AgentError('INTERNAL', 'FlawedEventStore is closed.');
  }
}

function validate(event: AgentEvent): void {
  if (
    typeof event.runId !== 'string' ||
    event.runId === '' ||
    !Number.isSafeInteger(event.seq) ||
    event.seq < 0
  ) {
    throw new ValidationError(`Invalid runId or seq on "${event.type}".`);
  }
}

function checkInteger(value: number | undefined, minimum: number): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= minimum)) {
    throw new ValidationError(`Expected an integer >= ${minimum}, got ${String(value)}.`);
  }
}

function matches(run: RunSummary, query: ListRunsQuery): boolean {
  return (
    (query.agent === undefined || run.agent === query.agent) &&
    (query.tenant === undefined || run.tenant === query.tenant) &&
    (query.status === undefined || run.status === query.status) &&
    (query.startedAfter === undefined || run.startedAt >= query.startedAfter) &&
    (query.startedBefore === undefined || run.startedAt < query.startedBefore)
  );
}
