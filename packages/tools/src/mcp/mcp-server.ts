import { randomUUID } from 'node:crypto';
import { type AnyTool, executeToolCall, type Logger, noopLogger, ToolRegistry } from '@agent/core';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  type ListToolsResult,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { z } from 'zod';

/** Options of {@link createMcpServer} (and of the stdio and HTTP servers built on it). */
export interface McpServerOptions {
  /** The server's name, sent to clients on `initialize`. */
  name: string;
  /** The server's version, sent to clients on `initialize`. */
  version: string;
  /** Passed to the tools as `context.logger`. @default noopLogger */
  logger?: Logger;
  /** Sent to clients on `initialize`: how to use these tools. */
  instructions?: string;
  /** Timeout of tools that set no `timeoutMs`. @default 60000 */
  toolTimeoutMs?: number;
}

/** Our tools, as a list or a registry (read live: tools registered later are listed too). */
export type McpServerTools = readonly AnyTool[] | ToolRegistry;

/**
 * Publishes our tools as an MCP server (the SDK's low-level `Server`; connect it to any transport).
 * `tools/list` returns each tool's own JSON Schemas (`inputSchema`, and `outputSchema` when the
 * tool has an object output schema). `tools/call` runs through core's `executeToolCall`, so
 * arguments are validated with the tool's zod schema and the tool's timeout applies. Per the MCP
 * spec, invalid arguments and tool failures are tool results with `isError: true` (the model can
 * correct itself); only an unknown tool name is a JSON-RPC error (`InvalidParams`).
 *
 * @example
 * ```ts
 * const server = createMcpServer([add, weather], { name: 'my-tools', version: '1.0.0' });
 * await server.connect(new StdioServerTransport());
 * ```
 */
export function createMcpServer(tools: McpServerTools, options: McpServerOptions): Server {
  return mcpServerFactory(tools, options)();
}

/**
 * A function that makes a new, unconnected {@link createMcpServer} server per call, sharing the
 * registry and the computed schemas (stateless HTTP needs one server per request).
 */
export function mcpServerFactory(tools: McpServerTools, options: McpServerOptions): () => Server {
  const registry = tools instanceof ToolRegistry ? tools : new ToolRegistry(tools);
  const logger = options.logger ?? noopLogger;
  const defaultTimeoutMs = options.toolTimeoutMs ?? 60_000;
  const listTools = (): ListToolsResult => ({ tools: registry.list().map(describeTool) });
  // One validator for every server the factory makes: each SDK Server would build its own Ajv
  // instance, 0.3-0.5 ms of a stateless HTTP request (bench/tools.bench.mjs).
  const jsonSchemaValidator = new AjvJsonSchemaValidator();
  return () => {
    const server = new Server(
      { name: options.name, version: options.version },
      {
        jsonSchemaValidator,
        capabilities: { tools: { listChanged: false } },
        ...(options.instructions === undefined ? {} : { instructions: options.instructions }),
      },
    );
    server.setRequestHandler(ListToolsRequestSchema, listTools);
    server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
      const { name } = request.params;
      if (!registry.has(name)) {
        throw new McpError(
          ErrorCode.InvalidParams,
          `Unknown tool "${name}". Available tools: ${registry.namesForMessage()}.`,
        );
      }
      const runId = `mcp-${randomUUID()}`;
      const outcome = await executeToolCall(
        { id: String(extra.requestId), name, arguments: request.params.arguments ?? {} },
        {
          registry,
          runId,
          agent: 'mcp',
          tenant: undefined,
          logger: logger.child({ runId, tool: name }),
          signal: extra.signal,
          defaultTimeoutMs,
        },
      );
      const content: CallToolResult['content'] = [{ type: 'text', text: outcome.content }];
      if (!outcome.ok) return { content, isError: true };
      return isPlainObject(outcome.output) ? { content, structuredContent: outcome.output } : { content };
    });
    return server;
  };
}

// Schemas are computed once per tool object: tools/list is called on every stateless HTTP request.
const outputSchemas = new WeakMap<AnyTool, Record<string, unknown> | undefined>();

function describeTool(tool: AnyTool): ListToolsResult['tools'][number] {
  if (!outputSchemas.has(tool)) outputSchemas.set(tool, objectOutputSchema(tool));
  const outputSchema = outputSchemas.get(tool);
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: { ...tool.inputJsonSchema, type: 'object' },
    ...(outputSchema === undefined ? {} : { outputSchema: { ...outputSchema, type: 'object' } }),
  };
}

/** MCP's `outputSchema` must describe an object; other output schemas are not published. */
function objectOutputSchema(tool: AnyTool): Record<string, unknown> | undefined {
  if (!tool.output) return undefined;
  try {
    const schema = z.toJSONSchema(tool.output, { io: 'output', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    if (schema.type !== 'object') return undefined;
    delete schema.$schema;
    return schema;
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
