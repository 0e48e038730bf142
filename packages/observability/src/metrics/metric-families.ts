import { ConfigError } from '@agent/core';
import {
  Counter,
  Gauge,
  Histogram,
  type OpenMetricsContentType,
  type PrometheusContentType,
  type Registry,
} from 'prom-client';
import { type AgentMetricsBuckets, DEFAULT_BUCKETS } from './metric-buckets.js';

/** The names of the metrics `createAgentMetrics` registers, for dashboards and alerts. */
export const AGENT_METRIC_NAMES = {
  runs: 'agent_runs_total',
  runDuration: 'agent_run_duration_seconds',
  runsActive: 'agent_runs_active',
  llmRequestDuration: 'agent_llm_request_duration_seconds',
  llmTokens: 'agent_llm_tokens_total',
  llmCost: 'agent_llm_cost_total',
  toolCalls: 'agent_tool_calls_total',
  toolDuration: 'agent_tool_duration_seconds',
  rateLimitRejections: 'agent_ratelimit_rejections_total',
  eventsDropped: 'agent_events_dropped_total',
} as const;

/** A prom-client registry in either exposition format. */
export type MetricsRegistry = Registry<PrometheusContentType> | Registry<OpenMetricsContentType>;

/**
 * Registers the agent metric families in `registry`. `collectDropped` runs before each read of
 * `agent_events_dropped_total`, to add what watched buses dropped since the last read.
 * Throws `ConfigError` when the registry holds any of them already.
 */
export function createMetricFamilies(
  registry: MetricsRegistry,
  bucketOptions: AgentMetricsBuckets | undefined,
  collectDropped: () => void,
) {
  for (const name of Object.values(AGENT_METRIC_NAMES)) {
    if (registry.getSingleMetric(name) !== undefined) {
      throw new ConfigError(
        `Metric "${name}" is already registered in the given registry. Create one AgentMetrics per registry, or pass a fresh Registry.`,
      );
    }
  }
  const registers = [registry];
  const buckets = { ...DEFAULT_BUCKETS, ...bucketOptions };
  const runs = new Counter({
    name: AGENT_METRIC_NAMES.runs,
    help: 'Agent runs that ended, by agent and final status (completed, failed, cancelled).',
    labelNames: ['agent', 'status'] as const,
    registers,
  });
  const runDuration = new Histogram({
    name: AGENT_METRIC_NAMES.runDuration,
    help: 'Duration of agent runs in seconds, by agent and final status.',
    labelNames: ['agent', 'status'] as const,
    buckets: [...buckets.run],
    registers,
  });
  const runsActive = new Gauge({
    name: AGENT_METRIC_NAMES.runsActive,
    help: 'Agent runs started and not yet ended, by agent.',
    labelNames: ['agent'] as const,
    registers,
  });
  const llmDuration = new Histogram({
    name: AGENT_METRIC_NAMES.llmRequestDuration,
    help: 'Duration of LLM calls in seconds, by provider, model and outcome ("ok" or the error code).',
    labelNames: ['provider', 'model', 'outcome'] as const,
    buckets: [...buckets.llm],
    registers,
  });
  const tokens = new Counter({
    name: AGENT_METRIC_NAMES.llmTokens,
    help: 'Tokens used by LLM calls, by provider, model and type (input, output, cache_read, cache_write).',
    labelNames: ['provider', 'model', 'type'] as const,
    registers,
  });
  const cost = new Counter({
    name: AGENT_METRIC_NAMES.llmCost,
    help: 'Cost of LLM calls in US dollars, by provider and model. Counts only calls whose adapter reported a cost (usage.costUsd).',
    labelNames: ['provider', 'model'] as const,
    registers,
  });
  const toolCalls = new Counter({
    name: AGENT_METRIC_NAMES.toolCalls,
    help: 'Tool calls that ended, by tool and outcome ("ok" or the error code).',
    labelNames: ['tool', 'outcome'] as const,
    registers,
  });
  const toolDuration = new Histogram({
    name: AGENT_METRIC_NAMES.toolDuration,
    help: 'Duration of tool calls in seconds, by tool.',
    labelNames: ['tool'] as const,
    buckets: [...buckets.tool],
    registers,
  });
  const rateLimitRejections = new Counter({
    name: AGENT_METRIC_NAMES.rateLimitRejections,
    help: 'Calls refused by a rate limit, by scope (model: the limiter before an LLM call; http: the server) and kind.',
    labelNames: ['scope', 'kind'] as const,
    registers,
  });
  const eventsDropped = new Counter({
    name: AGENT_METRIC_NAMES.eventsDropped,
    help: 'Events dropped because a consumer fell behind, by source (bus, sse, store, file).',
    labelNames: ['source'] as const,
    registers,
    collect: collectDropped,
  });
  return {
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
  };
}
