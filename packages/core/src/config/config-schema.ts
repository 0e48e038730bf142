import { z } from 'zod';
import {
  addIssue,
  httpURL,
  integerBetween,
  nonEmpty,
  numberField,
  patternField,
  positiveInteger,
} from './config-fields.js';
import { observabilitySchema, rateLimitsSchema, serverSchema } from './section-schemas.js';
import { type mcpServerSchema, pluginEntrySchema, toolsSchema } from './tool-sections.js';

// Pure on purpose: this module is part of the browser-safe main entry, so it imports no Node module.
// Reading files, `.env` and `${VAR}` interpolation live in `@agent/core/node` (`loadConfig`).

const agentName = patternField(
  /^[a-z][a-z0-9-_]*$/i,
  'invalid agent name',
  'start the name with a letter and use only letters, digits, "-" and "_"',
);

// Tool names are what every provider accepts (see defineTool); a version range may follow `@`.
const toolReference = patternField(
  /^[A-Za-z0-9_-]{1,64}(?:@[^\s@]+)?$/,
  'invalid tool reference',
  'write the tool name, optionally with a version range: weather or weather@^1',
);

const retrySchema = z
  .object({
    maxRetries: integerBetween(0, 10).default(3),
    // Unset delays fall back to the retry wrapper's own defaults, so there is one source of truth.
    initialDelayMs: numberField(z.number().int().nonnegative()).optional(),
    maxDelayMs: positiveInteger().optional(),
    deadlineMs: positiveInteger().optional(),
  })
  .strict()
  .superRefine((retry, context) => {
    if ((retry.initialDelayMs ?? 0) > (retry.maxDelayMs ?? Number.POSITIVE_INFINITY)) {
      addIssue(
        context,
        ['initialDelayMs'],
        'initialDelayMs is larger than maxDelayMs',
        'lower initialDelayMs or raise maxDelayMs',
      );
    }
  });

const modelSchema = z
  .object({
    provider: nonEmpty(),
    model: nonEmpty(),
    apiKey: nonEmpty().optional(),
    baseURL: httpURL().optional(),
    organization: nonEmpty().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    timeoutMs: positiveInteger().optional(),
    retry: retrySchema.optional(),
    fallback: z.array(nonEmpty()).optional(),
    settings: z
      .object({
        temperature: numberField(z.number().min(0).max(2)).optional(),
        maxTokens: positiveInteger().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const agentSchema = z
  .object({
    model: nonEmpty(),
    instructions: nonEmpty(),
    description: z.string().optional(),
    tools: z.array(toolReference).default([]),
    maxSteps: integerBetween(1, 100).default(10),
    toolConcurrency: integerBetween(1, 64).default(4),
    planner: z
      .object({ model: nonEmpty().optional(), maxReplans: integerBetween(0, 20).optional() })
      .strict()
      .optional(),
  })
  .strict();

/**
 * zod schema of `agent.config.yaml`. Every section is optional and filled with defaults; number
 * and boolean fields also accept their text form ("3000", "true") because `${VAR}` yields strings.
 *
 * @example
 * ```ts
 * const config = agentConfigSchema.parse({
 *   models: { main: { provider: 'openai', model: 'gpt-4o-mini' } },
 *   agents: { assistant: { model: 'main', instructions: 'Be brief.' } },
 * });
 * config.server.port; // 3000
 * ```
 */
export const agentConfigSchema = z
  .object({
    models: z.record(nonEmpty(), modelSchema).default({}),
    agents: z
      .record(agentName, agentSchema)
      .refine((agents) => Object.keys(agents).length > 0, {
        message: 'no agents are defined',
        params: { fix: 'add at least one agent under agents, or remove the empty agents key' },
      })
      .default({}),
    tools: toolsSchema,
    plugins: z.array(pluginEntrySchema).default([]),
    pluginMode: z.enum(['strict', 'lenient']).default('strict'),
    rateLimits: rateLimitsSchema,
    server: serverSchema,
    observability: observabilitySchema,
  })
  .strict()
  // `when` runs the cross-references even when other parts are invalid, so one pass reports all.
  .superRefine((config, context) => checkModelReferences(config, context), { when: () => true });

/** A validated `agent.config.yaml`, with every default filled in. */
export type AgentConfig = z.infer<typeof agentConfigSchema>;
/** What may be written in `agent.config.yaml` (before defaults), e.g. for typed config in code. */
export type AgentConfigInput = z.input<typeof agentConfigSchema>;
/** One entry of `models`: a provider, a model id and how to call it. */
export type ModelConfig = z.infer<typeof modelSchema>;
/** One entry of `agents`: its model, instructions, tools and limits. */
export type AgentDefinition = z.infer<typeof agentSchema>;
/** The `rateLimits` section. */
export type RateLimitsConfig = z.infer<typeof rateLimitsSchema>;
/** The `server` section. */
export type ServerConfig = z.infer<typeof serverSchema>;
/** The `observability` section. */
export type ObservabilityConfig = z.infer<typeof observabilitySchema>;

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

// Typed over `unknown` on purpose: with `when: () => true` this also runs on partly invalid input.
function checkModelReferences(config: unknown, context: z.RefinementCtx): void {
  const models = asRecord(asRecord(config)?.models);
  if (models === undefined) return;
  const names = Object.keys(models);
  const available = names.length > 0 ? `models defined: ${names.join(', ')}` : 'no models are defined';
  const check = (reference: unknown, path: PropertyKey[]): void => {
    if (typeof reference !== 'string' || Object.hasOwn(models, reference)) return;
    addIssue(
      context,
      path,
      `unknown model "${reference}"; ${available}`,
      `use one of the defined model names, or add "${reference}" under models`,
    );
  };
  for (const [name, model] of Object.entries(models)) {
    const fallback = asRecord(model)?.fallback;
    if (!Array.isArray(fallback)) continue;
    fallback.forEach((entry: unknown, index) => {
      const path = ['models', name, 'fallback', index];
      if (entry !== name) check(entry, path);
      else
        addIssue(
          context,
          path,
          `model "${name}" lists itself as a fallback`,
          'remove it from its own fallback list',
        );
    });
  }
  for (const [name, agent] of Object.entries(asRecord(asRecord(config)?.agents) ?? {})) {
    check(asRecord(agent)?.model, ['agents', name, 'model']);
    check(asRecord(asRecord(agent)?.planner)?.model, ['agents', name, 'planner', 'model']);
  }
}
/** One entry of `plugins`: a package name or path, or `{ from, namespace?, options? }`. */
export type PluginEntry = z.infer<typeof pluginEntrySchema>;
/** One server under `tools.mcp`: `{ transport: 'stdio', command, ... }` or `{ transport: 'http', url, ... }`. */
export type McpServerConfig = z.infer<typeof mcpServerSchema>;
/** The `tools` section: built-ins, options per tool or plugin, MCP servers. */
export type ToolsConfig = z.infer<typeof toolsSchema>;
