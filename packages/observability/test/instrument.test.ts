import { Agent, ConfigError, defineTool, EventBus, MemoryEventStore, PlannerExecutor } from '@agent/core';
import { ScriptedModel, textResponse, toolCallResponse } from '@agent/core/testing';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  type AgentLogger,
  createAgentMetrics,
  createLogger,
  defaultLogContext,
  instrument,
  LiveEvents,
} from '../src/index.js';
import { createMemoryTransport } from '../src/logging/__fixtures__/memory-transport.js';

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  context.disable();
});

function tracerWithExporter() {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer(
    'test',
  );
  return { exporter, tracer };
}

/** A tool that logs through the agent's logger without passing any id: the context must add them. */
function weatherTool(logger: AgentLogger) {
  return defineTool({
    name: 'weather',
    description: 'Weather in a city.',
    input: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.info('looked up the weather', { city });
      return { city, forecast: 'sunny' };
    },
  });
}

function scriptedWeatherModel() {
  return new ScriptedModel([toolCallResponse('weather', { city: 'Paris' }), textResponse('Sunny in Paris.')]);
}

describe('instrument(): one call wires logs, metrics, spans, the store and live subscribers', () => {
  it('gives a run all of them through agentOptions', async () => {
    const logs = createMemoryTransport();
    const logger = createLogger({ transports: [logs.transport] });
    const metrics = createAgentMetrics({ processMetrics: false });
    const { exporter, tracer } = tracerWithExporter();
    const store = new MemoryEventStore();
    const live = new LiveEvents();
    const telemetry = instrument({ logger, metrics, tracer, store, live });
    const agent = new Agent({
      name: 'weather-bot',
      model: scriptedWeatherModel(),
      tools: [weatherTool(logger)],
      ...telemetry.agentOptions,
    });
    const liveEvents = live.subscribe({ runId: 'run-1' });

    // The edge (an HTTP handler) sets the request id and tenant once; nothing passes them on.
    const httpSpan = tracer.startSpan('POST /v1/agents/weather-bot/runs');
    const result = await defaultLogContext.run({ requestId: 'req-42', tenant: 'acme' }, () =>
      context.with(trace.setSpan(context.active(), httpSpan), () =>
        agent.run('Weather in Paris?', { runId: 'run-1', tenant: 'acme' }),
      ),
    );
    httpSpan.end();
    await telemetry.flush();

    // Logs: the tool's own line carries every id from async context.
    const toolLine = logs.records().find((record) => record.message === 'looked up the weather');
    expect(toolLine).toMatchObject({
      requestId: 'req-42',
      runId: 'run-1',
      agent: 'weather-bot',
      tenant: 'acme',
      city: 'Paris',
    });
    // ...and the events were logged too, each with the run id.
    const eventLines = logs.records().filter((record) => record.message === 'run.completed');
    expect(eventLines).toHaveLength(1);
    expect(eventLines[0]).toMatchObject({ runId: 'run-1' });

    // Metrics.
    const exposition = await metrics.metrics();
    expect(exposition).toContain('agent_runs_total{agent="weather-bot",status="completed"} 1');
    expect(exposition).toContain('agent_tool_calls_total{tool="weather",outcome="ok"} 1');

    // Spans: the run continues the request's trace; model and tool spans are its children.
    const spans = exporter.getFinishedSpans();
    const runSpan = spans.find((span) => span.name === 'invoke_agent weather-bot');
    expect(runSpan?.spanContext().traceId).toBe(httpSpan.spanContext().traceId);
    expect(runSpan?.parentSpanContext?.spanId).toBe(httpSpan.spanContext().spanId);
    const children = spans.filter((span) => span.parentSpanContext?.spanId === runSpan?.spanContext().spanId);
    expect(children.map((span) => span.name).sort()).toEqual([
      'chat scripted-model',
      'chat scripted-model',
      'execute_tool weather',
    ]);

    // Store: every event, in order.
    const stored = await store.readRun(result.runId);
    expect(stored.map((event) => event.seq)).toEqual(stored.map((_, index) => index));
    expect(stored.at(-1)?.type).toBe('run.completed');
    expect((await store.getRun('run-1'))?.status).toBe('completed');

    // Live: the subscriber saw the whole run and its iterator ended.
    const seen = [];
    for await (const event of liveEvents) seen.push(event.type);
    expect(seen.at(0)).toBe('run.started');
    expect(seen.at(-1)).toBe('run.completed');
    expect(seen).toHaveLength(stored.length);

    await telemetry.close();
    await logger.close();
  });

  it('works for PlannerExecutor runs too', async () => {
    const store = new MemoryEventStore();
    const telemetry = instrument({ store });
    const runtime = new PlannerExecutor({
      name: 'planner',
      planner: new ScriptedModel([
        textResponse(JSON.stringify({ goal: 'g', steps: [{ description: 'do it' }] })),
      ]),
      executor: new ScriptedModel([textResponse('done'), textResponse('final')]),
      ...telemetry.agentOptions,
    });

    const result = await runtime.run('plan something');
    await telemetry.flush();

    expect((await store.getRun(result.runId))?.status).toBe('completed');
    await telemetry.close();
  });

  it('records a failed run as failed, with its events', async () => {
    const store = new MemoryEventStore();
    const metrics = createAgentMetrics({ processMetrics: false });
    const telemetry = instrument({ store, metrics });
    const model = new ScriptedModel([() => Promise.reject(new Error('model exploded'))]);
    const agent = new Agent({ name: 'fragile', model, ...telemetry.agentOptions });

    await expect(agent.run('hi', { runId: 'doomed' })).rejects.toThrow();
    await telemetry.flush();

    const summary = await store.getRun('doomed');
    expect(summary?.status).toBe('failed');
    expect((await store.readRun('doomed')).map((event) => event.type)).toContain('model.failed');
    expect(await metrics.metrics()).toContain('agent_runs_total{agent="fragile",status="failed"} 1');
    await telemetry.close();
  });

  it('never lets a stalled sink slow the run, and keeps the other sinks fed', async () => {
    const store = new MemoryEventStore();
    const stalled = { handle: () => new Promise<void>(() => {}) };
    const telemetry = instrument({ store, sinks: [stalled], maxQueue: 5 });
    const agent = new Agent({
      name: 'busy',
      model: scriptedWeatherModel(),
      tools: [weatherTool(createLogger({ transports: [createMemoryTransport().transport] }))],
      ...telemetry.agentOptions,
    });

    const result = await agent.run('Weather?');
    await telemetry.storeSink?.flush();

    expect(result.output).toBe('Sunny in Paris.');
    expect((await store.getRun(result.runId))?.status).toBe('completed');
    expect(telemetry.bus.stats().dropped).toBeGreaterThan(0);
  });

  it('reports a failing metrics observer to onError and the run goes on', async () => {
    const onError = vi.fn();
    const metrics = createAgentMetrics({ processMetrics: false });
    const broken = {
      ...metrics,
      observe: () => {
        throw new Error('metrics broke');
      },
    };
    const telemetry = instrument({ metrics: broken, onError });
    const agent = new Agent({
      name: 'ok',
      model: new ScriptedModel([textResponse('fine')]),
      ...telemetry.agentOptions,
    });

    await expect(agent.run('hi')).resolves.toMatchObject({ output: 'fine' });
    expect(onError).toHaveBeenCalledWith(new Error('metrics broke'), 'metrics');
    await telemetry.close();
  });

  it('stops observing after close(); close twice is harmless', async () => {
    const metrics = createAgentMetrics({ processMetrics: false });
    const store = new MemoryEventStore();
    const telemetry = instrument({ metrics, store });
    const agent = new Agent({
      name: 'brief',
      model: new ScriptedModel([], { fallback: textResponse('ok') }),
      ...telemetry.agentOptions,
    });
    await agent.run('one', { runId: 'before' });
    await telemetry.close();
    await telemetry.close();

    await agent.run('two', { runId: 'after' });

    expect(telemetry.bus.stats()).toMatchObject({ taps: 0, subscribers: 0 });
    expect(await store.getRun('after')).toBeUndefined();
    expect(await metrics.metrics()).toContain('agent_runs_total{agent="brief",status="completed"} 1');
  });

  it('refuses a bus that is not an EventBus, and a redact option that is not a Redactor', () => {
    expect(() => instrument({ bus: {} as EventBus })).toThrow(ConfigError);
    expect(() => instrument({ redact: {} as never })).toThrow(/redact must be true, false or a Redactor/);
  });

  it('makes a bus when none is given, and uses the one given otherwise', () => {
    const bus = new EventBus();

    expect(instrument().bus).toBeInstanceOf(EventBus);
    expect(instrument({ bus }).bus).toBe(bus);
  });
});

