import { ConfigError } from '@agent/core';
import { z } from 'zod';

/** Per-field advice appended to option errors: what a good value looks like. */
export type OptionFixes = Readonly<Record<string, string>>;

/**
 * Validates a built-in tool's options with `schema`. On failure throws a `ConfigError` whose
 * message names the option both as the factory field and as its config path
 * (`tools.options.<tool>.<field>`), and says how to fix it. Used by every built-in factory, so
 * direct calls and config-driven ones report the same way.
 */
export function parseToolOptions<TSchema extends z.ZodType>(
  toolName: string,
  schema: TSchema,
  value: unknown,
  fixes: OptionFixes = {},
): z.output<TSchema> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const known = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  if (issue?.code === 'unrecognized_keys') {
    const field = issue.keys[0] ?? '';
    throw new ConfigError(
      `Unknown option "${field}" for built-in tool ${toolName} (${configPath(toolName, field)}). Fix: remove it${known.length > 0 ? `; valid options are ${known.join(', ')}` : '; this tool takes no options'}.`,
      { cause: parsed.error },
    );
  }
  const field = issue ? issue.path.map(String).join('.') : '';
  const topField = String(issue?.path[0] ?? '');
  const advice = fixes[topField] ?? 'see the tool documentation for valid values';
  throw new ConfigError(
    `Invalid ${field === '' ? 'options' : `option "${field}"`} for built-in tool ${toolName} (${configPath(toolName, field)}): ${issue?.message ?? 'invalid value'}. Fix: ${advice}.`,
    { cause: parsed.error },
  );
}

/** `tools.options.<tool>.<field>`, the place in the config file an option lives. */
export function configPath(toolName: string, field: string): string {
  return field === '' ? `tools.options.${toolName}` : `tools.options.${toolName}.${field}`;
}
