import { EventBus } from '@agent/core';
import { context, type HrTime } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll } from 'vitest';
import { type AgentTracingOptions, createAgentTracing } from '../agent-tracing.js';

/** Registers an AsyncLocalStorage context manager for the file's tests, and removes it after. */
export function useAsyncContext(): void {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => {
    context.disable();
  });
}

/** A tracer that records finished spans in memory, a tracing instance on it, and a bus it taps. */
export function setupTracing(options: AgentTracingOptions = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('test');
  const tracing = createAgentTracing({ tracer, ...options });
  const bus = new EventBus();
  bus.tap(tracing.observe);
  const spans = () => exporter.getFinishedSpans();
  const named = (prefix: string) => spans().filter((span) => span.name.startsWith(prefix));
  const one = (name: string): ReadableSpan => {
    const found = spans().filter((span) => span.name === name);
    if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length}`);
    return found[0] as ReadableSpan;
  };
  return { exporter, provider, tracer, tracing, bus, spans, named, one };
}

/** Milliseconds since the epoch of an OpenTelemetry time. */
export function toMilliseconds(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}

/** The span id of a span's parent, or undefined for a root span. */
export function parentIdOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** A clock for agents that moves 100 ms on every read, from a fixed date. */
export function steppingClock() {
  let now = Date.UTC(2025, 0, 1);
  return {
    now: () => {
      now += 100;
      return now;
    },
  };
}
