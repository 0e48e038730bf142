import { z } from 'zod';
import { ConfigError } from '../errors/errors.js';
import type { Logger } from '../util/logger.js';

/** What a tool's `execute` receives besides its input. */
export interface ToolContext {
  /** Aborts when the run is cancelled or the tool's timeout passes; pass it to every I/O call. */
  signal: AbortSignal;
  runId: string;
  /** The agent running the tool. */
  agent: string;
  tenant: string | undefined;
  /** The id of the model's tool call this execution answers. */
  toolCallId: string;
  logger: Logger;
}

/** A deprecation notice: the replacement to use and why. */
export interface ToolDeprecation {
  /** The tool to use instead, e.g. `weather@2`. */
  replacement?: string;
  /** Extra explanation for the log line. */
  message?: string;
}

/** The definition passed to {@link defineTool}. */
export interface ToolSpec<TInputSchema extends z.ZodType, TOutput> {
  /** Unique within a registry; 1-64 characters of `a-z A-Z 0-9 _ -` (what every provider accepts). */
  name: string;
  /** Tells the model when and how to use the tool. */
  description: string;
  /** zod schema of the input; the model's arguments are validated with it before `execute`. */
  input: TInputSchema;
  /** zod schema of the output; when set, results are validated before going back to the model. */
  output?: z.ZodType<TOutput>;
  /** Semantic version of the tool, e.g. `1.2.0`. */
  version?: string;
  /** Marks the tool deprecated: `true`, or the replacement and a message. */
  deprecated?: boolean | ToolDeprecation;
  /** Per-call timeout in ms; the agent's default applies when unset. */
  timeoutMs?: number;
  /** Does the work. Throwing (or timing out) becomes a tool-error message to the model. */
  execute(input: z.output<TInputSchema>, context: ToolContext): Promise<TOutput> | TOutput;
}

/** A tool, as returned by {@link defineTool}. */
export interface Tool<TInput = unknown, TOutput = unknown> {
  readonly name: string;
  readonly description: string;
  readonly input: z.ZodType<TInput>;
  readonly output: z.ZodType<TOutput> | undefined;
  readonly version: string | undefined;
  readonly deprecated: ToolDeprecation | undefined;
  readonly timeoutMs: number | undefined;
  /** JSON Schema (draft 2020-12) of the input, computed once. */
  readonly inputJsonSchema: Record<string, unknown>;
  execute(input: TInput, context: ToolContext): Promise<TOutput> | TOutput;
}

/** Any tool, whatever its input and output types. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds tools of every input type; `unknown` would make Tool invariant and reject them.
export type AnyTool = Tool<any, any>;

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Defines a tool the model can call. The input schema must describe an object (every provider
 * requires one); its JSON Schema is computed once, here.
 *
 * @example
 * ```ts
 * const add = defineTool({
 *   name: 'add',
 *   description: 'Adds two numbers.',
 *   input: z.object({ a: z.number(), b: z.number() }),
 *   execute: ({ a, b }) => a + b,
 * });
 * ```
 */
export function defineTool<TInputSchema extends z.ZodType, TOutput>(
  spec: ToolSpec<TInputSchema, TOutput>,
): Tool<z.output<TInputSchema>, TOutput> {
  if (!TOOL_NAME.test(spec.name)) {
    throw new ConfigError(
      `Tool name "${spec.name}" is invalid: use 1-64 characters of letters, digits, "_" and "-" (providers reject others).`,
    );
  }
  if (spec.description.trim().length === 0) {
    throw new ConfigError(
      `Tool "${spec.name}" has an empty description: the model needs it to know when to call the tool.`,
    );
  }
  if (spec.timeoutMs !== undefined && !(Number.isFinite(spec.timeoutMs) && spec.timeoutMs > 0)) {
    throw new ConfigError(
      `Tool "${spec.name}" timeoutMs must be a positive number of milliseconds, got ${spec.timeoutMs}.`,
    );
  }
  const inputJsonSchema = toolInputJsonSchema(spec.name, spec.input);
  const deprecated = spec.deprecated === true ? {} : spec.deprecated === false ? undefined : spec.deprecated;
  return {
    name: spec.name,
    description: spec.description,
    input: spec.input as z.ZodType<z.output<TInputSchema>>,
    output: spec.output,
    version: spec.version,
    deprecated,
    timeoutMs: spec.timeoutMs,
    inputJsonSchema,
    execute: spec.execute,
  };
}

function toolInputJsonSchema(name: string, schema: z.ZodType): Record<string, unknown> {
  let jsonSchema: Record<string, unknown>;
  try {
    jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(
      `Tool "${name}" input schema cannot be expressed as JSON Schema: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (jsonSchema.type !== 'object') {
    throw new ConfigError(
      `Tool "${name}" input must be a z.object(...) (providers require an object of arguments), got JSON Schema type "${String(jsonSchema.type)}".`,
    );
  }
  // `$schema` is noise to providers (OpenAI strict mode rejects unknown keywords).
  delete jsonSchema.$schema;
  return jsonSchema;
}
