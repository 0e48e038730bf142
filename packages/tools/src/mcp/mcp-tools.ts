import { type AnyTool, PluginError } from '@agent/core';
import { type McpToolsOptions, resolveMcpOptions } from './mcp-client-options.js';
import { isAuthFailure, messageOf } from './mcp-failure.js';
import { McpToolSource } from './mcp-tool-source.js';

/** An MCP server's tools as our tools, and the connection behind them. */
export interface McpToolSet {
  /** The server's name (from the options, or derived from the command or URL). */
  readonly name: string;
  /**
   * The tools, after allow/deny, named `<namespace>_<tool>`. A getter: it reflects the latest
   * `refresh()`. Tool objects handed out earlier stay valid; calling one whose MCP tool is gone
   * fails with `TOOL_NOT_FOUND`.
   */
  readonly tools: AnyTool[];
  /** Whether a live connection to the server is open right now. */
  readonly connected: boolean;
  /** Lists the server's tools again (it is also done on `tools/list_changed` and after a reconnect). */
  refresh(): Promise<AnyTool[]>;
  /** Disconnects (a stdio server is stopped). Later calls fail with `TOOL_FAILED`. */
  close(): Promise<void>;
}

/**
 * Connects to an MCP server and turns its tools into ours, ready for an `Agent`. Connects (and
 * lists the tools) before resolving; rejects with `PLUGIN_LOAD_FAILED` when the server cannot be
 * reached, with `ConfigError` for invalid options. Once running, failures never throw into the
 * agent loop: a tool error, timeout or lost connection becomes a tool-error message to the model,
 * and the next call reconnects (respawning a stdio server).
 *
 * @example
 * ```ts
 * const files = await mcpTools({
 *   name: 'files',
 *   transport: 'stdio',
 *   command: 'npx',
 *   args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv/data'],
 *   allow: ['read_*', 'list_*'],
 *   namespace: 'fs',
 * });
 * const agent = new Agent({ name: 'librarian', model, tools: files.tools });
 * // ...
 * await files.close();
 * ```
 */
export async function mcpTools(options: McpToolsOptions): Promise<McpToolSet> {
  const resolved = resolveMcpOptions(options);
  const source = new McpToolSource(resolved);
  try {
    await source.refresh();
  } catch (error) {
    await source.close();
    throw new PluginError(
      'PLUGIN_LOAD_FAILED',
      resolved.name,
      `Could not load the tools of MCP server "${resolved.name}" (${source.where}): ${messageOf(error)}. ${loadAdvice(resolved.transport, error)}`,
      { cause: error },
    );
  }
  return {
    name: resolved.name,
    get tools() {
      return source.tools;
    },
    get connected() {
      return source.connected;
    },
    refresh: () => source.refresh(),
    close: () => source.close(),
  };
}

function loadAdvice(transport: 'stdio' | 'http', error: unknown): string {
  if (transport === 'stdio') return 'Check that the command runs and speaks MCP on stdout.';
  if (isAuthFailure(error)) return 'The server refused the credentials: check the headers option.';
  return 'Check that the server is running and the URL is its MCP endpoint.';
}
