import { describe, expect, it } from 'vitest';
import { z } from 'zod';
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

describe('PlannerExecutor: carrying out a plan', () => {
  it("runs a step with a tool directly, with the plan's input validated by the tool's schema", async () => {
    const { planner, executor, events, hooks } = setup([
      planResponse({ goal: 'Sum', steps: [{ description: 'Add', tool: 'add', input: { a: '2', b: 3 } }] }),
    ]);

    await new PlannerExecutor({ name: 'pe', planner, executor, tools: [add], hooks }).run('2+3');

    expect(events.find((event) => event.type === 'tool.called')).toMatchObject({
      step: 0,
      toolCall: { id: 'plan-step-0', name: 'add', arguments: { a: '2', b: 3 } },
    });
    expect(events.find((event) => event.type === 'tool.succeeded')).toMatchObject({
      step: 0,
      toolName: 'add',
      output: 5,
    });
    expect(executor.calls).toHaveLength(1);
    expect(executor.calls[0]?.messages.at(-1)?.content).toContain('1. Add (tool "add")\nResult: 5');
  });

  it('runs a step without a tool as an agent loop with the executor model, which can call tools', async () => {
    const { planner, executor } = setup(
      [planResponse({ goal: 'Find the sum', steps: [{ description: 'Work out 2 + 3' }] })],
      [toolCallResponse('add', { a: 2, b: 3 }), textResponse('The sum is 5.'), textResponse('5')],
    );

    const result = await new PlannerExecutor({
      name: 'pe',
      instructions: 'Be exact.',
      planner,
      executor,
      tools: [add],
    }).run('What is 2 + 3?');

    const system = executor.calls[0]?.messages[0]?.content ?? '';
    expect(system).toContain('Be exact.');
    expect(system).toContain("The user's task:\nWhat is 2 + 3?");
    expect(system).toContain('The goal of the plan:\nFind the sum');
    expect(system).toContain('Your step:\nWork out 2 + 3');
    expect(executor.calls[0]?.tools.map((tool) => tool.name)).toEqual(['add']);
    expect(executor.calls[1]?.messages.at(-1)).toMatchObject({ role: 'tool', content: '5' });
    expect(result.steps.map((step) => step.index)).toEqual([0, 1, 2, 3]);
    expect(result.steps[1]?.toolResults).toMatchObject([{ toolName: 'add', ok: true, content: '5' }]);
    executor.assertComplete();
  });

  it("passes each step's result forward to the later steps", async () => {
    const { planner, executor } = setup(
      [
        planResponse({
          goal: 'Use the code',
          steps: [
            { description: 'Get the code', tool: 'echo', input: { text: 'alpha-42' } },
            { description: 'Use the code' },
          ],
        }),
      ],
      [textResponse('used alpha-42'), textResponse('done')],
    );

    await new PlannerExecutor({ name: 'pe', planner, executor, tools: [echo] }).run('go');

    expect(executor.calls[0]?.messages[0]?.content).toContain(
      '1. Get the code (tool "echo")\nResult: alpha-42',
    );
    expect(executor.calls[1]?.messages.at(-1)?.content).toContain('2. Use the code\nResult: used alpha-42');
  });

  it("returns the executor's final answer, written from the task and every result, as the output", async () => {
    const { planner, executor } = setup(
      [
        planResponse({
          goal: 'Echo',
          steps: [{ description: 'Echo', tool: 'echo', input: { text: 'x'.repeat(5000) } }],
        }),
      ],
      [textResponse('The echo was long.')],
    );

    const result = await new PlannerExecutor({ name: 'pe', planner, executor, tools: [echo] }).run(
      'Echo a lot',
    );

    expect(result).toMatchObject({ status: 'completed', output: 'The echo was long.' });
    const finalRequest = executor.calls[0]?.messages.at(-1)?.content ?? '';
    expect(finalRequest).toMatch(/^Task:\nEcho a lot\n\nResults of the steps:\n1\. Echo/);
    expect(finalRequest).toContain('… (1000 more characters cut)');
    expect(executor.calls[0]?.tools).toEqual([]);
    expect(result.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant']);
    expect(result.messages.at(-1)).toEqual({ role: 'assistant', content: 'The echo was long.' });
  });

  it('uses the planner model for everything when no executor is given', async () => {
    const planner = new ScriptedModel([
      planResponse({ goal: 'Think', steps: [{ description: 'Think' }] }),
      textResponse('thought'),
      textResponse('answer'),
    ]);

    const result = await new PlannerExecutor({ name: 'pe', planner }).run('go');

    expect(result.output).toBe('answer');
    expect(planner.calls[0]?.settings?.responseFormat).toMatchObject({ name: 'plan', strict: false });
    expect(planner.calls[0]?.messages[0]?.content).toContain('No tools are available');
    planner.assertComplete();
  });
});
