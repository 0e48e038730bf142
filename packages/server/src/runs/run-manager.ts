import {
  AbortedError,
  type AgentEvent,
  sleep as abortableSleep,
  type Clock,
  type EventStore,
  type IdGenerator,
  type ListRunsQuery,
  type Logger,
  noopLogger,
  type RunOptions,
  type RunPage,
  type RunResult,
  randomId,
  type Sleep,
  systemClock,
  toAgentError,
} from '@agent/core';
import { defaultLogContext, type LiveEvents } from '@agent/observability';
import type { RunManager, RunRecord, StartedRun, StartRunInput } from '../contract.js';
import { HttpProblem } from '../http/http-problem.js';
import { replayStored, replayThenLive } from './event-replay.js';
import { IdempotencyCache, idempotencyKeyOf, requestFingerprint } from './idempotency-cache.js';
import { type RunOutcome, recordFromOutcome, recordFromStore } from './run-record.js';

/** What the run manager needs of an agent: `Agent` and `PlannerExecutor` both fit. */
export interface RunnableAgent {
  readonly name: string;
  run(input: string, options: RunOptions): Promise<RunResult<unknown>>;
}

/** Options of {@link createRunManager}. */
export interface RunManagerOptions {
  /** The agents runs may start, by name. */
  agents: ReadonlyMap<string, RunnableAgent>;
  /** Where the agents' events are stored (through the telemetry's store sink). */
  store: EventStore;
  /** The live fan-out the agents' bus feeds. */
  live: LiveEvents;
  /** Resolves once every event published so far has reached the store, e.g. `telemetry.flush`. */
  flush: () => Promise<void>;
  /** Applied to live events before they are handed out, as the store sink does. @default identity */
  redact?: (event: AgentEvent) => AgentEvent;
  logger?: Logger;
  /** @default systemClock */
  clock?: Clock;
  /** Run ids. @default random UUIDs */
  idGenerator?: IdGenerator;
  /** Used to wait for the drain's grace period. @default core's abortable sleep */
  sleep?: Sleep;
  /** Runs in flight at once before `start` answers 503. @default 1000 */
  maxActiveRuns?: number;
  /** Idempotency keys remembered. @default 10_000 */
  maxIdempotencyKeys?: number;
  /** How long an idempotency key is remembered (ms). @default 24 h */
  idempotencyTtlMs?: number;
  /** Longest wait for the store to catch up before reading it (ms). @default 10_000 */
  flushTimeoutMs?: number;
}

interface ActiveRun {
  runId: string;
  agent: string;
  tenant: string;
  startedAt: number;
  controller: AbortController;
  /** The agent's run promise settled; the record may not be stored yet. */
  ended: boolean;
  done: Promise<RunRecord>;
}

const matchesTenant = (owner: string | undefined, tenant: string | undefined): boolean =>
  tenant === undefined || owner === tenant;

/**
 * Creates the {@link RunManager}: starts runs in the background, each with its own abort
 * controller, remembers idempotency keys (bounded LRU with a TTL), serves runs and their events
 * scoped by tenant, cancels runs and drains them on shutdown.
 *
 * @example
 * ```ts
 * const runs = createRunManager({ agents: new Map([[agent.name, agent]]), store, live, flush: telemetry.flush });
 * const { runId, done } = await runs.start({ agent: 'assistant', input: 'Hi', principal });
 * ```
 */
