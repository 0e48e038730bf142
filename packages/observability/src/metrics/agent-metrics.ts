import { type AgentEvent, ConfigError } from '@agent/core';
import { collectDefaultMetrics, Registry, type RegistryContentType } from 'prom-client';
import { createLabelGuard, OTHER_LABEL_VALUE } from './label-guard.js';
import type { AgentMetricsBuckets } from './metric-buckets.js';
import { createMetricFamilies, type MetricsRegistry } from './metric-families.js';

/** Where events were dropped: the bus's subscriber queues, an SSE stream, an event store, a file sink. */
export type DroppedEventSource = 'bus' | 'sse' | 'store' | 'file';

/** Who refused a call for a rate limit: the model limiter inside a run, or the HTTP server. */
export type RateLimitRejectionScope = 'model' | 'http';

/** What {@link AgentMetrics.watchBus} reads: an `EventBus`, or anything with its `stats()`. */
export interface DropCountingBus {
  stats(): { dropped: number };
}

/** Construction options of {@link createAgentMetrics}. */
export interface AgentMetricsOptions {
  /** Register into this registry instead of a new one. @default a new `Registry` per instance */
  registry?: MetricsRegistry;
  /**
   * Also collect prom-client's default process and Node.js metrics (CPU, memory, event loop,
   * GC), unprefixed. prom-client starts an event-loop monitor and a GC observer for each
   * collection that it never stops, so keep one instance with this on per process.
   * @default true
   */
  processMetrics?: boolean;
  /** Distinct values kept per label (agent, model, tool, ...); later new values become `"other"`. @default 100 */
  maxLabelValues?: number;
  /** Runs tracked for `agent_runs_active` at once; past it the oldest is forgotten. @default 10_000 */
  maxActiveRuns?: number;
  /** Histogram buckets in seconds. @default DEFAULT_BUCKETS */
  buckets?: AgentMetricsBuckets;
  /** Called when recording an event fails; `observe` itself never throws. */
  onError?: (error: unknown, event: AgentEvent) => void;
}

/** Prometheus metrics of agent runs, fed by events. */
export interface AgentMetrics {
  /** The registry holding the metrics; scrape it, or merge it into your own. */
  readonly registry: MetricsRegistry;
  /** The `Content-Type` of {@link AgentMetrics.metrics}'s output. */
  readonly contentType: RegistryContentType;
  /** Records one event. For `bus.tap(metrics.observe)`: cheap, in-memory, never throws. */
  observe(event: AgentEvent): void;
  /** Counts a call refused by a rate limit outside the run loop (the server passes `'http'`). */
  recordRateLimitRejection(scope: RateLimitRejectionScope, kind: string): void;
  /** Adds `count` events lost by `source` to `agent_events_dropped_total`. */
  recordDroppedEvents(source: DroppedEventSource, count: number): void;
  /**
   * Adds the bus's dropped events (`bus.stats().dropped`, read at each scrape) to
   * `agent_events_dropped_total{source="bus"}`. Returns a function that stops watching, counting
   * what was dropped until then. Watching the same bus again returns the same function.
   */
  watchBus(bus: DropCountingBus): () => void;
  /** The registry's exposition text, for a `/metrics` endpoint. */
  metrics(): Promise<string>;
}

const RUN_STATUS = {
  'run.completed': 'completed',
  'run.failed': 'failed',
  'run.cancelled': 'cancelled',
} as const;

const DROP_SOURCES: ReadonlySet<string> = new Set<DroppedEventSource>(['bus', 'sse', 'store', 'file']);
const REJECTION_SCOPES: ReadonlySet<string> = new Set<RateLimitRejectionScope>(['model', 'http']);

/**
 * Creates the Prometheus metrics of agent runs: runs, durations, LLM latency, tokens and cost,
 * tool calls, rate-limit rejections, dropped events and active runs. Every label is capped at
 * `maxLabelValues` distinct values, and no label ever carries a run id.
 *
 * @example
 * ```ts
 * const metrics = createAgentMetrics();
 * bus.tap(metrics.observe);
 * metrics.watchBus(bus);
 * app.get('/metrics', async (c) => c.text(await metrics.metrics(), 200, { 'Content-Type': metrics.contentType }));
 * ```
 */
