import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentError } from '../errors/agent-error.js';
import { ModelError, PlanError, ToolError, ValidationError } from '../errors/errors.js';
import type { AgentEvent } from '../events/agent-event.js';
import { ScriptedModel, textResponse, toolCallResponse } from '../testing/scripted-model.js';
import { defineTool } from '../tools/define-tool.js';
import type { Plan } from './plan.js';
import { PlannerExecutor } from './planner-executor.js';

const echo = defineTool({
  name: 'echo',
  description: 'Returns its text.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  input: z.object({ a: z.coerce.number(), b: z.coerce.number() }),
  execute: ({ a, b }) => a + b,
});

const broken = defineTool({
  name: 'broken',
  description: 'Always fails.',
  input: z.object({}),
  execute: () => {
    throw new Error('disk on fire');
  },
});

const planResponse = (plan: Plan) => textResponse(JSON.stringify(plan));

function recorder() {
  const events: AgentEvent[] = [];
  return { events, onEvent: (event: AgentEvent) => events.push(event) };
}

function setup(
  plannerScript: ConstructorParameters<typeof ScriptedModel>[0],
  executorScript: ConstructorParameters<typeof ScriptedModel>[0] = [textResponse('final answer')],
) {
  const planner = new ScriptedModel(plannerScript);
  const executor = new ScriptedModel(executorScript);
  const { events, onEvent } = recorder();
  return { planner, executor, events, hooks: { onEvent } };
}

describe('PlannerExecutor: planning failures', () => {
  it('repairs an invalid plan once by telling the planner what was wrong', async () => {
    const { planner, executor, events, hooks } = setup([
      textResponse('Sure! Here is my plan: step one...'),
      planResponse({
        goal: 'Echo',
        steps: [{ description: 'Echo hi', tool: 'echo', input: { text: 'hi' } }],
      }),
    ]);

    const result = await new PlannerExecutor({ name: 'pe', planner, executor, tools: [echo], hooks }).run(
      'Say hi',
    );

    expect(result.output).toBe('final answer');
    expect(planner.calls[1]?.messages.at(-2)).toEqual({
      role: 'assistant',
      content: 'Sure! Here is my plan: step one...',
    });
    expect(planner.calls[1]?.messages.at(-1)?.content).toContain('not valid JSON');
    expect(events.filter((event) => event.type === 'output.repaired')).toHaveLength(1);
    expect(events.find((event) => event.type === 'plan.created')).toMatchObject({
      attempt: 1,
      plan: { goal: 'Echo' },
    });
    planner.assertComplete();
  });

  it('fails with PlanError when the plan is still invalid after the repair, without running anything', async () => {
    const { planner, executor, events, hooks } = setup([
      textResponse('not json'),
      textResponse('{"goal": "x", "steps": []}'),
    ]);

    const error = await new PlannerExecutor({ name: 'pe', planner, executor, hooks })
      .run('go')
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PlanError);
    expect(error).toMatchObject({ code: 'PLAN_FAILED', runId: events[0]?.runId });
    expect((error as AgentError).message).toContain('"steps"');
    expect((error as AgentError).cause).toBeInstanceOf(ValidationError);
    expect(executor.calls).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ type: 'run.failed', error: { code: 'PLAN_FAILED' } });
  });

  it('sends a plan that names an unknown tool back for repair, with the tools that exist', async () => {
    const { planner, executor } = setup([
      planResponse({ goal: 'Sum', steps: [{ description: 'Multiply', tool: 'multiply', input: { a: 2 } }] }),
      planResponse({ goal: 'Sum', steps: [{ description: 'Add', tool: 'add', input: { a: 2, b: 3 } }] }),
    ]);

    const result = await new PlannerExecutor({ name: 'pe', planner, executor, tools: [add, echo] }).run(
      '2+3',
    );

    expect(planner.calls[1]?.messages.at(-1)?.content).toContain(
      'names unknown tool "multiply"; use one of add, echo',
    );
    expect(result.output).toBe('final answer');
  });

  it('sends a plan whose tool input breaks the tool schema back for repair', async () => {
    const { planner, executor } = setup([
      planResponse({ goal: 'Echo', steps: [{ description: 'Echo', tool: 'echo', input: { words: 'hi' } }] }),
      planResponse({ goal: 'Echo', steps: [{ description: 'Echo', tool: 'echo', input: { text: 'hi' } }] }),
    ]);

    await new PlannerExecutor({ name: 'pe', planner, executor, tools: [echo] }).run('Say hi');

    expect(planner.calls[1]?.messages.at(-1)?.content).toContain(
      '"steps.0.input" is not a valid input of tool "echo": "text"',
    );
  });

  it('rejects with the typed ModelError of a failing planner call, carrying the run id', async () => {
    const { planner, executor, events, hooks } = setup([
      new ModelError('MODEL_AUTH', 'bad key', { status: 401 }),
    ]);

    const error = await new PlannerExecutor({ name: 'pe', planner, executor, hooks })
      .run('go')
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'MODEL_AUTH', runId: events[0]?.runId });
    expect(events.map((event) => event.type)).toEqual([
      'run.started',
      'model.requested',
      'model.failed',
      'run.failed',
    ]);
  });
});

