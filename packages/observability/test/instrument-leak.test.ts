import { Writable } from 'node:stream';
import { Agent, defineTool, type LanguageModel, MemoryEventStore } from '@agent/core';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import winston from 'winston';
import { z } from 'zod';
import { createAgentMetrics, createLogger, instrument, LiveEvents } from '../src/index.js';

/**
 * Fully instrumented runs (logs, metrics, spans, a store, a live subscriber that never reads)
 * must not grow the heap: after 5,000 runs the heap after GC stays within 4 MiB of the heap
 * after the first 500, when every bounded part is full.
 */
const RUNS = 5_000;
const WARM_UP_RUNS = 500;
const MAX_GROWTH_BYTES = 4 * 1024 * 1024;

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  context.disable();
});

const model: LanguageModel = {
  provider: 'bench',
  modelId: 'loop',
  async generate(request) {
    const last = request.messages.at(-1);
    return last?.role === 'tool'
      ? {
          message: { role: 'assistant', content: `it is ${last.content}` },
          usage: { inputTokens: 5, outputTokens: 2, costUsd: 0.0001 },
          finishReason: 'stop',
        }
      : {
          message: {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'c1', name: 'clock', arguments: {} }],
          },
          usage: { inputTokens: 5, outputTokens: 2 },
          finishReason: 'tool-calls',
        };
  },
  stream() {
    throw new Error('not used');
  },
};

// Spans are exported and forgotten, as a real exporter would send them away.
const discardingExporter: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('Run with --expose-gc (vitest.config.ts sets it).');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('instrumented runs over time', () => {
  it(`keep the heap within ${MAX_GROWTH_BYTES / 1024 / 1024} MiB over ${RUNS} runs`, {
    timeout: 120_000,
  }, async () => {
    const nowhere = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    const logger = createLogger({ transports: [new winston.transports.Stream({ stream: nowhere })] });
    const tracer = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(discardingExporter)],
    }).getTracer('leak');
    const live = new LiveEvents({ maxQueue: 100 });
    const stalledReader = live.subscribe({});
    const telemetry = instrument({
      logger,
      metrics: createAgentMetrics({ processMetrics: false }),
      tracer,
      tracing: { captureContent: true },
      store: new MemoryEventStore({ maxRuns: 100 }),
      live,
    });
    const clock = defineTool({
      name: 'clock',
      description: 'Time.',
      input: z.object({}),
      execute: () => 'noon',
    });
    const agent = new Agent({ name: 'leak', model, tools: [clock], ...telemetry.agentOptions });
    // winston transports release each line from a setImmediate callback, so a loop that only ever
    // awaits microtasks would hold every line until it yields. A server yields on every request;
    // this loop yields every 50 runs, as that server would.
    const runOnce = async (index: number) => {
      await agent.run('what time is it?', { tenant: `t${index % 50}` });
      if (index % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    };

    for (let index = 0; index < WARM_UP_RUNS; index++) await runOnce(index);
    await telemetry.flush();
    await new Promise((resolve) => setImmediate(resolve));
    const before = heapAfterGc();
    for (let index = WARM_UP_RUNS; index < RUNS; index++) await runOnce(index);
    await telemetry.flush();
    await new Promise((resolve) => setImmediate(resolve));
    const growth = heapAfterGc() - before;

    expect(telemetry.tracing?.activeRuns).toBe(0);
    expect(stalledReader.dropped).toBeGreaterThan(0);
    console.log(`heap growth ${(growth / 1024 / 1024).toFixed(2)} MiB`);
    expect(growth).toBeLessThan(MAX_GROWTH_BYTES);
    stalledReader.close();
    await telemetry.close();
    await logger.close();
  });
});
