import { Agent } from '../agent/agent.js';
import type { AgentHooks, RunContext } from '../agent/agent-types.js';
import { runToolCalls } from '../agent/tool-step.js';
import { type AgentError, toAgentError } from '../errors/agent-error.js';
import type { AgentEvent, AgentEventPayloads, AgentEventType } from '../events/agent-event.js';
import type { ToolCall } from '../messages/message.js';
import { addUsage } from '../model/language-model.js';
import type { ToolCallEnvironment, ToolCallOutcome } from '../tools/execute-tool-call.js';
import type { PlanStep } from './plan.js';
import { stepInstructions, stepRequest } from './plan-prompts.js';
import type { PlanRun, StepRecord } from './planner-executor-types.js';

/** How one plan step ended: its output, or the error that makes the run replan. Aborts are thrown instead. */
export type PlanStepOutcome = { ok: true; output: string } | { ok: false; error: AgentError };

/**
 * Carries out one plan step: a step with a tool is one direct call of it (validated, with the
 * run's timeout and signal); any other step is a short Agent run with the executor model.
 */
export function runPlanStep(
  run: PlanRun,
  step: PlanStep,
  index: number,
  goal: string,
  completed: readonly StepRecord[],
): Promise<PlanStepOutcome> {
  return step.tool === undefined
    ? runAgentStep(run, step, index, goal, completed)
    : runToolStep(run, step.tool, step.input ?? {}, index);
}

async function runToolStep(
  run: PlanRun,
  toolName: string,
  input: Record<string, unknown>,
  index: number,
): Promise<PlanStepOutcome> {
  const { executor } = run.runtime;
  // The step index is unique within the run, so it makes a stable, readable call id.
  const call: ToolCall = { id: `plan-step-${index}`, name: toolName, arguments: input };
  const environment: ToolCallEnvironment = {
    registry: executor.registry,
    runId: run.runId,
    agent: executor.name,
    tenant: run.tenant,
    logger: executor.logger,
    signal: run.signal,
    defaultTimeoutMs: executor.toolTimeoutMs,
  };
  // The Agent's own tool step: the same tool.* events, hooks and deprecation warnings.
  const { outcomes } = await runToolCalls(
    executor,
    [call],
    environment,
    { runId: run.runId, agent: executor.name, tenant: run.tenant, step: index },
    run.emitter,
  );
  const outcome = outcomes[0] as ToolCallOutcome;
  return outcome.ok ? { ok: true, output: outcome.content } : { ok: false, error: outcome.error };
}

async function runAgentStep(
  run: PlanRun,
  step: PlanStep,
  index: number,
  goal: string,
  completed: readonly StepRecord[],
): Promise<PlanStepOutcome> {
  const { executor } = run.runtime;
  // No `events` and no `memory`: the step agent's events reach the bus through `onEvent`,
  // renumbered into this run, and the conversation belongs to the planner-executor run.
  const agent = new Agent({
    name: executor.name,
    instructions: stepInstructions({
      instructions: executor.instructions,
      task: run.task,
      goal,
      step,
      completed,
    }),
    model: executor.model,
    tools: executor.registry,
    maxSteps: executor.maxSteps,
    toolConcurrency: executor.toolConcurrency,
    toolTimeoutMs: executor.toolTimeoutMs,
    limiter: executor.limiter,
    hooks: stepAgentHooks(run, index),
    settings: executor.settings,
    logger: executor.logger,
    clock: executor.clock,
    idGenerator: executor.idGenerator,
    sleep: executor.sleep,
  });
  try {
    // The same run id, so model request contexts, tool contexts and errors name this run.
    const result = await agent.run(stepRequest(step), {
      runId: run.runId,
      tenant: run.tenant,
      signal: run.signal,
    });
    for (const stepResult of result.steps) run.steps.push({ ...stepResult, index: run.steps.length });
    return { ok: true, output: result.output };
  } catch (caught) {
    const error = toAgentError(caught);
    if (error.code === 'ABORTED' || run.signal?.aborted) throw error;
    return { ok: false, error };
  }
}

// The step agent's own lifecycle: the run has one start and one end, and plan.step.* in place of step.*.
const STEP_AGENT_LIFECYCLE: ReadonlySet<AgentEventType> = new Set([
  'run.started',
  'run.completed',
  'run.failed',
  'run.cancelled',
  'step.started',
  'step.completed',
]);

const EVENT_BASE_FIELDS = ['runId', 'seq', 'timestamp', 'agent', 'tenant', 'type'] as const;

function stepAgentHooks(run: PlanRun, index: number): AgentHooks {
  const hooks = run.runtime.executor.hooks;
  // Hooks see the plan step in `context.step`, as the forwarded events do.
  const atStep = (context: RunContext): RunContext => ({ ...context, step: index });
  return {
    onEvent: (event) => forwardEvent(run, event, index),
    beforeModelCall: (request, context) => hooks.beforeModelCall?.(request, atStep(context)),
    afterModelCall: (response, context) => hooks.afterModelCall?.(response, atStep(context)),
    beforeToolCall: (call, context) => hooks.beforeToolCall?.(call, atStep(context)),
    afterToolCall: (call, outcome, context) => hooks.afterToolCall?.(call, outcome, atStep(context)),
  };
}

function forwardEvent(run: PlanRun, event: AgentEvent, index: number): void {
  // Counted from the events rather than the result, so the calls of a step that fails count too.
  if (event.type === 'model.responded') addUsage(run.usage, event.usage);
  if (STEP_AGENT_LIFECYCLE.has(event.type)) return;
  const payload: Record<string, unknown> = { ...event, step: index };
  for (const field of EVENT_BASE_FIELDS) delete payload[field];
  run.emitter.emit(event.type, payload as unknown as AgentEventPayloads[AgentEventType]);
}
