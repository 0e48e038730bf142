import type { RunOptions, RunResult } from '../agent/agent-types.js';
import {
  integerAtLeast,
  requireLanguageModel,
  requireName,
  resolveSharedOptions,
} from '../agent/option-validation.js';
import type { ResolvedAgent } from '../agent/resolved-agent.js';
import type { LanguageModel } from '../model/language-model.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import { createPlanSchema, planResponseFormat } from './plan.js';
import { executePlanRun } from './plan-run.js';
import type { PlannerExecutorOptions, ResolvedPlannerExecutor } from './planner-executor-types.js';

/**
 * An agent that plans before it acts: the planner model writes a zod-validated plan, the
 * executor carries it out step by step (a direct tool call, or a short Agent run per step, each
 * seeing the earlier results), a failed step makes the planner replan the rest, and the executor
 * writes the final answer from the results.
 *
 * A run's events form one run (one `runId`, `seq` from 0), with `plan.*` events around the
 * steps; `step` in its `model.*` and `tool.*` events is the index of the plan step they belong to.
 *
 * @example
 * ```ts
 * const researcher = new PlannerExecutor({ name: 'researcher', planner: model, tools: [search, fetchPage] });
 * const result = await researcher.run('Compare the populations of Oslo and Bergen.');
 * console.log(result.output, result.usage);
 * ```
 */
export class PlannerExecutor {
  /** The planner-executor's name. */
  readonly name: string;
  /** The model that writes the plans. */
  readonly planner: LanguageModel;
  /** The model that carries out steps and writes the final answer. */
  readonly executor: LanguageModel;
  /** Its tools. */
  readonly tools: ToolRegistry;
  private readonly runtime: ResolvedPlannerExecutor;

  constructor(options: PlannerExecutorOptions) {
    const name = requireName(options.name, 'PlannerExecutor');
    const owner = `PlannerExecutor "${name}"`;
    const planner = requireLanguageModel(options.planner, 'planner', owner);
    const executor =
      options.executor === undefined ? planner : requireLanguageModel(options.executor, 'executor', owner);
    const maxReplans = integerAtLeast(options.maxReplans, 2, 0, 'maxReplans', owner);
    const maxPlanSteps = integerAtLeast(options.maxPlanSteps, 10, 1, 'maxPlanSteps', owner);
    const maxStepsPerStep = integerAtLeast(options.maxStepsPerStep, 5, 1, 'maxStepsPerStep', owner);
    const toolConcurrency = integerAtLeast(options.toolConcurrency, 4, 1, 'toolConcurrency', owner);
    const toolTimeoutMs = integerAtLeast(options.toolTimeoutMs, 60_000, 1, 'toolTimeoutMs', owner);
    this.name = name;
    this.planner = planner;
    this.executor = executor;
    this.tools =
      options.tools instanceof ToolRegistry ? options.tools : new ToolRegistry(options.tools ?? []);
    const shared: Omit<ResolvedAgent, 'model' | 'maxSteps'> = {
      name,
      instructions: options.instructions,
      registry: this.tools,
      toolConcurrency,
      toolTimeoutMs,
      ...resolveSharedOptions(options),
    };
    const planSchema = createPlanSchema(maxPlanSteps);
    this.runtime = {
      // The planner makes one call per plan, so its `maxSteps` is never consulted.
      planner: { ...shared, model: planner, maxSteps: 1 },
      executor: { ...shared, model: executor, maxSteps: maxStepsPerStep },
      maxReplans,
      maxPlanSteps,
      planSchema,
      // Computed once: turning a zod schema into JSON Schema is not free.
      planFormat: planResponseFormat(planSchema),
    };
  }

  /**
   * Plans and carries out the task. Resolves with the result (the final answer as `output`);
   * rejects with a typed `AgentError` (`PlanError`, `AbortedError`, `ModelError`,
   * `RateLimitError`, ...) whose `runId` is set. In the result, `messages` is the final-answer
   * conversation, `steps` lists the model calls of the planner, of the steps that completed and
   * the final one, and `usage` counts every call, those of failed steps too.
   */
  run(input: string, options: RunOptions = {}): Promise<RunResult> {
    return executePlanRun(this.runtime, input, options);
  }
}
