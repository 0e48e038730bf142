import type { z } from 'zod';
import type { AgentOptions, StepResult } from '../agent/agent-types.js';
import type { ResolvedAgent } from '../agent/resolved-agent.js';
import type { RunEmitter } from '../agent/run-emitter.js';
import type { Message } from '../messages/message.js';
import type { JsonSchemaResponseFormat, LanguageModel, Usage } from '../model/language-model.js';
import type { Plan } from './plan.js';

/** Construction options of {@link PlannerExecutor}; the shared ones mean what they mean for `Agent`. */
export interface PlannerExecutorOptions
  extends Pick<
    AgentOptions,
    | 'tools'
    | 'memory'
    | 'toolConcurrency'
    | 'toolTimeoutMs'
    | 'limiter'
    | 'events'
    | 'hooks'
    | 'scope'
    | 'settings'
    | 'logger'
    | 'clock'
    | 'idGenerator'
    | 'sleep'
  > {
  /** Unique name; appears in events, logs, metrics and rate-limit keys. */
  name: string;
  /** Guidance added to every prompt of a run: the planner's, each step agent's and the final answer's. */
  instructions?: string;
  /** Writes the plan, and the new plan after a step fails. */
  planner: LanguageModel;
  /** Carries out steps without a tool, and writes the final answer. @default the planner */
  executor?: LanguageModel;
  /** New plans allowed after failed steps before the run fails with `PlanError`. @default 2 */
  maxReplans?: number;
  /** Most steps one plan may have; longer plans are sent back for repair. @default 10 */
  maxPlanSteps?: number;
  /** Model calls the executor agent may make for one step (its `maxSteps`). @default 5 */
  maxStepsPerStep?: number;
}

/** A planner-executor's options with every default applied: what a run reads. */
export interface ResolvedPlannerExecutor {
  /** The planner model with the shared settings, for `callModel`. */
  planner: ResolvedAgent;
  /** The executor model with the shared settings; its `maxSteps` is `maxStepsPerStep`. */
  executor: ResolvedAgent;
  maxReplans: number;
  maxPlanSteps: number;
  planSchema: z.ZodType<Plan>;
  planFormat: JsonSchemaResponseFormat;
}

/** The state of one run, shared by the run loop, the model calls and the steps. */
export interface PlanRun {
  runtime: ResolvedPlannerExecutor;
  runId: string;
  tenant: string | undefined;
  signal: AbortSignal | undefined;
  /** Numbers every event of the run, including those forwarded from step agents. */
  emitter: RunEmitter;
  /** The user's input. */
  task: string;
  /** Earlier turns of the conversation, from memory (user and assistant text only). */
  history: Message[];
  /** Summed over every model call, those of failed steps included. */
  usage: Usage;
  /** Model calls of the run, in order. */
  steps: StepResult[];
}

/** A step that ran, with what it returned. */
export interface StepRecord {
  /** Counts every step the run started, across replans. */
  index: number;
  description: string;
  tool?: string;
  /** The tool's result, or the step agent's answer. */
  output: string;
}