describe('instrument(): concurrent runs', () => {
  it('logs each event line with its own run ids, never another request id picked up by the sink', async () => {
    const logs = createMemoryTransport();
    const logger = createLogger({ transports: [logs.transport] });
    const telemetry = instrument({ logger });
    const slowModel = () =>
      new ScriptedModel([], {
        fallback: async () => {
          await new Promise((resolve) => setTimeout(resolve, 2));
          return textResponse('ok');
        },
      });
    const agents = ['a', 'b', 'c'].map(
      (name) => new Agent({ name, model: slowModel(), ...telemetry.agentOptions }),
    );

    await Promise.all(
      agents.flatMap((agent, index) =>
        [0, 1, 2].map((round) =>
          defaultLogContext.run({ requestId: `req-${agent.name}-${round}` }, () =>
            agent.run('hi', { runId: `run-${agent.name}-${round}`, tenant: `t${index}` }),
          ),
        ),
      ),
    );
    await telemetry.flush();

    const eventLines = logs.records().filter((record) => typeof record.seq === 'number');
    expect(eventLines.length).toBeGreaterThan(9 * 5);
    for (const line of eventLines) {
      const runId = String(line.runId);
      // Event lines carry their own run's ids; a request id, if any, must be that run's own.
      if (line.requestId !== undefined) expect(String(line.requestId).replace('req-', 'run-')).toBe(runId);
      expect(runId.startsWith(`run-${String(line.agent)}-`)).toBe(true);
    }
    await telemetry.close();
    await logger.close();
  });
});
