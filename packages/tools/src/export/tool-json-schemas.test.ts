import { defineTool } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JSON_SCHEMA_DIALECT, toolJsonSchemas } from './tool-json-schemas.js';

describe('toolJsonSchemas', () => {
  it('exports the input, and the output as callers receive it, as JSON Schema 2020-12', () => {
    const tool = defineTool({
      name: 'measure',
      description: 'Measures a text.',
      input: z.object({ text: z.string().min(1), unit: z.enum(['chars', 'words']).default('chars') }),
      output: z.object({ length: z.number().int(), unit: z.string().default('chars') }),
      execute: ({ text }) => ({ length: text.length, unit: 'chars' }),
    });

    const schemas = toolJsonSchemas(tool);

    expect(schemas.input).toMatchObject({
      $schema: JSON_SCHEMA_DIALECT,
      type: 'object',
      properties: {
        text: { type: 'string', minLength: 1 },
        unit: { enum: ['chars', 'words'], default: 'chars' },
      },
      required: ['text'],
    });
    // io 'output': a defaulted field is always present in what the tool returns.
    expect(schemas.output).toMatchObject({
      $schema: JSON_SCHEMA_DIALECT,
      type: 'object',
      required: ['length', 'unit'],
    });
  });

  it('omits the output when the tool declares none, and does not share the tool schema object', () => {
    const tool = defineTool({
      name: 'noop',
      description: 'Nothing.',
      input: z.object({}),
      execute: () => null,
    });

    const schemas = toolJsonSchemas(tool);
    (schemas.input as { type: string }).type = 'changed';

    expect(schemas.output).toBeUndefined();
    expect(Object.hasOwn(schemas, 'output')).toBe(false);
    expect(tool.inputJsonSchema.type).toBe('object');
  });

  it('explains an output schema that cannot be expressed as JSON Schema', () => {
    const tool = defineTool({
      name: 'opaque',
      description: 'Opaque.',
      input: z.object({}),
      execute: () => 1,
    });
    // Not a zod schema at all: what a tool built against an incompatible zod copy would carry.
    const broken = { ...tool, output: { _zod: {} } as unknown as z.ZodType };

    expect(() => toolJsonSchemas(broken)).toThrow(
      /Tool "opaque" output schema cannot be expressed as JSON Schema/,
    );
  });
});
