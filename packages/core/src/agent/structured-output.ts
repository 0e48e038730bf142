import { z } from 'zod';
import type { JsonSchemaResponseFormat } from '../model/language-model.js';

const formatCache = new WeakMap<z.ZodType, JsonSchemaResponseFormat>();

/** The response format asking the model for JSON matching `schema` (computed once per schema). */
export function responseFormatFor(schema: z.ZodType): JsonSchemaResponseFormat {
  let format = formatCache.get(schema);
  if (!format) {
    const jsonSchema = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    delete jsonSchema.$schema;
    format = { type: 'json_schema', name: 'output', schema: jsonSchema };
    formatCache.set(schema, format);
  }
  return format;
}

/** The outcome of reading structured output from a model's text. */
export type StructuredOutputResult = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * Parses the model's final text as JSON and validates it. Tolerates a Markdown code fence,
 * which models add even when asked not to.
 */
export function parseStructuredOutput(schema: z.ZodType, text: string): StructuredOutputResult {
  const trimmed = stripCodeFence(text.trim());
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (error) {
    return { ok: false, error: `the answer is not valid JSON (${(error as Error).message})` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `"${issue.path.join('.')}" ${issue.message}` : issue.message))
    .join('; ');
  return { ok: false, error: `the JSON does not match the schema: ${issues}` };
}

function stripCodeFence(text: string): string {
  const match = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(text);
  return match ? (match[1] as string) : text;
}