describe('PlannerExecutor: failed steps and replanning', () => {
  it('replans after a failed step, tells the planner what failed, and completes with the new plan', async () => {
    const { planner, executor, events, hooks } = setup([
      planResponse({
        goal: 'Report',
        steps: [
          { description: 'Echo first', tool: 'echo', input: { text: 'first' } },
          { description: 'Break it', tool: 'broken', input: {} },
          { description: 'Never runs', tool: 'echo', input: { text: 'never' } },
        ],
      }),
      planResponse({
        goal: 'Report',
        steps: [{ description: 'Echo instead', tool: 'echo', input: { text: 'second' } }],
      }),
    ]);

    const result = await new PlannerExecutor({
      name: 'pe',
      planner,
      executor,
      tools: [echo, broken],
      hooks,
    }).run('Report');

    const replanRequest = planner.calls[1]?.messages.at(-1)?.content ?? '';
    expect(replanRequest).toContain('Task:\nReport');
    expect(replanRequest).toContain('1. Echo first (tool "echo")\nResult: first');
    expect(replanRequest).toContain(
      '"Break it" (tool "broken"), failed:\nTool "broken" failed: disk on fire',
    );
    expect(events.filter((event) => event.type.startsWith('plan.'))).toMatchObject([
      { type: 'plan.created', attempt: 1 },
      { type: 'plan.step.started', index: 0, tool: 'echo' },
      { type: 'plan.step.completed', index: 0, output: 'first' },
      { type: 'plan.step.started', index: 1, tool: 'broken' },
      { type: 'plan.step.failed', index: 1, error: { code: 'TOOL_FAILED' } },
      { type: 'plan.replanned', attempt: 1, reason: 'Tool "broken" failed: disk on fire' },
      { type: 'plan.created', attempt: 2, plan: { steps: [{ description: 'Echo instead' }] } },
      { type: 'plan.step.started', index: 2, description: 'Echo instead' },
      { type: 'plan.step.completed', index: 2, output: 'second' },
    ]);
    expect(executor.calls[0]?.messages.at(-1)?.content).not.toContain('never');
    expect(result.output).toBe('final answer');
  });

  it('fails with PlanError naming the step and keeping the cause when no replan is left', async () => {
    const breakIt = planResponse({
      goal: 'Break',
      steps: [{ description: 'Break it', tool: 'broken', input: {} }],
    });
    const { planner, executor, events, hooks } = setup([breakIt, breakIt]);

    const error = await new PlannerExecutor({
      name: 'pe',
      planner,
      executor,
      tools: [broken],
      maxReplans: 1,
      hooks,
    })
      .run('go')
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PlanError);
    expect((error as AgentError).message).toMatch(
      /^Plan step 1 \("Break it", tool "broken"\) failed with no replan left \(maxReplans: 1\): Tool "broken" failed: disk on fire/,
    );
    expect((error as AgentError).cause).toBeInstanceOf(ToolError);
    expect((error as AgentError).details).toMatchObject({
      step: 1,
      description: 'Break it',
      tool: 'broken',
      maxReplans: 1,
    });
    expect((error as AgentError).runId).toBe(events[0]?.runId);
    expect(planner.calls).toHaveLength(2);
    expect(executor.calls).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ type: 'run.failed', error: { code: 'PLAN_FAILED' } });
  });

  it('fails at the first failed step when maxReplans is 0', async () => {
    const { planner, executor } = setup([
      planResponse({ goal: 'Break', steps: [{ description: 'Break it', tool: 'broken' }] }),
    ]);

    const error = await new PlannerExecutor({ name: 'pe', planner, executor, tools: [broken], maxReplans: 0 })
      .run('go')
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'PLAN_FAILED', details: { step: 0, maxReplans: 0 } });
    expect((error as AgentError).message).toContain('("Break it", tool "broken")');
    expect(planner.calls).toHaveLength(1);
  });

  it('replans when a step agent fails, e.g. by running out of maxStepsPerStep', async () => {
    const { planner, executor, events, hooks } = setup(
      [
        planResponse({ goal: 'Loop', steps: [{ description: 'Keep adding' }] }),
        planResponse({
          goal: 'Loop',
          steps: [{ description: 'Add once', tool: 'add', input: { a: 1, b: 1 } }],
        }),
      ],
      [toolCallResponse('add', { a: 1, b: 1 }), toolCallResponse('add', { a: 1, b: 1 }), textResponse('2')],
    );

    const result = await new PlannerExecutor({
      name: 'pe',
      planner,
      executor,
      tools: [add],
      maxStepsPerStep: 2,
      hooks,
    }).run('go');

    expect(events.find((event) => event.type === 'plan.step.failed')).toMatchObject({
      index: 0,
      error: { code: 'MAX_STEPS_EXCEEDED' },
    });
    expect(planner.calls[1]?.messages.at(-1)?.content).toContain(
      '"Keep adding", failed:\nThe run reached maxSteps (2)',
    );
    expect(result.output).toBe('2');
    executor.assertComplete();
  });
});
