import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunContext } from '../agent/agent-types.js';
import { ConfigError } from '../errors/errors.js';
import type { RateLimiter, RateLimitRequest } from '../ratelimit/rate-limiter.js';
import { ScriptedModel, textResponse, toolCallResponse } from '../testing/scripted-model.js';
import { defineTool } from '../tools/define-tool.js';
import { ToolRegistry } from '../tools/tool-registry.js';
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

describe('PlannerExecutor: hooks, rate limits and options', () => {
  it('calls every hook, with context.step set to the plan step', async () => {
    const calls: string[] = [];
    const label =
      (name: string) =>
      (...args: unknown[]): undefined => {
        const context = args.at(-1) as RunContext;
        calls.push(`${name}@${context.step}`);
      };
    const planner = new ScriptedModel([twoStepPlan]);
    const executor = new ScriptedModel([
      toolCallResponse('add', { a: 3, b: 4 }),
      textResponse('7'),
      textResponse('done'),
    ]);

    await new PlannerExecutor({
      name: 'pe',
      planner,
      executor,
      tools: new ToolRegistry([add]),
      hooks: {
        beforeModelCall: label('beforeModel'),
        afterModelCall: label('afterModel'),
        beforeToolCall: label('beforeTool'),
        afterToolCall: label('afterTool'),
      },
    }).run('go');

    expect(calls).toEqual([
      'beforeModel@0',
      'afterModel@0',
      'beforeTool@0',
      'afterTool@0',
      'beforeModel@1',
      'afterModel@1',
      'beforeTool@1',
      'afterTool@1',
      'beforeModel@1',
      'afterModel@1',
      'beforeModel@2',
      'afterModel@2',
    ]);
  });

  it('rate-limits every model call under its own name, with a bare limiter or limiter options', async () => {
    const requests: RateLimitRequest[] = [];
    const limiter: RateLimiter = {
      acquire: async (request) => {
        requests.push(request);
        return {
          allowed: true,
          reservation: { id: String(requests.length), tokens: request.tokens ?? 0, at: 0 },
        };
      },
      reconcile: async () => {},
    };
    const script = () => [
      planResponse({ goal: 'Think', steps: [{ description: 'Think' }] }),
      textResponse('t'),
      textResponse('a'),
    ];

    await new PlannerExecutor({ name: 'pe', planner: new ScriptedModel(script()), limiter }).run('go', {
      tenant: 'acme',
    });
    await new PlannerExecutor({
      name: 'pe',
      planner: new ScriptedModel(script()),
      limiter: { limiter, onLimit: 'fail' },
    }).run('go');

    expect(requests).toHaveLength(6);
    expect(requests[0]).toMatchObject({ agent: 'pe', model: 'scripted-model', tenant: 'acme' });
  });

  it('rejects invalid options with a ConfigError that names the option', () => {
    const planner = new ScriptedModel();

    expect(() => new PlannerExecutor({ name: ' ', planner })).toThrow(/name is required/);
    expect(() => new PlannerExecutor({ name: 'pe', planner: undefined as never })).toThrow(ConfigError);
    expect(() => new PlannerExecutor({ name: 'pe', planner: null as never })).toThrow(
      /planner must be a LanguageModel.*got null/,
    );
    expect(() => new PlannerExecutor({ name: 'pe', planner, executor: {} as never })).toThrow(
      /executor must be a LanguageModel/,
    );
    expect(() => new PlannerExecutor({ name: 'pe', planner, maxReplans: -1 })).toThrow(
      /maxReplans must be a non-negative integer/,
    );
    expect(() => new PlannerExecutor({ name: 'pe', planner, maxPlanSteps: 0 })).toThrow(
      /maxPlanSteps must be a positive integer/,
    );
    expect(() => new PlannerExecutor({ name: 'pe', planner, maxStepsPerStep: 1.5 })).toThrow(
      /maxStepsPerStep/,
    );
    expect(() => new PlannerExecutor({ name: 'pe', planner, toolTimeoutMs: 0 })).toThrow(/toolTimeoutMs/);
    expect(new PlannerExecutor({ name: 'pe', planner, maxReplans: 0 }).executor).toBe(planner);
  });
});
