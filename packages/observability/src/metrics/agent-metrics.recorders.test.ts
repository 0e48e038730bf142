import { Agent, type AgentEvent, ConfigError, EventBus } from '@agent/core';
import { ScriptedModel, textResponse } from '@agent/core/testing';
import { describe, expect, it } from 'vitest';
import {
  event,
  histogramSum,
  seriesValue,
  setupMetrics as setup,
  usage,
  valuesOf,
} from './__fixtures__/prom.js';
import { createAgentMetrics } from './agent-metrics.js';

describe('createAgentMetrics label guard', () => {
  it('maps label values past maxLabelValues to "other"', async () => {
    const { metrics, bus } = setup({ maxLabelValues: 2 });
    const model = new ScriptedModel([], { fallback: textResponse('x') });

    for (const name of ['a', 'b', 'c', 'd', 'a']) await new Agent({ name, model, events: bus }).run('go');

    const series = await valuesOf(metrics, 'agent_runs_total');
    expect(series.map((value) => [value.labels.agent, value.value])).toEqual([
      ['a', 2],
      ['b', 1],
      ['other', 2],
    ]);
    expect(await seriesValue(metrics, 'agent_runs_active', { agent: 'other' })).toBe(0);
  });

  it('caps each label separately', async () => {
    const metrics = createAgentMetrics({ processMetrics: false, maxLabelValues: 1 });
    const responded = (provider: string, model: string) =>
      event('model.responded', {
        step: 0,
        provider,
        model,
        message: { role: 'assistant', content: '' },
        usage: { inputTokens: 1, outputTokens: 1 },
        finishReason: 'stop',
        durationMs: 10,
      });

    metrics.observe(responded('p1', 'm1'));
    metrics.observe(responded('p1', 'm2'));
    metrics.observe(responded('p2', 'm1'));

    const series = await valuesOf(metrics, 'agent_llm_tokens_total');
    expect(
      series.filter((value) => value.labels.type === 'input').map((value) => [value.labels, value.value]),
    ).toEqual([
      [{ provider: 'p1', model: 'm1', type: 'input' }, 1],
      [{ provider: 'p1', model: 'other', type: 'input' }, 1],
      [{ provider: 'other', model: 'm1', type: 'input' }, 1],
    ]);
  });

  it('rejects a maxLabelValues or maxActiveRuns that is not a positive integer', () => {
    expect(() => createAgentMetrics({ maxLabelValues: 0 })).toThrow(ConfigError);
    expect(() => createAgentMetrics({ maxActiveRuns: 1.5 })).toThrow(
      /maxActiveRuns must be a positive integer/,
    );
  });
});

describe('createAgentMetrics recorders', () => {
  it('counts rate-limit rejections from the server, with unknown scopes as "other"', async () => {
    const metrics = createAgentMetrics({ processMetrics: false });

    metrics.recordRateLimitRejection('http', 'calls');
    metrics.recordRateLimitRejection('http', 'calls');
    metrics.recordRateLimitRejection('queue' as 'http', 'tokens');

    expect(
      await seriesValue(metrics, 'agent_ratelimit_rejections_total', { scope: 'http', kind: 'calls' }),
    ).toBe(2);
    expect(
      await seriesValue(metrics, 'agent_ratelimit_rejections_total', { scope: 'other', kind: 'tokens' }),
    ).toBe(1);
  });

  it('counts dropped events by source and ignores counts that are not positive', async () => {
    const metrics = createAgentMetrics({ processMetrics: false });

    metrics.recordDroppedEvents('sse', 3);
    metrics.recordDroppedEvents('sse', 2);
    metrics.recordDroppedEvents('store', 0);
    metrics.recordDroppedEvents('file', -1);
    metrics.recordDroppedEvents('file', Number.NaN);
    metrics.recordDroppedEvents('disk' as 'file', 1);

    expect(
      (await valuesOf(metrics, 'agent_events_dropped_total')).map((value) => [value.labels, value.value]),
    ).toEqual([
      [{ source: 'sse' }, 5],
      [{ source: 'other' }, 1],
    ]);
  });

  it('adds the drops of a watched bus at each scrape, until unwatched', async () => {
    const metrics = createAgentMetrics({ processMetrics: false });
    const bus = new EventBus();
    // A subscriber that never finishes its first event: everything after the second is dropped.
    bus.subscribe(() => new Promise<void>(() => {}), { maxQueue: 1 });
    const model = new ScriptedModel([], { fallback: textResponse('x') });
    const agent = new Agent({ name: 'a', model, events: bus });
    const unwatch = metrics.watchBus(bus);
    await agent.run('one');
    const afterOne = bus.stats().dropped;

    expect(afterOne).toBeGreaterThan(0);
    expect(await seriesValue(metrics, 'agent_events_dropped_total', { source: 'bus' })).toBe(afterOne);
    expect(metrics.watchBus(bus)).toBe(unwatch);
    await agent.run('two');
    const afterTwo = bus.stats().dropped;
    expect(await seriesValue(metrics, 'agent_events_dropped_total', { source: 'bus' })).toBe(afterTwo);
    expect(await seriesValue(metrics, 'agent_events_dropped_total', { source: 'bus' })).toBe(afterTwo);
    await agent.run('three');
    unwatch();
    const atUnwatch = bus.stats().dropped;
    await agent.run('four');
    unwatch();

    expect(bus.stats().dropped).toBeGreaterThan(atUnwatch);
    expect(await seriesValue(metrics, 'agent_events_dropped_total', { source: 'bus' })).toBe(atUnwatch);
  });

  it('survives a watched bus whose stats throw or go backwards', async () => {
    const metrics = createAgentMetrics({ processMetrics: false });
    let dropped = 5;
    let broken = false;
    const bus = {
      stats: () => {
        if (broken) throw new Error('gone');
        return { dropped };
      },
    };
    metrics.watchBus(bus);

    expect(await seriesValue(metrics, 'agent_events_dropped_total', { source: 'bus' })).toBe(5);
    broken = true;
    expect(await seriesValue(metrics, 'agent_events_dropped_total', { source: 'bus' })).toBe(5);
    broken = false;
    dropped = 2;
    expect(await seriesValue(metrics, 'agent_events_dropped_total', { source: 'bus' })).toBe(5);
    dropped = 4;
    expect(await seriesValue(metrics, 'agent_events_dropped_total', { source: 'bus' })).toBe(7);
    dropped = Number.NaN;
    expect(await seriesValue(metrics, 'agent_events_dropped_total', { source: 'bus' })).toBe(7);
  });
});

