import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseStructuredOutput } from '../agent/structured-output.js';
import { defineTool } from '../tools/define-tool.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import {
  createPlanSchema,
  planResponseFormat,
  planSchema,
  planSchemaForTools,
  summarizePlan,
} from './plan.js';

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

describe('plan schema', () => {
  it('rejects a plan without steps', () => {
    const parsed = planSchema.safeParse({ goal: 'Nothing', steps: [] });

    expect(parsed.success).toBe(false);
  });

  it('rejects a plan longer than maxPlanSteps', () => {
    const steps = [{ description: 'one' }, { description: 'two' }, { description: 'three' }];

    expect(createPlanSchema(2).safeParse({ goal: 'Count', steps }).success).toBe(false);
    expect(createPlanSchema(3).safeParse({ goal: 'Count', steps }).success).toBe(true);
  });

  it('rejects a blank goal or step description', () => {
    expect(planSchema.safeParse({ goal: '  ', steps: [{ description: 'x' }] }).success).toBe(false);
    expect(planSchema.safeParse({ goal: 'x', steps: [{ description: ' ' }] }).success).toBe(false);
  });

  it('drops a null tool and input, which models write for "none"', () => {
    const plan = planSchema.parse({
      goal: 'Greet',
      steps: [{ description: 'Say hello', tool: null, input: null }],
    });

    expect(plan).toEqual({ goal: 'Greet', steps: [{ description: 'Say hello' }] });
  });

  it('keeps a tool and its input', () => {
    const plan = planSchema.parse({
      goal: 'Sum',
      steps: [{ description: 'Add', tool: 'add', input: { a: 1, b: 2 } }],
    });

    expect(plan.steps[0]).toEqual({ description: 'Add', tool: 'add', input: { a: 1, b: 2 } });
  });
});

describe('planSchemaForTools', () => {
  it('names an unknown tool and lists the tools that exist', () => {
    const schema = planSchemaForTools(planSchema, new ToolRegistry([add]));

    const parsed = parseStructuredOutput(
      schema,
      JSON.stringify({ goal: 'g', steps: [{ description: 'd', tool: 'multiply' }] }),
    );

    expect(parsed).toEqual({
      ok: false,
      error:
        'the JSON does not match the schema: "steps.0.tool" names unknown tool "multiply"; use one of add, or leave "tool" out',
    });
  });

  it('says that no tools exist when the registry is empty', () => {
    const schema = planSchemaForTools(planSchema, new ToolRegistry());

    const parsed = parseStructuredOutput(
      schema,
      JSON.stringify({ goal: 'g', steps: [{ description: 'd', tool: 'add' }] }),
    );

    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain('no tools are available');
  });

  it("checks a tool step's input against the tool's input schema", () => {
    const schema = planSchemaForTools(planSchema, new ToolRegistry([add]));

    const parsed = parseStructuredOutput(
      schema,
      JSON.stringify({ goal: 'g', steps: [{ description: 'd', tool: 'add', input: { a: 1 } }] }),
    );

    expect(!parsed.ok && parsed.error).toContain('"steps.0.input" is not a valid input of tool "add": "b"');
  });

  it('treats a missing input as an empty object', () => {
    const noInput = defineTool({
      name: 'now',
      description: 'The time.',
      input: z.object({}),
      execute: () => 0,
    });
    const schema = planSchemaForTools(planSchema, new ToolRegistry([noInput]));

    const parsed = parseStructuredOutput(
      schema,
      JSON.stringify({ goal: 'g', steps: [{ description: 'd', tool: 'now' }] }),
    );

    expect(parsed).toEqual({ ok: true, value: { goal: 'g', steps: [{ description: 'd', tool: 'now' }] } });
  });

  it('accepts steps without a tool whatever the registry holds', () => {
    const schema = planSchemaForTools(planSchema, new ToolRegistry());

    expect(schema.safeParse({ goal: 'g', steps: [{ description: 'think' }] }).success).toBe(true);
  });
});

describe('planResponseFormat', () => {
  it('describes the plan as a non-strict JSON Schema that admits null for an absent tool', () => {
    const format = planResponseFormat(createPlanSchema(3));

    expect(format).toMatchObject({ type: 'json_schema', name: 'plan', strict: false });
    expect(format.schema.$schema).toBeUndefined();
    expect(format.schema).toMatchObject({ type: 'object', required: ['goal', 'steps'] });
    expect(JSON.stringify(format.schema)).toContain('"maxItems":3');
    expect(JSON.stringify(format.schema)).toContain('"null"');
  });
});

describe('summarizePlan', () => {
  it('keeps descriptions and tools but not inputs', () => {
    const summary = summarizePlan({
      goal: 'Sum',
      steps: [{ description: 'Add', tool: 'add', input: { a: 1, b: 2 } }, { description: 'Explain' }],
    });

    expect(summary).toEqual({
      goal: 'Sum',
      steps: [{ description: 'Add', tool: 'add' }, { description: 'Explain' }],
    });
  });
});