export function createAgentMetrics(options: AgentMetricsOptions = {}): AgentMetrics {
  const maxLabelValues = positiveInteger(options.maxLabelValues, 100, 'maxLabelValues');
  const maxActiveRuns = positiveInteger(options.maxActiveRuns, 10_000, 'maxActiveRuns');
  const registry: MetricsRegistry = options.registry ?? new Registry();
  // One guard per label name, shared by the metrics that carry it, so a value maps the same way everywhere.
  const label = {
    agent: createLabelGuard(maxLabelValues),
    provider: createLabelGuard(maxLabelValues),
    model: createLabelGuard(maxLabelValues),
    tool: createLabelGuard(maxLabelValues),
    outcome: createLabelGuard(maxLabelValues),
    kind: createLabelGuard(maxLabelValues),
  };

  // Buses are read at scrape time: the drop path stays free of metric work.
  const watchedBuses = new Map<DropCountingBus, { last: number; unwatch: () => void }>();
  const {
    runs,
    runDuration,
    runsActive,
    llmDuration,
    tokens,
    cost,
    toolCalls,
    toolDuration,
    rateLimitRejections,
    eventsDropped,
  } = createMetricFamilies(registry, options.buckets, () => {
    for (const [bus, watch] of watchedBuses) addBusDrops(bus, watch);
  });
  const addBusDrops = (bus: DropCountingBus, watch: { last: number }): void => {
    let dropped: number;
    try {
      dropped = bus.stats().dropped;
    } catch {
      return;
    }
    if (!Number.isFinite(dropped)) return;
    // A smaller count means a different (or reset) bus: start over from it rather than go negative.
    if (dropped > watch.last) eventsDropped.inc({ source: 'bus' }, dropped - watch.last);
    watch.last = dropped;
  };
  if (
    options.processMetrics !== false &&
    registry.getSingleMetric('process_cpu_user_seconds_total') === undefined
  ) {
    collectDefaultMetrics({ register: registry as Registry });
  }

  // Runs seen starting, with their agent label, so a run that started before we listened never
  // decrements the gauge; bounded so runs whose end never comes cannot grow it forever.
  const activeRuns = new Map<string, string>();

  const record = (event: AgentEvent): void => {
    switch (event.type) {
      case 'run.started': {
        if (activeRuns.has(event.runId)) return;
        const agent = label.agent(event.agent);
        activeRuns.set(event.runId, agent);
        runsActive.inc({ agent });
        if (activeRuns.size > maxActiveRuns) {
          const [oldestRun, oldestAgent] = activeRuns.entries().next().value as [string, string];
          activeRuns.delete(oldestRun);
          runsActive.dec({ agent: oldestAgent });
        }
        return;
      }
      case 'run.completed':
      case 'run.failed':
      case 'run.cancelled': {
        const agent = label.agent(event.agent);
        const status = RUN_STATUS[event.type];
        runs.inc({ agent, status });
        runDuration.observe({ agent, status }, seconds(event.durationMs));
        const startedAgent = activeRuns.get(event.runId);
        if (startedAgent !== undefined) {
          activeRuns.delete(event.runId);
          runsActive.dec({ agent: startedAgent });
        }
        return;
      }
      case 'model.responded': {
        const provider = label.provider(event.provider);
        const model = label.model(event.model);
        llmDuration.observe({ provider, model, outcome: 'ok' }, seconds(event.durationMs));
        const usage = event.usage;
        addTokens(provider, model, 'input', usage.inputTokens);
        addTokens(provider, model, 'output', usage.outputTokens);
        addTokens(provider, model, 'cache_read', usage.cacheReadTokens);
        addTokens(provider, model, 'cache_write', usage.cacheWriteTokens);
        if (isCount(usage.costUsd)) cost.inc({ provider, model }, usage.costUsd);
        return;
      }
      case 'model.failed':
        llmDuration.observe(
          {
            provider: label.provider(event.provider),
            model: label.model(event.model),
            outcome: label.outcome(event.error.code),
          },
          seconds(event.durationMs),
        );
        return;
      case 'tool.succeeded':
      case 'tool.failed': {
        const tool = label.tool(event.toolName);
        const outcome = event.type === 'tool.succeeded' ? 'ok' : label.outcome(event.error.code);
        toolCalls.inc({ tool, outcome });
        toolDuration.observe({ tool }, seconds(event.durationMs));
        return;
      }
      case 'ratelimit.limited':
        rateLimitRejections.inc({ scope: 'model', kind: label.kind(event.kind) });
        return;
      default:
        return;
    }
  };
  const addTokens = (provider: string, model: string, type: string, count: number | undefined): void => {
    if (isCount(count)) tokens.inc({ provider, model, type }, count);
  };

  return {
    registry,
    get contentType() {
      return registry.contentType;
    },
    observe: (event) => {
      try {
        record(event);
      } catch (error) {
        try {
          options.onError?.(error, event);
        } catch {
          // Nothing left to tell; metrics must never break a run.
        }
      }
    },
    recordRateLimitRejection: (scope, kind) => {
      rateLimitRejections.inc({
        scope: REJECTION_SCOPES.has(scope) ? scope : OTHER_LABEL_VALUE,
        kind: label.kind(String(kind)),
      });
    },
    recordDroppedEvents: (source, count) => {
      if (!isCount(count) || count === 0) return;
      eventsDropped.inc({ source: DROP_SOURCES.has(source) ? source : OTHER_LABEL_VALUE }, count);
    },
    watchBus: (bus) => {
      const existing = watchedBuses.get(bus);
      if (existing) return existing.unwatch;
      const watch = {
        last: 0,
        unwatch: () => {
          if (watchedBuses.get(bus) !== watch) return;
          addBusDrops(bus, watch);
          watchedBuses.delete(bus);
        },
      };
      // Drops from before the watch began count too: they happened in this process.
      watchedBuses.set(bus, watch);
      return watch.unwatch;
    },
    metrics: () => registry.metrics(),
  };
}

function seconds(durationMs: number): number {
  return durationMs > 0 ? durationMs / 1000 : 0;
}

// Counters only go up, and prom-client throws on a negative or non-finite increment.
function isCount(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(`createAgentMetrics ${name} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}
