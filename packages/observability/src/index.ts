/**
 * `@agent/observability`: structured logs with ids from async context and PII redaction, event
 * sinks, Prometheus metrics and OpenTelemetry GenAI spans, wired to agent runs by `instrument()`.
 * The persistent event stores are separate entry points so this one never loads their drivers:
 * `@agent/observability/sqlite` and `@agent/observability/postgres`.
 * @module
 */

// Async context
export type { LogContextFields } from './context/log-context.js';
export { defaultLogContext, LogContext } from './context/log-context.js';
export { createLogScope } from './context/log-scope.js';
export { composeScopes } from './instrument/compose-scopes.js';
// Wiring
export type { Instrumentation, InstrumentOptions } from './instrument/instrument.js';
export { instrument } from './instrument/instrument.js';

// Logging
export type { AgentLogger, LoggerOptions, LogTransport } from './logging/create-logger.js';
export { createLogger } from './logging/create-logger.js';
export type { LogFormat } from './logging/log-format.js';
export type { LogLevel } from './logging/log-level.js';
export { LOG_LEVELS } from './logging/log-level.js';
// Metrics
export type {
  AgentMetrics,
  AgentMetricsOptions,
  DropCountingBus,
  DroppedEventSource,
  RateLimitRejectionScope,
} from './metrics/agent-metrics.js';
export { createAgentMetrics } from './metrics/agent-metrics.js';
export type { AgentMetricsBuckets } from './metrics/metric-buckets.js';
export { DEFAULT_BUCKETS } from './metrics/metric-buckets.js';
export type { MetricsRegistry } from './metrics/metric-families.js';
export { AGENT_METRIC_NAMES } from './metrics/metric-families.js';
// Redaction
export type { RedactionPattern, RedactorOptions } from './redact/create-redactor.js';
export { createRedactor } from './redact/create-redactor.js';
export type { BuiltInDetectorName } from './redact/detectors.js';
export { BUILT_IN_DETECTOR_NAMES } from './redact/detectors.js';
export type { Redactor } from './redact/redactor.js';
export { DEFAULT_SENSITIVE_KEYS } from './redact/sensitive-keys.js';
// Sinks
export type { AttachedSinkStats, AttachedSinks, AttachSinksOptions } from './sinks/attach-sinks.js';
export { attachSinks } from './sinks/attach-sinks.js';
export type { ConsoleSinkLevel, ConsoleSinkOptions } from './sinks/console-sink.js';
export { createConsoleSink } from './sinks/console-sink.js';
export type { EventSink, SinkDropHandler, SinkErrorHandler } from './sinks/event-sink.js';
export type { JsonlFileSinkOptions, JsonlFileSinkStats } from './sinks/jsonl-file-sink.js';
export { createJsonlFileSink, JsonlFileSink } from './sinks/jsonl-file-sink.js';
export type { LiveEventsOptions, LiveSubscribeOptions, LiveSubscription } from './sinks/live-events.js';
export { LiveEvents } from './sinks/live-events.js';
export type { StoreSinkOptions, StoreSinkRetryOptions, StoreSinkStats } from './sinks/store-sink.js';
export { createStoreSink, StoreSink } from './sinks/store-sink.js';
// Tracing
export type { AgentTracing, AgentTracingOptions } from './tracing/agent-tracing.js';
export { createAgentTracing } from './tracing/agent-tracing.js';
export { GEN_AI_ATTRIBUTES, GEN_AI_OPERATIONS } from './tracing/gen-ai-attributes.js';