describe('createAgentMetrics observe', () => {
  it('never throws on a malformed event, and reports it to onError', () => {
    const errors: unknown[] = [];
    const metrics = createAgentMetrics({ processMetrics: false, onError: (error) => errors.push(error) });
    const malformed = { type: 'model.failed', runId: 'r', agent: 'a' } as unknown as AgentEvent;

    expect(() => metrics.observe(malformed)).not.toThrow();
    expect(errors).toHaveLength(1);
  });

  it('never throws even when onError throws', () => {
    const metrics = createAgentMetrics({
      processMetrics: false,
      onError: () => {
        throw new Error('worse');
      },
    });

    expect(() => metrics.observe({ type: 'tool.failed' } as unknown as AgentEvent)).not.toThrow();
  });

  it('ignores negative costs and durations instead of failing', async () => {
    const errors: unknown[] = [];
    const metrics = createAgentMetrics({ processMetrics: false, onError: (error) => errors.push(error) });

    metrics.observe(
      event('model.responded', {
        step: 0,
        provider: 'p',
        model: 'm',
        message: { role: 'assistant', content: '' },
        usage: { inputTokens: 1, outputTokens: 1, costUsd: -1 },
        finishReason: 'stop',
        durationMs: -5,
      }),
    );

    expect(errors).toEqual([]);
    expect(await seriesValue(metrics, 'agent_llm_cost_total', { provider: 'p', model: 'm' })).toBeUndefined();
    expect(
      await histogramSum(metrics, 'agent_llm_request_duration_seconds', {
        provider: 'p',
        model: 'm',
        outcome: 'ok',
      }),
    ).toBe(0);
  });

  it('does not count a run twice as active, nor decrement for a run it never saw start', async () => {
    const metrics = createAgentMetrics({ processMetrics: false });

    metrics.observe(event('run.started', { input: 'x' }));
    metrics.observe(event('run.started', { input: 'x' }));
    metrics.observe(
      event('run.cancelled', { reason: 'r', usage, steps: 0, durationMs: 0 }, { runId: 'other' }),
    );

    expect(await seriesValue(metrics, 'agent_runs_active', { agent: 'a' })).toBe(1);
  });

  it('forgets the oldest active run past maxActiveRuns', async () => {
    const metrics = createAgentMetrics({ processMetrics: false, maxActiveRuns: 1 });
    const failed = {
      error: { name: 'E', code: 'INTERNAL' as const, message: 'x', retryable: false },
      usage,
      steps: 0,
      durationMs: 0,
    };

    metrics.observe(event('run.started', { input: 'x' }, { runId: 'r1' }));
    metrics.observe(event('run.started', { input: 'x' }, { runId: 'r2' }));
    const whileBoth = await seriesValue(metrics, 'agent_runs_active', { agent: 'a' });
    metrics.observe(event('run.failed', failed, { runId: 'r1' }));
    const afterFirst = await seriesValue(metrics, 'agent_runs_active', { agent: 'a' });
    metrics.observe(event('run.failed', failed, { runId: 'r2' }));

    expect([whileBoth, afterFirst]).toEqual([1, 1]);
    expect(await seriesValue(metrics, 'agent_runs_active', { agent: 'a' })).toBe(0);
    expect(await seriesValue(metrics, 'agent_runs_total', { agent: 'a', status: 'failed' })).toBe(2);
  });
});
