import type { RunOptions, RunResult } from '../agent/agent-types.js';
import { RunEmitter } from '../agent/run-emitter.js';
import { type AgentError, toAgentError } from '../errors/agent-error.js';
import { PlanError } from '../errors/errors.js';
import type { Message } from '../messages/message.js';
import { emptyUsage } from '../model/language-model.js';
import { abortError, throwIfAborted } from '../util/abort.js';
import { enterRunScope } from '../util/run-scope.js';
import type { PlanStep } from './plan.js';
import { requestFinalAnswer, requestPlan } from './plan-model.js';
import { runPlanStep } from './plan-step.js';
import type { PlanRun, ResolvedPlannerExecutor, StepRecord } from './planner-executor-types.js';

/**
 * One planner-executor run: plan, carry out the steps in order (replanning the rest after a
 * failed step, at most `maxReplans` times), then write the final answer. Every outcome is an
 * event of this one run; failures end with `run.failed` (or `run.cancelled`) and throw a typed
 * `AgentError` carrying the run id.
 */
export function executePlanRun(
  runtime: ResolvedPlannerExecutor,
  task: string,
  options: RunOptions,
): Promise<RunResult> {
  const { executor } = runtime;
  const runId = options.runId ?? executor.idGenerator();
  return enterRunScope(
    executor.scope,
    { runId, agent: executor.name, tenant: options.tenant },
    () => planLoop(runtime, task, { ...options, runId }),
    (error) =>
      executor.logger.error('scope.enter threw; the run goes on without it', { runId, error: String(error) }),
  );
}

async function planLoop(
  runtime: ResolvedPlannerExecutor,
  task: string,
  options: RunOptions & { runId: string },
): Promise<RunResult> {
  const { executor } = runtime;
  const { clock, logger, memory } = executor;
  const runId = options.runId;
  const signal = options.signal;
  const run: PlanRun = {
    runtime,
    runId,
    tenant: options.tenant,
    signal,
    emitter: new RunEmitter(
      runId,
      executor.name,
      options.tenant,
      clock,
      executor.events,
      executor.hooks.onEvent,
      undefined,
    ),
    task,
    history: [],
    usage: emptyUsage(),
    steps: [],
  };
  const startedAt = clock.now();
  run.emitter.emit('run.started', {
    input: task,
    ...(options.conversationId !== undefined ? { conversationId: options.conversationId } : {}),
    ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
  });
  try {
    throwIfAborted(signal, 'The run');
    if (options.conversationId !== undefined && memory) {
      run.history = conversationText(await memory.load(options.conversationId));
    }
    const completed: StepRecord[] = [];
    let plan = await requestPlan(run, 1, 0);
    let pending: PlanStep[] = [...plan.steps];
    let replans = 0;
    // Counts every step started, so an index names one attempt even across replans.
    let index = 0;
    for (let step = pending.shift(); step !== undefined; step = pending.shift(), index++) {
      throwIfAborted(signal, 'The run');
      run.emitter.emit('plan.step.started', {
        index,
        description: step.description,
        ...(step.tool !== undefined ? { tool: step.tool } : {}),
      });
      const outcome = await runPlanStep(run, step, index, plan.goal, completed);
      if (outcome.ok) {
        completed.push({
          index,
          description: step.description,
          ...(step.tool !== undefined ? { tool: step.tool } : {}),
          output: outcome.output,
        });
        run.emitter.emit('plan.step.completed', { index, output: outcome.output });
        continue;
      }
      run.emitter.emit('plan.step.failed', { index, error: outcome.error.toJSON() });
      if (replans >= runtime.maxReplans) {
        throw stepFailedError(step, index, outcome.error, runtime.maxReplans);
      }
      replans++;
      run.emitter.emit('plan.replanned', { attempt: replans, reason: outcome.error.message });
      plan = await requestPlan(run, replans + 1, index + 1, {
        completed,
        failure: {
          description: step.description,
          ...(step.tool !== undefined ? { tool: step.tool } : {}),
          error: outcome.error.message,
        },
      });
      // The new plan replaces every step that has not run.
      pending = [...plan.steps];
    }
    throwIfAborted(signal, 'The run');
    const { output, messages } = await requestFinalAnswer(run, index, completed);
    if (options.conversationId !== undefined && memory) {
      await memory.append(options.conversationId, [
        { role: 'user', content: task },
        { role: 'assistant', content: output },
      ]);
    }
    const { usage, steps } = run;
    run.emitter.emit('run.completed', {
      output,
      usage,
      steps: steps.length,
      durationMs: clock.now() - startedAt,
    });
    return { runId, status: 'completed', output, messages, steps, usage };
  } catch (caught) {
    const error: AgentError = signal?.aborted ? abortError(signal, 'The run') : toAgentError(caught);
    error.runId = runId;
    const ended = { usage: run.usage, steps: run.steps.length, durationMs: clock.now() - startedAt };
    if (error.code === 'ABORTED') run.emitter.emit('run.cancelled', { reason: error.message, ...ended });
    else run.emitter.emit('run.failed', { error: error.toJSON(), ...ended });
    logger.warn('run ended without a result', { runId, code: error.code, error: error.message });
    throw error;
  }
}

function stepFailedError(step: PlanStep, index: number, cause: AgentError, maxReplans: number): PlanError {
  return new PlanError(
    `Plan step ${index} ("${step.description}"${step.tool !== undefined ? `, tool "${step.tool}"` : ''}) failed with no replan left (maxReplans: ${maxReplans}): ${cause.message} Fix the cause, or raise maxReplans.`,
    {
      cause,
      details: {
        step: index,
        description: step.description,
        ...(step.tool !== undefined ? { tool: step.tool } : {}),
        maxReplans,
      },
    },
  );
}

// The planner and the final call get no tools, and providers reject tool calls and tool results
// in a request without tools; the text of the conversation is what they need.
function conversationText(messages: readonly Message[]): Message[] {
  const text: Message[] = [];
  for (const message of messages) {
    if (message.role === 'user') text.push({ role: 'user', content: message.content });
    else if (message.role === 'assistant' && message.content.length > 0) {
      text.push({ role: 'assistant', content: message.content });
    }
  }
  return text;
}
