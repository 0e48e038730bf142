import { createModelCaller } from '../agent/model-step.js';
import type { ResolvedAgent } from '../agent/resolved-agent.js';
import { parseStructuredOutput } from '../agent/structured-output.js';
import { PlanError, ValidationError } from '../errors/errors.js';
import type { Message } from '../messages/message.js';
import {
  addUsage,
  type ModelRequest,
  type ModelResponse,
  type ModelSettings,
} from '../model/language-model.js';
import { type Plan, planSchemaForTools, summarizePlan } from './plan.js';
import {
  finalAnswerRequest,
  finalAnswerSystemPrompt,
  plannerSystemPrompt,
  planningRequest,
  planRepairRequest,
  type StepFailure,
} from './plan-prompts.js';
import type { PlanRun, StepRecord } from './planner-executor-types.js';

/**
 * One model call of a planner-executor run (planner or final answer) through the Agent's
 * model caller, so rate limits, hooks and `model.*` events behave exactly as in an Agent run.
 * Adds the usage and records the call in the run's steps.
 */
export async function callRunModel(
  run: PlanRun,
  agent: ResolvedAgent,
  messages: Message[],
  step: number,
  settings: ModelSettings | undefined,
): Promise<ModelResponse> {
  const request: ModelRequest = {
    messages,
    context: { runId: run.runId, agent: agent.name, tenant: run.tenant },
  };
  if (settings) request.settings = settings;
  if (run.signal) request.signal = run.signal;
  const startedAt = agent.clock.now();
  // Planner and final calls are few per run, so a caller per call costs nothing that matters.
  const callModel = createModelCaller(agent, run.emitter, run.signal, false);
  const response = await callModel(request, {
    runId: run.runId,
    agent: agent.name,
    tenant: run.tenant,
    step,
  });
  addUsage(run.usage, response.usage);
  run.steps.push({
    index: run.steps.length,
    message: response.message,
    toolResults: [],
    usage: response.usage,
    finishReason: response.finishReason,
    durationMs: agent.clock.now() - startedAt,
  });
  return response;
}

/**
 * Asks the planner for a plan and validates it, with one repair attempt; emits `plan.created`.
 * Throws `PlanError` when the plan is still invalid after the repair.
 *
 * @param planNumber 1 for the first plan, 2 after the first replan, and so on.
 * @param step The index of the step the plan starts at, for the events' `step`.
 * @param progress After a failed step: what ran and what failed.
 */
export async function requestPlan(
  run: PlanRun,
  planNumber: number,
  step: number,
  progress?: { completed: readonly StepRecord[]; failure: StepFailure },
): Promise<Plan> {
  const { planner } = run.runtime;
  const messages: Message[] = [
    {
      role: 'system',
      content: plannerSystemPrompt({
        name: planner.name,
        instructions: planner.instructions,
        registry: planner.registry,
        maxPlanSteps: run.runtime.maxPlanSteps,
      }),
    },
    ...run.history,
    { role: 'user', content: planningRequest(run.task, progress) },
  ];
  // Built per request because tools can be registered on the registry between runs.
  const schema = planSchemaForTools(run.runtime.planSchema, planner.registry);
  const settings: ModelSettings = { ...planner.settings, responseFormat: run.runtime.planFormat };
  for (let repaired = false; ; repaired = true) {
    const response = await callRunModel(run, planner, messages, step, settings);
    const parsed = parseStructuredOutput(schema, response.message.content);
    if (parsed.ok) {
      const plan = parsed.value as Plan;
      run.emitter.emit('plan.created', { plan: summarizePlan(plan), attempt: planNumber });
      return plan;
    }
    if (repaired) {
      throw new PlanError(
        `The planner's plan is still invalid after one repair attempt: ${parsed.error}. Use a planner model with structured output support, or simplify the tools' input schemas.`,
        { cause: new ValidationError(`Invalid plan: ${parsed.error}`), details: { plan: planNumber } },
      );
    }
    run.emitter.emit('output.repaired', { step, error: parsed.error });
    // Text only: tool calls the planner was never offered would be rejected when sent back.
    messages.push(
      { role: 'assistant', content: response.message.content },
      { role: 'user', content: planRepairRequest(parsed.error) },
    );
  }
}

/** Asks the executor model for the final answer from every step's result; returns it and its conversation. */
export async function requestFinalAnswer(
  run: PlanRun,
  step: number,
  completed: readonly StepRecord[],
): Promise<{ output: string; messages: Message[] }> {
  const { executor } = run.runtime;
  const messages: Message[] = [
    { role: 'system', content: finalAnswerSystemPrompt(executor.instructions) },
    ...run.history,
    { role: 'user', content: finalAnswerRequest(run.task, completed) },
  ];
  const response = await callRunModel(run, executor, messages, step, executor.settings);
  messages.push(response.message);
  return { output: response.message.content, messages };
}
