/**
 * `@agent/tools/mcp`: MCP both ways. `mcpTools` turns an MCP server's tools into ours (stdio or
 * streamable HTTP, reconnecting); `serveMcpStdio`, `createMcpHttpApp` and `serveMcpHttp` publish
 * our tools to any MCP client.
 */
export type {
  McpCommonOptions,
  McpHttpOptions,
  McpReconnectOptions,
  McpStdioOptions,
  McpToolsOptions,
} from './mcp-client-options.js';
export {
  createMcpHttpApp,
  type McpHttpAppOptions,
  type McpHttpServerHandle,
  type McpHttpServerOptions,
  serveMcpHttp,
} from './mcp-http-server.js';
export type { McpToolOutput, McpTruncatedOutput } from './mcp-result.js';
export { createMcpServer, type McpServerOptions, type McpServerTools } from './mcp-server.js';
export { type McpServerHandle, type McpStdioServerOptions, serveMcpStdio } from './mcp-stdio-server.js';
export { type McpToolSet, mcpTools } from './mcp-tools.js';
