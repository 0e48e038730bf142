import {
  type AgentEvent,
  ConfigError,
  EventBus,
  type EventStore,
  type Logger,
  noopLogger,
  type RunScope,
} from '@agent/core';
import type { Tracer } from '@opentelemetry/api';
import { defaultLogContext, type LogContext } from '../context/log-context.js';
import { createLogScope } from '../context/log-scope.js';
import type { AgentMetrics } from '../metrics/agent-metrics.js';
import { createRedactor } from '../redact/create-redactor.js';
import type { Redactor } from '../redact/redactor.js';
import { attachSinks } from '../sinks/attach-sinks.js';
import { type ConsoleSinkOptions, createConsoleSink } from '../sinks/console-sink.js';
import type { EventSink } from '../sinks/event-sink.js';
import { createJsonlFileSink, type JsonlFileSinkOptions } from '../sinks/jsonl-file-sink.js';
import type { LiveEvents } from '../sinks/live-events.js';
import { createStoreSink, type StoreSink, type StoreSinkOptions } from '../sinks/store-sink.js';
import { type AgentTracing, type AgentTracingOptions, createAgentTracing } from '../tracing/agent-tracing.js';
import { composeScopes } from './compose-scopes.js';
import { isolateSink } from './isolate-sink.js';

/** Options of {@link instrument}. Everything is optional; each part is on when you pass it. */
export interface InstrumentOptions {
  /** The bus runs publish to. @default a new `EventBus` */
  bus?: EventBus;
  /** The logger given to agents (and the one event lines go to, see `logEvents`). */
  logger?: Logger;
  /**
   * One log line per event through `logger`: `true`, or the console sink's options.
   * @default true when a logger is given
   */
  logEvents?: boolean | ConsoleSinkOptions;
  /** Prometheus metrics, fed from every event (a synchronous tap: nothing is missed). */
  metrics?: AgentMetrics;
  /** OpenTelemetry spans: a tracer, or `true` for the global one (`trace.getTracer`). */
  tracer?: Tracer | true;
  /** Tracing options besides the tracer and the redactor (content capture, limits). */
  tracing?: Omit<AgentTracingOptions, 'tracer' | 'redactor'>;
  /** Persists every event (redacted) through a batching, retrying store sink. */
  store?: EventStore;
  /** Options of that store sink, besides the redactor. */
  storeSink?: Omit<StoreSinkOptions, 'redactor'>;
  /** Also writes every event (redacted) to a size-rotated JSONL file. */
  file?: Omit<JsonlFileSinkOptions, 'redactor'>;
  /** A live fan-out (the server's SSE): fed from a tap, so it sees events as they happen. */
  live?: LiveEvents;
  /** More sinks, each on its own bounded subscription. */
  sinks?: readonly EventSink[];
  /**
   * Redaction of stored and file events and of span content: `true` for the default redactor,
   * `false` for none, or your own. Logs redact through their own logger option. @default true
   */
  redact?: boolean | Redactor;
  /** Where the run ids go for log lines. @default defaultLogContext */
  context?: LogContext;
  /** Events buffered per sink before the oldest are dropped. @default 10_000 */
  maxQueue?: number;
  /** Told about failures of metrics, spans and sinks; runs never see them. @default logs them through `logger` */
  onError?: (error: unknown, source: string) => void;
}

/** What {@link instrument} connected, and how to stop it. */
export interface Instrumentation {
  /** The bus to give agents (the one passed in, or a new one). */
  readonly bus: EventBus;
  /** The run scope to give agents: log ids in async context and the run's active span. */
  readonly scope: RunScope;
  /** The logger to give agents. */
  readonly logger: Logger;
  /** Spread into `new Agent({ ... })` or `new PlannerExecutor({ ... })`. */
  readonly agentOptions: { events: EventBus; scope: RunScope; logger: Logger };
  /** The redactor used for stored events and span content (`enabled: false` when off). */
  readonly redactor: Redactor;
  /** The tracing part, when a tracer was given. */
  readonly tracing: AgentTracing | undefined;
  /** The store sink, when a store was given (its `stats()` tell what was appended and dropped). */
  readonly storeSink: StoreSink | undefined;
  /** Resolves once every event handled so far has reached every sink (the store: durably). */
  flush(): Promise<void>;
  /**
   * Detaches everything from the bus, flushes and closes the sinks it made. The store, the
   * logger and the metrics stay open: they are yours.
   */
  close(): Promise<void>;
}