export function createRunManager(options: RunManagerOptions): RunManager {
  const { agents, store, live } = options;
  const logger = options.logger ?? noopLogger;
  const clock = options.clock ?? systemClock;
  const idGenerator = options.idGenerator ?? randomId;
  const sleep = options.sleep ?? abortableSleep;
  const redact = options.redact ?? ((event: AgentEvent) => event);
  const maxActiveRuns = options.maxActiveRuns ?? 1000;
  const flushTimeoutMs = options.flushTimeoutMs ?? 10_000;
  const idempotency = new IdempotencyCache({
    clock,
    ...(options.maxIdempotencyKeys !== undefined ? { maxEntries: options.maxIdempotencyKeys } : {}),
    ...(options.idempotencyTtlMs !== undefined ? { ttlMs: options.idempotencyTtlMs } : {}),
  });
  const active = new Map<string, ActiveRun>();
  let draining = false;
  let drainPromise: Promise<{ finished: number; cancelled: number }> | undefined;

  // A store that is down or slow must not hang a request or a run's `done`: wait a bounded time.
  const flush = async (): Promise<void> => {
    const timer = new AbortController();
    try {
      await Promise.race([options.flush(), sleep(flushTimeoutMs, timer.signal)]);
    } catch (error) {
      logger.warn('events could not be flushed to the store', { error: String(error) });
    } finally {
      timer.abort();
    }
  };
  const sources = { store, flush, redact };

  const launch = (runId: string, agent: RunnableAgent, input: StartRunInput): ActiveRun => {
    const tenant = input.principal.tenant;
    const entry: ActiveRun = {
      runId,
      agent: agent.name,
      tenant,
      startedAt: clock.now(),
      controller: new AbortController(),
      ended: false,
      done: undefined as unknown as Promise<RunRecord>,
    };
    const runOptions: RunOptions = {
      runId,
      tenant,
      signal: entry.controller.signal,
      ...(input.conversationId !== undefined ? { conversationId: input.conversationId } : {}),
      ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
    };
    const execute = async (): Promise<RunRecord> => {
      let outcome: RunOutcome;
      try {
        outcome = { ok: true, result: await agent.run(input.input, runOptions) };
      } catch (error) {
        outcome = { ok: false, error: toAgentError(error) };
      }
      entry.ended = true;
      try {
        await flush();
        const summary = await store.getRun(runId);
        if (summary !== undefined && summary.status !== 'running')
          return await recordFromStore(store, summary);
        return recordFromOutcome({ ...entry, eventCount: summary?.eventCount ?? 0 }, outcome, clock.now());
      } catch (error) {
        logger.warn('the run ended but its record could not be read from the store', {
          runId,
          error: String(error),
        });
        return recordFromOutcome(entry, outcome, clock.now());
      } finally {
        active.delete(runId);
      }
    };
    active.set(runId, entry);
    const context = {
      tenant,
      ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
    };
    entry.done = defaultLogContext.run(context, execute);
    return entry;
  };

  const doneOf = async (runId: string, tenant: string, agent: string): Promise<RunRecord> => {
    const running = active.get(runId);
    if (running !== undefined) return running.done;
    try {
      const summary = await store.getRun(runId);
      if (summary !== undefined) return await recordFromStore(store, summary);
    } catch (error) {
      logger.warn('could not read a reused run from the store', { runId, error: String(error) });
    }
    return {
      runId,
      agent,
      tenant,
      status: 'failed',
      startedAt: 0,
      usage: { inputTokens: 0, outputTokens: 0 },
      eventCount: 0,
      error: { code: 'RUN_NOT_FOUND', message: 'The run is no longer in the event store.' },
    };
  };

  const manager: RunManager = {
    get active() {
      return active.size;
    },
    get draining() {
      return draining;
    },

    async start(input) {
      if (draining) {
        throw new HttpProblem({
          status: 503,
          code: 'draining',
          detail:
            'The server is shutting down and starts no new runs. Retry against another instance or shortly.',
          retryAfterSeconds: 5,
        });
      }
      const agent = agents.get(input.agent);
      if (agent === undefined) {
        const known = [...agents.keys()];
        throw new HttpProblem({
          status: 404,
          code: 'agent-not-found',
          detail: `There is no agent "${input.agent}". Known agents: ${known.length > 0 ? known.join(', ') : 'none'}.`,
        });
      }
      const tenant = input.principal.tenant;
      let cacheKey: string | undefined;
      let fingerprint = '';
      if (input.idempotencyKey !== undefined) {
        cacheKey = idempotencyKeyOf(tenant, agent.name, input.idempotencyKey);
        fingerprint = requestFingerprint(input);
        const seen = idempotency.get(cacheKey);
        if (seen !== undefined) {
          if (seen.fingerprint !== fingerprint) {
            throw new HttpProblem({
              status: 422,
              code: 'idempotency-key-reused',
              detail:
                'This Idempotency-Key was already used with a different request body. Use a new key for a new request, or resend the original body.',
            });
          }
          return { runId: seen.runId, reused: true, done: doneOf(seen.runId, tenant, agent.name) };
        }
      }
      if (active.size >= maxActiveRuns) {
        throw new HttpProblem({
          status: 503,
          code: 'overloaded',
          detail: `The server is running its maximum of ${maxActiveRuns} runs. Retry shortly.`,
          retryAfterSeconds: 1,
        });
      }
      const runId = idGenerator();
      if (cacheKey !== undefined) idempotency.set(cacheKey, { runId, fingerprint });
      const entry = launch(runId, agent, input);
      logger.info('run started', {
        runId,
        agent: agent.name,
        tenant,
        subject: input.principal.subject,
        ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
      });
      const started: StartedRun = { runId, reused: false, done: entry.done };
      return started;
    },

    async get(runId, tenant) {
      const summary = await store.getRun(runId);
      if (summary === undefined) {
        // Started, but `run.started` has not reached the store yet.
        const running = active.get(runId);
        if (running === undefined || !matchesTenant(running.tenant, tenant)) return undefined;
        return {
          runId,
          agent: running.agent,
          tenant: running.tenant,
          status: 'running',
          startedAt: running.startedAt,
          usage: { inputTokens: 0, outputTokens: 0 },
          eventCount: 0,
        };
      }
      if (!matchesTenant(summary.tenant, tenant)) return undefined;
      return recordFromStore(store, summary);
    },

    list(query: ListRunsQuery): Promise<RunPage> {
      // The caller (the HTTP layer) sets query.tenant to the principal's tenant unless admin; an
      // invalid cursor is core's ValidationError, which the error table maps to 400.
      return store.listRuns(query);
    },

    async events(runId, tenant, { afterSeq = -1, signal } = {}) {
      // Subscribe first: whatever is published from now on is caught, the replay covers the rest.
      const subscription = live.subscribe({ runId, ...(signal !== undefined ? { signal } : {}) });
      const running = active.get(runId);
      if (running !== undefined && !running.ended) {
        if (!matchesTenant(running.tenant, tenant)) {
          subscription.close();
          return undefined;
        }
        return replayThenLive(sources, runId, afterSeq, subscription, signal);
      }
      subscription.close();
      if (running !== undefined) await running.done;
      const summary = await store.getRun(runId);
      if (summary === undefined || !matchesTenant(summary.tenant, tenant)) return undefined;
      return replayStored(sources, runId, afterSeq, signal);
    },

    liveEvents(tenant, signal) {
      const subscription = live.subscribe({ signal, ...(tenant !== undefined ? { tenant } : {}) });
      return (async function* () {
        try {
          for await (const event of subscription) yield redact(event);
        } finally {
          subscription.close();
        }
      })();
    },

    async cancel(runId, tenant) {
      const running = active.get(runId);
      if (running !== undefined) {
        if (!matchesTenant(running.tenant, tenant)) return 'not-found';
        if (running.ended) return 'not-running';
        running.controller.abort(new AbortedError('Cancelled by the caller.'));
        logger.info('run cancelled', { runId, agent: running.agent, tenant: running.tenant });
        return 'cancelled';
      }
      const summary = await store.getRun(runId);
      if (summary === undefined || !matchesTenant(summary.tenant, tenant)) return 'not-found';
      return 'not-running';
    },

    drain(graceMs) {
      draining = true;
      drainPromise ??= drainRuns(graceMs);
      return drainPromise;
    },
  };

  async function drainRuns(graceMs: number): Promise<{ finished: number; cancelled: number }> {
    const runs = [...active.values()];
    if (runs.length === 0) return { finished: 0, cancelled: 0 };
    logger.info('draining runs', { active: runs.length, graceMs });
    const timer = new AbortController();
    const allDone = Promise.all(runs.map((run) => run.done));
    await Promise.race([allDone, sleep(Math.max(0, graceMs), timer.signal).catch(() => {})]);
    timer.abort();
    const remaining = runs.filter((run) => !run.ended);
    for (const run of remaining) run.controller.abort(new AbortedError('server shutting down'));
    const records = await Promise.all(remaining.map((run) => run.done));
    await allDone;
    const cancelled = records.filter((record) => record.status === 'cancelled').length;
    if (remaining.length > 0)
      logger.warn('cancelled runs that outlived the shutdown grace period', { cancelled });
    return { finished: runs.length - cancelled, cancelled };
  }

  return manager;
}
