import { type AnyTool, ConfigError } from '@agent/core';
import { z } from 'zod';
import { errorReason } from '../plugins/error-reason.js';

/** A JSON Schema document, as a plain object. */
export type JsonSchema = Record<string, unknown>;

/** The `$schema` of every exported schema. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** A tool's schemas: what it accepts and, when it declares one, what it returns. */
export interface ToolJsonSchemas {
  input: JsonSchema;
  output?: JsonSchema;
}

/**
 * A tool's input and output as standalone JSON Schema 2020-12 documents. The input is what the
 * model is shown (defineTool's schema); the output is the tool's `output` schema as seen after
 * parsing (`io: 'output'`, so transforms and defaults describe what callers receive).
 *
 * @example
 * ```ts
 * const { input, output } = toolJsonSchemas(weather);
 * await writeFile('weather.input.json', JSON.stringify(input, null, 2));
 * ```
 */
export function toolJsonSchemas(tool: AnyTool): ToolJsonSchemas {
  const input = { $schema: JSON_SCHEMA_DIALECT, ...structuredClone(tool.inputJsonSchema) };
  if (!tool.output) return { input };
  let output: JsonSchema;
  try {
    output = z.toJSONSchema(tool.output, {
      io: 'output',
      target: 'draft-2020-12',
      unrepresentable: 'any',
    }) as JsonSchema;
  } catch (error) {
    throw new ConfigError(
      `Tool "${tool.name}" output schema cannot be expressed as JSON Schema: ${errorReason(error)}. Simplify the output schema (e.g. avoid custom refinements on its shape).`,
      { cause: error },
    );
  }
  return { input, output: { ...output, $schema: JSON_SCHEMA_DIALECT } };
}
