import { Agent, ConfigError, EventBus, MemoryRateLimiter, ModelError, type ModelResponse } from '@agent/core';
import { ScriptedModel, textResponse, toolCallsResponse } from '@agent/core/testing';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  event,
  histogramCount,
  histogramSum,
  seriesValue,
  setupMetrics as setup,
  usage,
  valuesOf,
} from './__fixtures__/prom.js';
import { brokenTool, echoTool, testTool } from './__fixtures__/test-tools.js';
import { createAgentMetrics } from './agent-metrics.js';
import { AGENT_METRIC_NAMES } from './metric-families.js';

describe('createAgentMetrics with real runs', () => {
  it('counts a completed run with its LLM calls, tokens, cost and tool calls that succeed and fail', async () => {
    const { metrics, bus } = setup();
    const priced: ModelResponse = {
      message: { role: 'assistant', content: 'done' },
      usage: {
        inputTokens: 100,
        outputTokens: 20,
        cacheReadTokens: 50,
        cacheWriteTokens: 10,
        costUsd: 0.0125,
      },
      finishReason: 'stop',
    };
    const model = new ScriptedModel(
      [
        toolCallsResponse([
          { name: 'echo', arguments: { text: 'hi' } },
          { name: 'broken', arguments: {} },
        ]),
        priced,
      ],
      { provider: 'acme', modelId: 'acme-large' },
    );
    const agent = new Agent({ name: 'helper', model, tools: [echoTool, brokenTool], events: bus });

    const result = await agent.run('go');

    const llm = { provider: 'acme', model: 'acme-large' };
    expect(await seriesValue(metrics, 'agent_runs_total', { agent: 'helper', status: 'completed' })).toBe(1);
    expect(
      await histogramCount(metrics, 'agent_run_duration_seconds', { agent: 'helper', status: 'completed' }),
    ).toBe(1);
    expect(await seriesValue(metrics, 'agent_runs_active', { agent: 'helper' })).toBe(0);
    expect(
      await histogramCount(metrics, 'agent_llm_request_duration_seconds', { ...llm, outcome: 'ok' }),
    ).toBe(2);
    expect(await seriesValue(metrics, 'agent_llm_tokens_total', { ...llm, type: 'input' })).toBe(110);
    expect(await seriesValue(metrics, 'agent_llm_tokens_total', { ...llm, type: 'output' })).toBe(25);
    expect(await seriesValue(metrics, 'agent_llm_tokens_total', { ...llm, type: 'cache_read' })).toBe(50);
    expect(await seriesValue(metrics, 'agent_llm_tokens_total', { ...llm, type: 'cache_write' })).toBe(10);
    expect(await seriesValue(metrics, 'agent_llm_cost_total', llm)).toBeCloseTo(0.0125);
    expect(await seriesValue(metrics, 'agent_tool_calls_total', { tool: 'echo', outcome: 'ok' })).toBe(1);
    expect(
      await seriesValue(metrics, 'agent_tool_calls_total', { tool: 'broken', outcome: 'TOOL_FAILED' }),
    ).toBe(1);
    expect(await histogramCount(metrics, 'agent_tool_duration_seconds', { tool: 'echo' })).toBe(1);
    expect(await histogramCount(metrics, 'agent_tool_duration_seconds', { tool: 'broken' })).toBe(1);
    expect(await metrics.metrics()).not.toContain(result.runId);
  });

  it('shows a run as active while it runs', async () => {
    const { metrics, bus } = setup();
    let activeDuringTool: number | undefined;
    const probe = testTool('probe', async () => {
      activeDuringTool = await seriesValue(metrics, 'agent_runs_active', { agent: 'prober' });
      return 'ok';
    });
    const model = new ScriptedModel([
      toolCallsResponse([{ name: 'probe', arguments: {} }]),
      textResponse('x'),
    ]);

    await new Agent({ name: 'prober', model, tools: [probe], events: bus }).run('go');

    expect(activeDuringTool).toBe(1);
    expect(await seriesValue(metrics, 'agent_runs_active', { agent: 'prober' })).toBe(0);
  });

  it('counts a model failure with its error code as the outcome, and the failed run', async () => {
    const { metrics, bus } = setup();
    const model = new ScriptedModel([new ModelError('MODEL_OVERLOADED', 'busy')]);

    await expect(new Agent({ name: 'fragile', model, events: bus }).run('go')).rejects.toThrow();

    expect(
      await histogramCount(metrics, 'agent_llm_request_duration_seconds', {
        provider: 'scripted',
        model: 'scripted-model',
        outcome: 'MODEL_OVERLOADED',
      }),
    ).toBe(1);
    expect(await seriesValue(metrics, 'agent_runs_total', { agent: 'fragile', status: 'failed' })).toBe(1);
    expect(await seriesValue(metrics, 'agent_runs_active', { agent: 'fragile' })).toBe(0);
    expect(
      await seriesValue(metrics, 'agent_llm_tokens_total', {
        provider: 'scripted',
        model: 'scripted-model',
        type: 'input',
      }),
    ).toBeUndefined();
  });

  it('counts rate-limit rejections of the model limiter by kind', async () => {
    const { metrics, bus } = setup();
    const limiter = new MemoryRateLimiter({
      rules: [{ name: 'one-call', scope: 'agent', maxCalls: 1, windowMs: 60_000 }],
    });
    const agent = new Agent({
      name: 'limited',
      model: new ScriptedModel([], { fallback: textResponse('ok') }),
      limiter: { limiter, onLimit: 'fail' },
      events: bus,
    });
    await agent.run('first');

    await expect(agent.run('second')).rejects.toMatchObject({ code: 'RATE_LIMITED' });

    expect(
      await seriesValue(metrics, 'agent_ratelimit_rejections_total', { scope: 'model', kind: 'calls' }),
    ).toBe(1);
    expect(await seriesValue(metrics, 'agent_runs_total', { agent: 'limited', status: 'failed' })).toBe(1);
    expect(await seriesValue(metrics, 'agent_runs_total', { agent: 'limited', status: 'completed' })).toBe(1);
  });

  it('counts a cancelled run and its aborted model call', async () => {
    const { metrics, bus } = setup();
    const controller = new AbortController();
    const model = new ScriptedModel([
      () => {
        controller.abort(new Error('user left'));
        return textResponse('too late');
      },
    ]);

    await expect(
      new Agent({ name: 'quitter', model, events: bus }).run('go', { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'ABORTED' });

    expect(await seriesValue(metrics, 'agent_runs_total', { agent: 'quitter', status: 'cancelled' })).toBe(1);
    expect(
      await histogramCount(metrics, 'agent_run_duration_seconds', { agent: 'quitter', status: 'cancelled' }),
    ).toBe(1);
    expect(
      await histogramCount(metrics, 'agent_llm_request_duration_seconds', {
        provider: 'scripted',
        model: 'scripted-model',
        outcome: 'ABORTED',
      }),
    ).toBe(1);
    expect(await seriesValue(metrics, 'agent_runs_active', { agent: 'quitter' })).toBe(0);
  });
});

describe('createAgentMetrics exposition', () => {
  it('exposes valid metric names with HELP and TYPE lines, and process metrics by default', async () => {
    const metrics = createAgentMetrics();
    const bus = new EventBus();
    bus.tap(metrics.observe);
    await new Agent({ name: 'a', model: new ScriptedModel([textResponse('x')]), events: bus }).run('go');

    const text = await metrics.metrics();

    const expected: [string, string][] = [
      ['agent_runs_total', 'counter'],
      ['agent_run_duration_seconds', 'histogram'],
      ['agent_runs_active', 'gauge'],
      ['agent_llm_request_duration_seconds', 'histogram'],
      ['agent_llm_tokens_total', 'counter'],
      ['agent_llm_cost_total', 'counter'],
      ['agent_tool_calls_total', 'counter'],
      ['agent_tool_duration_seconds', 'histogram'],
      ['agent_ratelimit_rejections_total', 'counter'],
      ['agent_events_dropped_total', 'counter'],
    ];
    for (const [name, type] of expected) {
      expect(text).toMatch(new RegExp(`^# HELP ${name} \\S.*$`, 'm'));
      expect(text).toContain(`# TYPE ${name} ${type}\n`);
    }
    expect(Object.values(AGENT_METRIC_NAMES).sort()).toEqual(expected.map(([name]) => name).sort());
    expect(text).toMatch(/^# HELP agent_llm_cost_total .*US dollars/m);
    expect(text).toContain('process_cpu_user_seconds_total');
    for (const line of text.split('\n').filter((row) => row !== '' && !row.startsWith('#'))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? \S+$/);
    }
    expect(text).toContain('agent_runs_total{agent="a",status="completed"} 1');
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('leaves process metrics out when processMetrics is false', async () => {
    const metrics = createAgentMetrics({ processMetrics: false });

    expect(await metrics.metrics()).not.toContain('process_cpu_user_seconds_total');
  });

  it('keeps two instances apart: own registries, own values', async () => {
    const first = createAgentMetrics({ processMetrics: false });
    const second = createAgentMetrics({ processMetrics: false });
    const bus = new EventBus();
    bus.tap(first.observe);

    await new Agent({ name: 'solo', model: new ScriptedModel([textResponse('x')]), events: bus }).run('go');

    expect(first.registry).not.toBe(second.registry);
    expect(await seriesValue(first, 'agent_runs_total', { agent: 'solo', status: 'completed' })).toBe(1);
    expect(await valuesOf(second, 'agent_runs_total')).toEqual([]);
  });

  it('registers into a registry passed in, once', async () => {
    const registry = new Registry();
    const metrics = createAgentMetrics({ registry, processMetrics: false });

    metrics.observe(event('run.completed', { output: 'x', usage, steps: 1, durationMs: 1500 }));

    expect(metrics.registry).toBe(registry);
    expect(await registry.metrics()).toContain('agent_runs_total{agent="a",status="completed"} 1');
    expect(
      await histogramSum(metrics, 'agent_run_duration_seconds', { agent: 'a', status: 'completed' }),
    ).toBe(1.5);
    expect(() => createAgentMetrics({ registry })).toThrow(ConfigError);
    expect(() => createAgentMetrics({ registry })).toThrow(/agent_runs_total" is already registered/);
  });

  it('does not collect process metrics again into a registry that has them', async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });

    createAgentMetrics({ registry, processMetrics: true });

    expect((await registry.metrics()).match(/^# TYPE process_cpu_user_seconds_total /gm)).toHaveLength(1);
  });

  it('uses the buckets given', async () => {
    const metrics = createAgentMetrics({ processMetrics: false, buckets: { tool: [1, 2] } });

    metrics.observe(
      event('tool.succeeded', { step: 0, toolCallId: 'c', toolName: 't', output: 1, durationMs: 1500 }),
    );

    const buckets = await valuesOf(
      metrics,
      'agent_tool_duration_seconds',
      'agent_tool_duration_seconds_bucket',
    );
    expect(buckets.map((bucket) => [bucket.labels.le, bucket.value])).toEqual([
      [1, 0],
      [2, 1],
      ['+Inf', 1],
    ]);
  });
});
