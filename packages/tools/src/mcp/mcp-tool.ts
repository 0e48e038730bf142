import { type AnyTool, defineTool, type Logger, type ToolContext } from '@agent/core';
import type { Tool as McpToolDefinition } from '@modelcontextprotocol/sdk/types.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { z } from 'zod';
import type { McpToolOutput } from './mcp-result.js';

/** How a tool built by {@link createMcpTool} reaches its server. */
export interface McpToolBinding {
  serverName: string;
  /** The per-call limit of the tool set. */
  timeoutMs: number;
  /** Compiles the server's JSON Schemas (ajv, as the MCP SDK uses). */
  validator: jsonSchemaValidator;
  logger: Logger;
  /** Sends `tools/call` for the tool the server calls `serverToolName`. */
  call(
    serverToolName: string,
    toolName: string,
    args: Record<string, unknown>,
    context: ToolContext,
  ): Promise<McpToolOutput>;
}

// Descriptions come from the server and go to the model verbatim: cap them like any untrusted text.
const MAX_DESCRIPTION_CHARS = 4096;
// The tool set's own timer must win the race with the agent loop's: its error names the server and
// it cancels the request on the server.
const AGENT_TIMEOUT_GRACE_MS = 1000;

/**
 * Our tool for one MCP tool, named `name`. The model sees the server's own input JSON Schema
 * (as `inputJsonSchema`), not a lossy round trip through zod; the arguments are validated against
 * that schema with ajv inside the zod `input`, so invalid arguments fail as core's usual
 * `TOOL_INPUT_INVALID` before anything is sent to the server.
 */
export function createMcpTool(definition: McpToolDefinition, name: string, binding: McpToolBinding): AnyTool {
  const inputJsonSchema = jsonSchemaForModel(definition.inputSchema);
  const check = compileValidator(inputJsonSchema, definition.name, binding);
  const input = z.looseObject({}).superRefine((value, context) => {
    const result = check?.(value);
    if (result && !result.valid) {
      context.addIssue({
        code: 'custom',
        message: `arguments do not match the MCP tool's JSON Schema: ${result.errorMessage}`,
      });
    }
  });
  const tool = defineTool({
    name,
    description: describe(definition, binding.serverName),
    input,
    timeoutMs: binding.timeoutMs + AGENT_TIMEOUT_GRACE_MS,
    execute: (args, context) => binding.call(definition.name, name, args, context),
  });
  return { ...tool, inputJsonSchema };
}

/** What makes two listings of a tool the same tool (a changed one gets a new Tool object). */
export function mcpToolFingerprint(definition: McpToolDefinition): string {
  return JSON.stringify([definition.description, definition.title, definition.inputSchema]);
}

function jsonSchemaForModel(schema: McpToolDefinition['inputSchema']): Record<string, unknown> {
  // A copy, so the model's schema cannot change if the SDK reuses the object; `$schema` is noise
  // to providers (OpenAI strict mode rejects unknown keywords), as core's defineTool also decides.
  const { $schema: _ignored, ...rest } = structuredClone(schema) as Record<string, unknown>;
  return { ...rest, type: 'object' };
}

function compileValidator(
  schema: Record<string, unknown>,
  serverToolName: string,
  binding: McpToolBinding,
): ReturnType<jsonSchemaValidator['getValidator']> | undefined {
  try {
    return binding.validator.getValidator(schema);
  } catch (error) {
    // The server validates anyway; a schema ajv cannot compile must not make the tool unusable.
    binding.logger.warn('MCP tool input schema does not compile; arguments go to the server unchecked', {
      tool: serverToolName,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

function describe(definition: McpToolDefinition, serverName: string): string {
  const text = definition.description?.trim() || definition.title?.trim();
  const description = text || `Tool "${definition.name}" of MCP server "${serverName}".`;
  return description.length > MAX_DESCRIPTION_CHARS
    ? `${description.slice(0, MAX_DESCRIPTION_CHARS)}…`
    : description;
}
