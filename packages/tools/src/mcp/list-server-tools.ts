import type { Logger } from '@agent/core';
import type { Tool as McpToolDefinition } from '@modelcontextprotocol/sdk/types.js';
import type { McpConnection } from './mcp-connection.js';

// Bounds on what a server may list: a server is untrusted, and each tool costs prompt tokens.
const MAX_TOOLS = 1000;
const MAX_PAGES = 100;

/**
 * Every tool the server lists, following `nextCursor`, capped at 1000 tools and 100 pages (a
 * warning says when the cap cut the list). Each page is bounded by `pageTimeoutMs`.
 */
export async function listServerTools(
  connection: McpConnection,
  pageTimeoutMs: number,
  logger: Logger,
): Promise<McpToolDefinition[]> {
  // Connecting is bounded by itself (attempts × connectTimeoutMs, plus backoff); an overall
  // deadline here would replace the connect error's details with a bare "timed out".
  const signal = new AbortController().signal;
  const definitions: McpToolDefinition[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const params = cursor === undefined ? undefined : { cursor };
    const result = await connection.run(
      (client) => client.listTools(params, { timeout: pageTimeoutMs }),
      signal,
    );
    definitions.push(...result.tools);
    cursor = result.nextCursor;
    if (cursor === undefined || definitions.length >= MAX_TOOLS) break;
  }
  if (definitions.length > MAX_TOOLS || cursor !== undefined) {
    logger.warn('MCP server lists too many tools (or pages); using the first ones', {
      maxTools: MAX_TOOLS,
      maxPages: MAX_PAGES,
    });
  }
  return definitions.slice(0, MAX_TOOLS);
}
