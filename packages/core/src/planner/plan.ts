import { z } from 'zod';
import type { PlanSummary } from '../events/agent-event.js';
import type { JsonSchemaResponseFormat } from '../model/language-model.js';
import { describeIssues } from '../tools/execute-tool-call.js';
import type { ToolRegistry } from '../tools/tool-registry.js';

/** How many steps a plan may have when `maxPlanSteps` is not set. */
export const DEFAULT_MAX_PLAN_STEPS = 10;

/** One step of a {@link Plan}: a direct tool call when `tool` is set, else a task for an executor agent. */
export interface PlanStep {
  /** What the step does, in one sentence. */
  description: string;
  /** The tool to call directly with `input`; absent when an executor agent carries out the step. */
  tool?: string;
  /** The tool's input; checked against the tool's input schema before the plan is accepted. */
  input?: Record<string, unknown>;
}

/** What the planner produces: the goal and the steps that reach it, in order. */
export interface Plan {
  /** What the whole plan achieves, in one sentence. */
  goal: string;
  /** The steps, carried out in order; 1 to `maxPlanSteps` of them. */
  steps: PlanStep[];
}

/**
 * The zod schema of a plan with 1 to `maxPlanSteps` steps.
 *
 * `null` is accepted for an absent `tool` or `input` and dropped, because models often write
 * `"tool": null` for "no tool", and refusing that would cost a repair round trip for nothing.
 *
 * @example
 * ```ts
 * const schema = createPlanSchema(5);
 * const plan: Plan = schema.parse({ goal: 'Greet', steps: [{ description: 'Say hello', tool: null }] });
 * ```
 */
export function createPlanSchema(maxPlanSteps: number = DEFAULT_MAX_PLAN_STEPS): z.ZodType<Plan> {
  const step = z
    .object({
      description: z.string().trim().min(1).describe('What this step does, in one sentence.'),
      tool: z
        .string()
        .min(1)
        .nullish()
        .describe(
          'The tool to call directly, when the step is exactly one call of it and its input is known now.',
        ),
      input: z
        .record(z.string(), z.unknown())
        .nullish()
        .describe("The tool's input object, matching its input schema. Only with `tool`."),
    })
    .transform(
      ({ description, tool, input }): PlanStep => ({
        description,
        ...(tool !== null && tool !== undefined ? { tool } : {}),
        ...(input !== null && input !== undefined ? { input } : {}),
      }),
    );
  return z.object({
    goal: z.string().trim().min(1).describe('What the whole plan achieves, in one sentence.'),
    steps: z.array(step).min(1).max(maxPlanSteps).describe('The steps, carried out in order.'),
  });
}

/** The plan schema with the default bound of {@link DEFAULT_MAX_PLAN_STEPS} steps. */
export const planSchema: z.ZodType<Plan> = createPlanSchema();

/**
 * The `responseFormat` asking the planner model for a plan. Not strict: a tool's `input` is a
 * free-form object, which providers' strict modes cannot express.
 */
export function planResponseFormat(schema: z.ZodType<Plan>): JsonSchemaResponseFormat {
  // The input side is what the model writes (it may send null; the transform drops it later).
  const jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete jsonSchema.$schema;
  return { type: 'json_schema', name: 'plan', schema: jsonSchema, strict: false };
}

/**
 * `schema` plus the checks only the tools can answer: every named tool exists and every tool
 * input is valid. A failure reads like any schema issue, so the planner's repair prompt names it.
 */
export function planSchemaForTools(schema: z.ZodType<Plan>, registry: ToolRegistry): z.ZodType<Plan> {
  return schema.superRefine((plan, context) => {
    plan.steps.forEach((step, index) => {
      if (step.tool === undefined) return;
      const tool = registry.get(step.tool);
      if (!tool) {
        context.addIssue({
          code: 'custom',
          path: ['steps', index, 'tool'],
          message:
            registry.size === 0
              ? `names tool "${step.tool}", but no tools are available; leave "tool" out`
              : `names unknown tool "${step.tool}"; use one of ${registry.namesForMessage()}, or leave "tool" out`,
        });
        return;
      }
      const parsed = tool.input.safeParse(step.input ?? {});
      if (!parsed.success) {
        context.addIssue({
          code: 'custom',
          path: ['steps', index, 'input'],
          message: `is not a valid input of tool "${tool.name}": ${describeIssues(parsed.error)}`,
        });
      }
    });
  });
}

/** The plan as carried in `plan.created` events: goal, step descriptions and tools, no inputs. */
export function summarizePlan(plan: Plan): PlanSummary {
  return {
    goal: plan.goal,
    steps: plan.steps.map((step) =>
      step.tool === undefined
        ? { description: step.description }
        : { description: step.description, tool: step.tool },
    ),
  };
}
