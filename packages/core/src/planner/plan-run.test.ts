import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentError } from '../errors/agent-error.js';
import { AbortedError } from '../errors/errors.js';
import type { AgentEvent } from '../events/agent-event.js';
import { EventBus } from '../events/event-bus.js';
import type { ConversationMemory } from '../memory/conversation-memory.js';
import type { Message } from '../messages/message.js';
import { ScriptedModel, textResponse, toolCallResponse } from '../testing/scripted-model.js';
import { defineTool } from '../tools/define-tool.js';
import type { Plan } from './plan.js';
import { PlannerExecutor } from './planner-executor.js';

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

const planResponse = (plan: Plan, usage?: { inputTokens: number; outputTokens: number }) =>
  textResponse(JSON.stringify(plan), usage);

const twoStepPlan = planResponse({
  goal: 'Sum twice',
  steps: [
    { description: 'Add directly', tool: 'add', input: { a: 1, b: 2 } },
    { description: 'Add with an agent' },
  ],
});

describe('PlannerExecutor: cancellation', () => {
  it('stops a running tool step promptly when aborted, and reports the run as cancelled', async () => {
    const controller = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const hang = defineTool({
      name: 'hang',
      description: 'Never finishes on its own.',
      input: z.object({}),
      execute: (_input, context) =>
        new Promise((_resolve, reject) => {
          toolSignal = context.signal;
          context.signal.addEventListener('abort', () => reject(new Error('tool saw abort')));
          setTimeout(() => controller.abort(), 5);
        }),
    });
    const planner = new ScriptedModel([
      planResponse({ goal: 'Wait', steps: [{ description: 'Wait', tool: 'hang' }] }),
    ]);
    const events: AgentEvent[] = [];

    const error = await new PlannerExecutor({
      name: 'pe',
      planner,
      tools: [hang],
      hooks: { onEvent: (event) => events.push(event) },
    })
      .run('go', { signal: controller.signal })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AgentError).runId).toBe(events[0]?.runId);
    expect(toolSignal?.aborted).toBe(true);
    expect(events.at(-1)?.type).toBe('run.cancelled');
    expect(events.some((event) => event.type === 'plan.step.failed' || event.type === 'plan.replanned')).toBe(
      false,
    );
    expect(planner.calls).toHaveLength(1);
  });

  it("stops a step agent's model call that ignores its signal, without replanning", async () => {
    const controller = new AbortController();
    const planner = new ScriptedModel([
      planResponse({ goal: 'Think', steps: [{ description: 'Think forever' }] }),
    ]);
    const executor = new ScriptedModel([
      () => {
        setTimeout(() => controller.abort(), 5);
        return new Promise(() => {});
      },
    ]);
    const events: AgentEvent[] = [];

    const error = await new PlannerExecutor({
      name: 'pe',
      planner,
      executor,
      hooks: { onEvent: (event) => events.push(event) },
    })
      .run('go', { signal: controller.signal })
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(events.at(-1)?.type).toBe('run.cancelled');
    expect(events.some((event) => event.type === 'plan.step.failed' || event.type === 'plan.replanned')).toBe(
      false,
    );
    expect(planner.calls).toHaveLength(1);
  });

  it('refuses to start a run whose signal is already aborted, without calling a model', async () => {
    const planner = new ScriptedModel([textResponse('never')]);

    await expect(
      new PlannerExecutor({ name: 'pe', planner }).run('go', { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(planner.calls).toHaveLength(0);
  });
});

describe('PlannerExecutor: events, usage and memory', () => {
  it("emits one run's events: one run id, contiguous seq from 0, run.started first and run.completed last", async () => {
    const bus = new EventBus();
    const seen: AgentEvent[] = [];
    bus.subscribe((event) => {
      seen.push(event);
    });
    const planner = new ScriptedModel([twoStepPlan]);
    const executor = new ScriptedModel([
      toolCallResponse('add', { a: 3, b: 4 }),
      textResponse('7'),
      textResponse('3 and 7'),
    ]);

    const result = await new PlannerExecutor({
      name: 'pe',
      planner,
      executor,
      tools: [add],
      events: bus,
    }).run('go', {
      tenant: 'acme',
      metadata: { source: 'test' },
    });
    await new Promise((resolve) => setTimeout(resolve, 0));

    expect(seen.map((event) => event.seq)).toEqual(seen.map((_event, index) => index));
    expect(new Set(seen.map((event) => event.runId))).toEqual(new Set([result.runId]));
    expect(seen.every((event) => event.agent === 'pe' && event.tenant === 'acme')).toBe(true);
    expect(seen[0]).toMatchObject({ type: 'run.started', input: 'go', metadata: { source: 'test' } });
    expect(seen.at(-1)).toMatchObject({ type: 'run.completed', output: '3 and 7', steps: 4 });
    expect(seen.filter((event) => event.type === 'run.started')).toHaveLength(1);
    expect(seen.some((event) => event.type === 'step.started' || event.type === 'step.completed')).toBe(
      false,
    );
    const agentStepEvents = seen.filter(
      (event) => event.type === 'tool.called' || event.type === 'model.responded',
    );
    expect(agentStepEvents.map((event) => [event.type, 'step' in event ? event.step : undefined])).toEqual([
      ['model.responded', 0],
      ['tool.called', 0],
      ['model.responded', 1],
      ['tool.called', 1],
      ['model.responded', 1],
      ['model.responded', 2],
    ]);
  });

  it('uses the given run id in every model request, tool context and step agent', async () => {
    let toolRunId: string | undefined;
    const spy = defineTool({
      name: 'spy',
      description: 'Records its run.',
      input: z.object({}),
      execute: (_input, context) => {
        toolRunId = context.runId;
        return 'seen';
      },
    });
    const planner = new ScriptedModel([planResponse({ goal: 'Spy', steps: [{ description: 'Spy' }] })]);
    const executor = new ScriptedModel([
      toolCallResponse('spy', {}),
      textResponse('spied'),
      textResponse('done'),
    ]);

    const result = await new PlannerExecutor({ name: 'pe', planner, executor, tools: [spy] }).run('go', {
      runId: 'run-1',
    });

    expect(result.runId).toBe('run-1');
    expect(toolRunId).toBe('run-1');
    expect([...planner.calls, ...executor.calls].every((call) => call.context?.runId === 'run-1')).toBe(true);
  });

  it('sums usage over the planner calls, every step agent call (failed steps too) and the final call', async () => {
    const planner = new ScriptedModel([
      textResponse('not a plan', { inputTokens: 1, outputTokens: 2 }),
      planResponse({ goal: 'Loop', steps: [{ description: 'Loop' }] }, { inputTokens: 4, outputTokens: 8 }),
      planResponse(
        { goal: 'Think', steps: [{ description: 'Think' }] },
        { inputTokens: 16, outputTokens: 32 },
      ),
    ]);
    const executor = new ScriptedModel([
      toolCallResponse('add', { a: 1, b: 1 }, { usage: { inputTokens: 64, outputTokens: 128 } }),
      textResponse('thought', { inputTokens: 256, outputTokens: 512 }),
      textResponse('answer', { inputTokens: 1024, outputTokens: 2048 }),
    ]);

    const result = await new PlannerExecutor({
      name: 'pe',
      planner,
      executor,
      tools: [add],
      maxStepsPerStep: 1,
    }).run('go');

    expect(result.usage).toEqual({
      inputTokens: 1 + 4 + 16 + 64 + 256 + 1024,
      outputTokens: 2 + 8 + 32 + 128 + 512 + 2048,
    });
    expect(result.steps).toHaveLength(5);
  });

  it('loads the conversation from memory for the planner and the final answer, and appends the new turn', async () => {
    const stored: Message[] = [
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'add', arguments: {} }] },
      { role: 'tool', toolCallId: 'c', toolName: 'add', content: '2' },
      { role: 'assistant', content: 'Hello Ada.' },
    ];
    const appended: Message[][] = [];
    const memory: ConversationMemory = {
      load: async () => stored,
      append: async (_id, messages) => {
        appended.push([...messages]);
      },
      clear: async () => {},
    };
    const planner = new ScriptedModel([planResponse({ goal: 'Greet', steps: [{ description: 'Greet' }] })]);
    const executor = new ScriptedModel([textResponse('Hi'), textResponse('Hi Ada')]);

    await new PlannerExecutor({ name: 'pe', planner, executor, memory }).run('Greet me', {
      conversationId: 'c1',
    });

    const history = [
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Hello Ada.' },
    ];
    expect(planner.calls[0]?.messages.slice(1, 3)).toEqual(history);
    expect(executor.calls[1]?.messages.slice(1, 3)).toEqual(history);
    expect(appended).toEqual([
      [
        { role: 'user', content: 'Greet me' },
        { role: 'assistant', content: 'Hi Ada' },
      ],
    ]);
  });
});
