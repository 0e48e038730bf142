import type { ToolRegistry } from '../tools/tool-registry.js';
import type { PlanStep } from './plan.js';
import type { StepRecord } from './planner-executor-types.js';

// One tool can return megabytes; every later prompt quotes every result, so each is capped.
const MAX_RESULT_CHARACTERS = 4_000;

/** Why the last step failed, for the replanning prompt. */
export interface StepFailure {
  description: string;
  tool?: string;
  /** The error's message, written for a model to act on. */
  error: string;
}

/** The planner's system prompt: the plan format, the rules and every tool with its input schema. */
export function plannerSystemPrompt(options: {
  name: string;
  instructions: string | undefined;
  registry: ToolRegistry;
  maxPlanSteps: number;
}): string {
  const tools =
    options.registry.size === 0
      ? 'No tools are available: leave "tool" out of every step.'
      : options.registry
          .list()
          .map(
            (tool) =>
              `- ${tool.name}: ${tool.description}\n  input schema: ${JSON.stringify(tool.inputJsonSchema)}`,
          )
          .join('\n');
  return [
    `You are the planner of "${options.name}". Break the user's task into the fewest steps that reach it; an executor carries them out in order.`,
    ...(options.instructions ? [`Instructions:\n${options.instructions}`] : []),
    [
      'Answer with only a JSON object of this shape, nothing else:',
      '{"goal": "<what the plan achieves>", "steps": [{"description": "<what the step does>", "tool": "<tool name, optional>", "input": {<the tool input, optional>}}]}',
    ].join('\n'),
    [
      'Rules:',
      `- Use 1 to ${options.maxPlanSteps} steps.`,
      '- Set "tool" and "input" only when the step is exactly one call of that tool and you know its whole input now; the input must match the tool\'s input schema.',
      '- Otherwise leave "tool" and "input" out and describe the step: an agent that can use the tools carries it out and sees the results of the earlier steps.',
      '- Do not add a step that only writes the final answer; it is written from the results of the steps.',
    ].join('\n'),
    `Tools:\n${tools}`,
  ].join('\n\n');
}

/** The planner's user message: the task, and after a failed step, what ran and what failed. */
export function planningRequest(
  task: string,
  progress?: { completed: readonly StepRecord[]; failure: StepFailure },
): string {
  if (!progress) return task;
  return [
    `Task:\n${task}`,
    `Steps completed so far:\n${formatResults(progress.completed)}`,
    `The next step, "${progress.failure.description}"${progress.failure.tool ? ` (tool "${progress.failure.tool}")` : ''}, failed:\n${truncate(progress.failure.error)}`,
    'Make a new plan for the remaining work only: its steps replace the steps that have not run. Do not repeat completed steps, and avoid what failed.',
  ].join('\n\n');
}

/** The repair prompt after a plan that could not be used. */
export function planRepairRequest(error: string): string {
  return `Your plan could not be used: ${error}. Reply again with only the JSON plan that matches the required format, and nothing else.`;
}

/** The step agent's system prompt: the task, the goal, the earlier results and the step to do. */
export function stepInstructions(options: {
  instructions: string | undefined;
  task: string;
  goal: string;
  step: PlanStep;
  completed: readonly StepRecord[];
}): string {
  return [
    ...(options.instructions ? [options.instructions] : []),
    'You carry out one step of a plan.',
    `The user's task:\n${options.task}`,
    `The goal of the plan:\n${options.goal}`,
    `Results of the earlier steps:\n${formatResults(options.completed)}`,
    `Your step:\n${options.step.description}`,
    'Do this step only, using the tools when they help, and answer with its result. Later steps build on your answer, so include every fact they need.',
  ].join('\n\n');
}

/** The step agent's user message. */
export function stepRequest(step: PlanStep): string {
  return `Carry out this step: ${step.description}`;
}

/** The system prompt of the final-answer call. */
export function finalAnswerSystemPrompt(instructions: string | undefined): string {
  return [
    ...(instructions ? [instructions] : []),
    "You write the final answer to the user's task from the results of the steps that were carried out. Answer concisely and directly; do not describe the plan or its steps.",
  ].join('\n\n');
}

/** The user message of the final-answer call: the task and every step's result. */
export function finalAnswerRequest(task: string, completed: readonly StepRecord[]): string {
  return [
    `Task:\n${task}`,
    `Results of the steps:\n${formatResults(completed)}`,
    'Write the final answer.',
  ].join('\n\n');
}

function formatResults(records: readonly StepRecord[]): string {
  if (records.length === 0) return '(none yet)';
  return records
    .map(
      (record, position) =>
        `${position + 1}. ${record.description}${record.tool ? ` (tool "${record.tool}")` : ''}\nResult: ${truncate(record.output)}`,
    )
    .join('\n');
}

function truncate(text: string): string {
  return text.length <= MAX_RESULT_CHARACTERS
    ? text
    : `${text.slice(0, MAX_RESULT_CHARACTERS)}… (${text.length - MAX_RESULT_CHARACTERS} more characters cut)`;
}
