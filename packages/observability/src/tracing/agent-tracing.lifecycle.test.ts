import { Agent, type AgentEvent, ConfigError, ModelError } from '@agent/core';
import { ScriptedModel, textResponse } from '@agent/core/testing';
import { SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { brokenTool, echoTool } from '../metrics/__fixtures__/test-tools.js';
import { setupTracing, toMilliseconds, useAsyncContext } from './__fixtures__/otel.js';
import { toolRunModel } from './__fixtures__/runs.js';
import { createAgentTracing } from './agent-tracing.js';

useAsyncContext();

describe('createAgentTracing: bookkeeping', () => {
  it('holds no state once many runs have ended, completed, failed and cancelled alike', async () => {
    const scoped = setupTracing();
    const tapped = setupTracing();
    const model = new ScriptedModel([], {
      fallback: (_request, index) =>
        index % 3 === 1 ? new ModelError('MODEL_SERVER_ERROR', 'boom') : textResponse(`answer ${index}`),
    });
    const agents = [
      new Agent({ name: 'scoped', model, events: scoped.bus, scope: scoped.tracing.scope }),
      new Agent({ name: 'tapped', model, events: tapped.bus }),
    ];

    for (let index = 0; index < 30; index++) {
      const signal = index % 3 === 2 ? AbortSignal.abort() : undefined;
      const agent = agents[index % 2] as Agent;
      await agent.run(`run ${index}`, signal ? { signal } : {}).catch(() => {});
    }

    expect(scoped.tracing.activeRuns).toBe(0);
    expect(tapped.tracing.activeRuns).toBe(0);
    const statuses = [...scoped.named('invoke_agent'), ...tapped.named('invoke_agent')].map(
      (span) => span.attributes['agent.run.status'],
    );
    expect(statuses).toHaveLength(30);
    expect(new Set(statuses)).toEqual(new Set(['completed', 'failed', 'cancelled']));
  });

  it('makes one run span when both the scope and the tap see a run', async () => {
    const { tracing, bus, named } = setupTracing();
    const agent = new Agent({
      name: 'both',
      model: toolRunModel(),
      tools: [echoTool, brokenTool],
      events: bus,
      scope: tracing.scope,
    });

    await agent.run('go');

    expect(named('invoke_agent')).toHaveLength(1);
  });

  it('ends the oldest run past maxActiveRuns', () => {
    const { tracing, spans } = setupTracing({ maxActiveRuns: 2 });
    const started = (runId: string) =>
      ({ type: 'run.started', runId, seq: 0, timestamp: Date.now(), agent: 'a', input: 'x' }) as AgentEvent;

    for (const runId of ['r1', 'r2', 'r3']) tracing.observe(started(runId));

    expect(tracing.activeRuns).toBe(2);
    expect(spans().map((span) => span.attributes['agent.run.id'])).toEqual(['r1']);
    expect(spans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('rebuilds spans whose start it missed, and ignores runs it never saw start', () => {
    const { tracing, spans, one } = setupTracing();
    const base = { runId: 'r1', seq: 0, agent: 'a' };
    const observe = (event: object) => tracing.observe({ ...base, ...event } as AgentEvent);

    observe({
      type: 'tool.succeeded',
      runId: 'unknown',
      timestamp: 5,
      step: 0,
      toolCallId: 'x',
      toolName: 't',
      output: 1,
      durationMs: 1,
    });
    observe({ type: 'run.started', timestamp: 1000, input: 'x' });
    observe({
      type: 'model.responded',
      timestamp: 1500,
      step: 0,
      provider: 'p',
      model: 'm',
      message: { role: 'assistant', content: 'x' },
      usage: { inputTokens: 1, outputTokens: 1 },
      finishReason: 'stop',
      durationMs: 300,
    });
    observe({
      type: 'tool.failed',
      timestamp: 1800,
      step: 0,
      toolCallId: 'c',
      toolName: 't',
      error: { code: 'TOOL_TIMEOUT', message: 'late' },
      durationMs: 200,
    });
    observe({
      type: 'tool.called',
      timestamp: 1900,
      step: 1,
      toolCall: { id: 'dup', name: 't', arguments: {} },
    });
    observe({
      type: 'tool.called',
      timestamp: 1950,
      step: 1,
      toolCall: { id: 'dup', name: 't', arguments: {} },
    });

    expect(spans().map((span) => span.name)).toEqual(['chat m', 'execute_tool t', 'execute_tool t']);
    expect(toMilliseconds(one('chat m').startTime)).toBe(1200);
    expect(toMilliseconds(spans()[1]?.startTime ?? [0, 0])).toBe(1600);
    expect(spans()[1]?.attributes['error.type']).toBe('TOOL_TIMEOUT');
    expect(tracing.activeRuns).toBe(1);
  });

  it('never throws from observe, and reports what failed', () => {
    const errors: unknown[] = [];
    const { tracing } = setupTracing({ onError: (error) => errors.push(error) });
    tracing.observe({
      type: 'run.started',
      runId: 'r',
      seq: 0,
      timestamp: 0,
      agent: 'a',
      input: '',
    } as AgentEvent);

    expect(() =>
      tracing.observe({ type: 'model.failed', runId: 'r' } as unknown as AgentEvent),
    ).not.toThrow();
    expect(errors).toHaveLength(1);
  });

  it('never throws even when onError throws', () => {
    const { tracing } = setupTracing({
      onError: () => {
        throw new Error('worse');
      },
    });
    tracing.observe({
      type: 'run.started',
      runId: 'r',
      seq: 0,
      timestamp: 0,
      agent: 'a',
      input: '',
    } as AgentEvent);

    expect(() => tracing.observe({ type: 'tool.failed', runId: 'r' } as unknown as AgentEvent)).not.toThrow();
  });
});

describe('createAgentTracing: scope', () => {
  it('runs the run without a span when starting the span throws', async () => {
    const errors: unknown[] = [];
    const tracer = {
      startSpan: () => {
        throw new Error('tracer down');
      },
    } as unknown as Tracer;
    const tracing = createAgentTracing({ tracer, onError: (error) => errors.push(error) });

    const value = await tracing.scope.enter({ runId: 'r', agent: 'a', tenant: undefined }, async () => 42);

    expect(value).toBe(42);
    expect(errors).toHaveLength(1);
  });

  it('ends the span and rethrows when fn throws synchronously', () => {
    const { tracing, one } = setupTracing();
    const fn = (): Promise<never> => {
      throw new Error('sync');
    };

    expect(() => tracing.scope.enter({ runId: 'r', agent: 'sync', tenant: 't' }, fn)).toThrow('sync');
    expect(one('invoke_agent sync').status).toEqual({ code: SpanStatusCode.ERROR, message: 'sync' });
    expect(tracing.activeRuns).toBe(0);
  });

  it('closes what a run left open when its scope ends without a terminal event', async () => {
    const { tracing, one } = setupTracing();

    await tracing.scope.enter({ runId: 'r', agent: 'open', tenant: undefined }, async () => {
      const base = { runId: 'r', seq: 0, agent: 'open', timestamp: Date.now() };
      tracing.observe({ ...base, type: 'run.started', input: 'x' } as AgentEvent);
      tracing.observe({
        ...base,
        type: 'model.requested',
        step: 0,
        provider: 'p',
        model: 'm',
        messageCount: 1,
        toolCount: 0,
      } as AgentEvent);
    });
    await Promise.resolve();

    expect(one('chat m').attributes['error.type']).toBe('_OTHER');
    expect(one('invoke_agent open').status.code).toBe(SpanStatusCode.UNSET);
    expect(tracing.activeRuns).toBe(0);
  });

  it('names a thrown non-AgentError by its class, and anything else _OTHER', async () => {
    const { tracing, one } = setupTracing();

    await expect(
      tracing.scope.enter({ runId: 'r1', agent: 'type', tenant: undefined }, async () => {
        throw new TypeError('bad');
      }),
    ).rejects.toThrow('bad');
    await expect(
      tracing.scope.enter({ runId: 'r2', agent: 'other', tenant: undefined }, () => Promise.reject('plain')),
    ).rejects.toBe('plain');
    await Promise.resolve();

    expect(one('invoke_agent type').attributes['error.type']).toBe('TypeError');
    expect(one('invoke_agent other').attributes['error.type']).toBe('_OTHER');
    expect(one('invoke_agent other').status.message).toBe('plain');
  });

  it('uses the global tracer provider by default', async () => {
    const { provider, named } = setupTracing();
    trace.setGlobalTracerProvider(provider);
    try {
      const tracing = createAgentTracing();

      await new Agent({
        name: 'global',
        model: new ScriptedModel([textResponse('x')]),
        scope: tracing.scope,
      }).run('go');
      await Promise.resolve();

      expect(named('invoke_agent global')).toHaveLength(1);
      expect((named('invoke_agent global')[0] as ReadableSpan).instrumentationScope.name).toBe(
        '@agent/observability',
      );
    } finally {
      trace.disable();
    }
  });

  it('rejects a maxAttributeLength or maxActiveRuns that is not a positive integer', () => {
    expect(() => createAgentTracing({ maxAttributeLength: 0 })).toThrow(ConfigError);
    expect(() => createAgentTracing({ maxActiveRuns: -1 })).toThrow(
      /maxActiveRuns must be a positive integer/,
    );
  });
});
