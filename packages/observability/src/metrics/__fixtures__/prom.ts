import { type AgentEvent, EventBus } from '@agent/core';
import { type AgentMetrics, type AgentMetricsOptions, createAgentMetrics } from '../agent-metrics.js';

type Labels = Record<string, string>;

/** The values of a metric, of one series name for histograms (`<name>_count`, ...). */
export async function valuesOf(metrics: AgentMetrics, name: string, metricName = name) {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`metric ${name} is not registered`);
  const { values } = await metric.get();
  // Histogram values carry the series name (`_bucket`, `_count`, `_sum`) in `metricName`.
  return values.filter((value) => ((value as { metricName?: string }).metricName ?? name) === metricName);
}

/** The value of the series with exactly these labels, or undefined when there is none. */
export async function seriesValue(metrics: AgentMetrics, name: string, labels: Labels, metricName = name) {
  const values = await valuesOf(metrics, name, metricName);
  const wanted = JSON.stringify(Object.entries(labels).sort());
  return values.find((value) => JSON.stringify(Object.entries(value.labels).sort()) === wanted)?.value;
}

/** The count of a histogram's series. */
export const histogramCount = (metrics: AgentMetrics, name: string, labels: Labels) =>
  seriesValue(metrics, name, labels, `${name}_count`);
/** The sum of a histogram's series. */
export const histogramSum = (metrics: AgentMetrics, name: string, labels: Labels) =>
  seriesValue(metrics, name, labels, `${name}_sum`);

/** Metrics without process metrics, tapped into a new bus. */
export function setupMetrics(options: AgentMetricsOptions = {}) {
  const metrics = createAgentMetrics({ processMetrics: false, ...options });
  const bus = new EventBus();
  bus.tap(metrics.observe);
  return { metrics, bus };
}

/** A hand-made event, for the edge cases a real run never produces. */
export function event<TType extends AgentEvent['type']>(
  type: TType,
  payload: Omit<Extract<AgentEvent, { type: TType }>, 'type' | 'runId' | 'seq' | 'timestamp' | 'agent'>,
  base: { runId?: string; agent?: string } = {},
): AgentEvent {
  return {
    runId: 'r1',
    seq: 0,
    timestamp: 0,
    agent: 'a',
    ...base,
    type,
    ...payload,
  } as unknown as AgentEvent;
}

/** Usage with every count at zero. */
export const usage = { inputTokens: 0, outputTokens: 0 };
