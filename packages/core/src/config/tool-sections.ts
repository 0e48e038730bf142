import { z } from 'zod';
import { httpURL, nonEmpty, patternField, positiveInteger } from './config-fields.js';

// `plugins`, `tools.mcp` and `tools.builtins`: where an agent's tools come from. Kept apart from
// config-schema.ts so that file stays about the document's shape.

/** A namespace prefixes a plugin's or MCP server's tools: `acme` + `weather` = `acme_weather`. */
const namespace = patternField(
  /^[A-Za-z][A-Za-z0-9-]{0,31}$/,
  'invalid namespace',
  'use 1-32 letters, digits and "-", starting with a letter (tools become <namespace>_<tool>)',
);

/**
 * One entry of `plugins`: a package name or a path (relative to the config file), or an object
 * with options for the plugin and a namespace for its tools.
 */
export const pluginEntrySchema = z.union([
  nonEmpty(),
  z
    .object({
      from: nonEmpty(),
      namespace: namespace.optional(),
      options: z.record(z.string(), z.unknown()).default({}),
    })
    .strict(),
]);

const mcpCommon = {
  allow: z.array(nonEmpty()).optional(),
  deny: z.array(nonEmpty()).optional(),
  timeoutMs: positiveInteger().optional(),
  maxResultBytes: positiveInteger().optional(),
  namespace: namespace.optional(),
};

/** One MCP server whose tools the agents may use: a command to spawn (stdio) or a URL (http). */
export const mcpServerSchema = z.discriminatedUnion('transport', [
  z
    .object({
      transport: z.literal('stdio'),
      command: nonEmpty(),
      args: z.array(z.string()).default([]),
      env: z.record(z.string(), z.string()).optional(),
      cwd: nonEmpty().optional(),
      ...mcpCommon,
    })
    .strict(),
  z
    .object({
      transport: z.literal('http'),
      url: httpURL(),
      headers: z.record(z.string(), z.string()).optional(),
      ...mcpCommon,
    })
    .strict(),
]);

/** `tools`: built-ins to enable, options per tool or plugin, and MCP servers. */
export const toolsSchema = z
  .object({
    builtins: z.array(nonEmpty()).default([]),
    options: z.record(z.string(), z.unknown()).default({}),
    mcp: z.record(nonEmpty(), mcpServerSchema).default({}),
  })
  .strict()
  .prefault({});
