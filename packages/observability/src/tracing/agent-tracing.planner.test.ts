import { PlannerExecutor } from '@agent/core';
import { ScriptedModel, textResponse, toolCallResponse } from '@agent/core/testing';
import { describe, expect, it } from 'vitest';
import { brokenTool, echoTool } from '../metrics/__fixtures__/test-tools.js';
import { parentIdOf, setupTracing, useAsyncContext } from './__fixtures__/otel.js';
import { insideRequestSpan } from './__fixtures__/runs.js';

useAsyncContext();

describe('createAgentTracing: PlannerExecutor', () => {
  it('traces a plan run as one run span with its planner, step and final calls under it', async () => {
    const { tracer, tracing, bus, one, named } = setupTracing();
    const plan = {
      goal: 'Echo then summarize',
      steps: [
        { description: 'Echo hi', tool: 'echo', input: { text: 'hi' } },
        { description: 'Summarize the echo' },
      ],
    };
    const planner = new ScriptedModel([textResponse(JSON.stringify(plan))], { modelId: 'planner-model' });
    const executor = new ScriptedModel(
      [
        toolCallResponse('echo', { text: 'again' }, { id: 'step-call' }),
        textResponse('summary'),
        textResponse('final'),
      ],
      { modelId: 'executor-model' },
    );
    const researcher = new PlannerExecutor({
      name: 'researcher',
      planner,
      executor,
      tools: [echoTool],
      events: bus,
      scope: tracing.scope,
    });

    const { outer, value: result } = await insideRequestSpan(tracer, () => researcher.run('Say hi'));

    const run = one('invoke_agent researcher');
    expect(parentIdOf(run)).toBe(outer.spanContext().spanId);
    expect(run.attributes['agent.run.id']).toBe(result.runId);
    expect(named('invoke_agent')).toHaveLength(1);
    expect(named('chat planner-model')).toHaveLength(1);
    expect(named('chat executor-model')).toHaveLength(3);
    expect(
      named('execute_tool echo')
        .map((span) => span.attributes['gen_ai.tool.call.id'])
        .sort(),
    ).toEqual(['plan-step-0', 'step-call']);
    for (const span of [...named('chat '), ...named('execute_tool ')]) {
      expect(parentIdOf(span)).toBe(run.spanContext().spanId);
    }
    expect(run.events.map((event) => event.name)).toEqual(['agent.plan.created']);
    expect(tracing.activeRuns).toBe(0);
  });

  it('records a failed plan step as an event on the run span', async () => {
    const { bus, one } = setupTracing();
    const plan = { goal: 'Break', steps: [{ description: 'Break it', tool: 'broken', input: {} }] };
    const planner = new ScriptedModel([textResponse(JSON.stringify(plan))]);

    await expect(
      new PlannerExecutor({ name: 'pe', planner, tools: [brokenTool], events: bus, maxReplans: 0 }).run('go'),
    ).rejects.toMatchObject({ code: 'PLAN_FAILED' });

    const run = one('invoke_agent pe');
    expect(run.events.map((event) => [event.name, event.attributes?.['error.type']])).toEqual([
      ['agent.plan.created', undefined],
      ['agent.plan.step.failed', 'TOOL_FAILED'],
    ]);
    expect(run.attributes['error.type']).toBe('PLAN_FAILED');
  });
});