/**
 * Connects logs, metrics, spans, the event store and other sinks to agent runs in one call.
 * Metrics, spans and the live fan-out observe the bus synchronously (they are in-memory and must
 * not miss a run's last event); the store, files and log lines each get their own bounded
 * subscription, so a slow sink never slows a run and never slows another sink.
 *
 * @example
 * ```ts
 * const telemetry = instrument({ logger: createLogger(), metrics: createAgentMetrics(), tracer: true, store });
 * const agent = new Agent({ name: 'assistant', model, ...telemetry.agentOptions });
 * ```
 */
export function instrument(options: InstrumentOptions = {}): Instrumentation {
  const bus = options.bus ?? new EventBus();
  if (!(bus instanceof EventBus)) {
    throw new ConfigError('instrument() bus must be an EventBus from @agent/core, or omitted to create one.');
  }
  const logger = options.logger ?? noopLogger;
  const onError =
    options.onError ??
    ((error: unknown, source: string) =>
      logger.error('observability failed; the run is not affected', { source, error: String(error) }));
  const redactor = resolveRedactor(options.redact);
  const taps: { untap(): void }[] = [];
  const logContext = options.context ?? defaultLogContext;
  const scopes: RunScope[] = [createLogScope(logContext)];

  if (options.metrics) {
    taps.push(bus.tap(options.metrics.observe, { onError: (error) => onError(error, 'metrics') }));
    const unwatch = options.metrics.watchBus(bus);
    taps.push({ untap: unwatch });
  }

  let tracing: AgentTracing | undefined;
  if (options.tracer !== undefined) {
    tracing = createAgentTracing({
      ...options.tracing,
      ...(options.tracer === true ? {} : { tracer: options.tracer }),
      redactor,
      onError: (error) => onError(error, 'tracing'),
    });
    taps.push(bus.tap(tracing.observe));
    scopes.push(tracing.scope);
  }

  if (options.live) {
    const live = options.live;
    taps.push(
      bus.tap((event: AgentEvent) => live.publish(event), { onError: (error) => onError(error, 'live') }),
    );
  }

  const sinks: EventSink[] = [];
  let storeSink: StoreSink | undefined;
  if (options.store) {
    storeSink = createStoreSink(options.store, {
      ...options.storeSink,
      redactor,
      onError: options.storeSink?.onError ?? ((error) => onError(error, 'store')),
      ...(options.metrics
        ? { onDrop: dropCounter(options.metrics, 'store', options.storeSink?.onDrop) }
        : {}),
    });
    sinks.push(storeSink);
  }
  if (options.file) {
    sinks.push(
      createJsonlFileSink({
        ...options.file,
        redactor,
        onError: options.file.onError ?? ((error) => onError(error, 'file')),
        ...(options.metrics ? { onDrop: dropCounter(options.metrics, 'file', options.file.onDrop) } : {}),
      }),
    );
  }
  const logEvents = options.logEvents ?? options.logger !== undefined;
  if (logEvents !== false) {
    sinks.push(createConsoleSink(logger, logEvents === true ? {} : logEvents));
  }
  sinks.push(...(options.sinks ?? []));

  const attached = attachSinks(
    bus,
    sinks.map((sink) => isolateSink(sink, logContext)),
    {
      ...(options.maxQueue !== undefined ? { maxQueue: options.maxQueue } : {}),
      onError: (error) => onError(error, 'sink'),
    },
  );
  const scope = composeScopes(scopes);
  let closing: Promise<void> | undefined;

  return {
    bus,
    scope,
    logger,
    agentOptions: { events: bus, scope, logger },
    redactor,
    tracing,
    storeSink,
    flush: () => attached.flush(),
    close() {
      closing ??= (async () => {
        for (const tap of taps) tap.untap();
        await attached.close();
      })();
      return closing;
    },
  };
}

function resolveRedactor(redact: boolean | Redactor | undefined): Redactor {
  if (redact === undefined || redact === true) return createRedactor();
  if (redact === false) return createRedactor({ enabled: false });
  if (typeof redact.redact !== 'function' || typeof redact.redactString !== 'function') {
    throw new ConfigError(
      'instrument() redact must be true, false or a Redactor (an object with redact() and redactString()), e.g. createRedactor({ disable: ["ipv4"] }).',
    );
  }
  return redact;
}

// Sinks report drops as counts; metrics add them up by source, and a caller's own hook still runs.
function dropCounter(
  metrics: AgentMetrics,
  source: 'store' | 'file',
  own: ((count: number) => void) | undefined,
): (count: number) => void {
  return (count) => {
    metrics.recordDroppedEvents(source, count);
    own?.(count);
  };
}
