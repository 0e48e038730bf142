import { type AnyTool, ConfigError, type Logger, noopLogger } from '@agent/core';
import { NAMESPACE_PATTERN } from './tool-name.js';

/** How {@link mcpTools} reconnects after the server went away. */
export interface McpReconnectOptions {
  /** Connection attempts per call before the call fails as a tool error. @default 3 */
  maxAttempts?: number;
  /** Wait before the second attempt; doubles after each failure. @default 250 */
  initialDelayMs?: number;
  /** Upper bound of the wait between attempts. @default 5000 */
  maxDelayMs?: number;
}

/** Options of {@link mcpTools} that apply to both transports. */
export interface McpCommonOptions {
  /** The server's name in logs and error messages. @default the command's file name, or the URL's host */
  name?: string;
  /** Globs over the server's tool names (`read_*`); only matching tools are used. Unset: all. */
  allow?: readonly string[];
  /** Globs over the server's tool names; matching tools are never used. Wins over `allow`. */
  deny?: readonly string[];
  /** Per-call limit, reconnecting included; then the call fails with `TOOL_TIMEOUT`. @default 30000 */
  timeoutMs?: number;
  /** Limit of one connection attempt (spawn or HTTP handshake, then `initialize`) and of listing the tools. @default 30000 */
  connectTimeoutMs?: number;
  /** Results larger than this (UTF-8 bytes) are cut and marked `truncated: true`. @default 102400 */
  maxResultBytes?: number;
  /** Prefix of the tools' names: `fs` + `read_file` = `fs_read_file`. */
  namespace?: string;
  /** Where connection and tool-list events are logged. @default noopLogger */
  logger?: Logger;
  reconnect?: McpReconnectOptions;
  /** Called with the new list after the server's tools changed (`notifications/tools/list_changed`, a reconnect, or `refresh()`). */
  onToolsChanged?: (tools: AnyTool[]) => void;
}

/** Spawn the server as a child process and talk over its stdin/stdout. */
export interface McpStdioOptions extends McpCommonOptions {
  transport: 'stdio';
  /** The executable, e.g. `npx` or `/usr/bin/node`. Run without a shell. */
  command: string;
  args?: readonly string[];
  /** Extra environment; only HOME, LOGNAME, PATH, SHELL, TERM and USER are inherited besides. */
  env?: Record<string, string>;
  cwd?: string;
}

/** Connect to a server that speaks MCP streamable HTTP. */
export interface McpHttpOptions extends McpCommonOptions {
  transport: 'http';
  /** The server's MCP endpoint, e.g. `http://127.0.0.1:3001/mcp`. */
  url: string | URL;
  /** Sent with every request, e.g. `{ authorization: 'Bearer …' }`. */
  headers?: Record<string, string>;
}

/** Options of {@link mcpTools}: one MCP server (the shape of one `tools.mcp.<name>` config entry). */
export type McpToolsOptions = McpStdioOptions | McpHttpOptions;

/** {@link McpToolsOptions} checked, with every default applied. */
export type ResolvedMcpOptions = (
  | (Omit<McpStdioOptions, 'args'> & { args: string[] })
  | (Omit<McpHttpOptions, 'url'> & { url: URL })
) & {
  name: string;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxResultBytes: number;
  logger: Logger;
  reconnect: Required<McpReconnectOptions>;
};

/** Checks the options and applies defaults; throws {@link ConfigError} naming the bad field. */
export function resolveMcpOptions(options: McpToolsOptions): ResolvedMcpOptions {
  const name = options.name ?? defaultName(options);
  const owner = `MCP server "${name}"`;
  if (options.namespace !== undefined && !NAMESPACE_PATTERN.test(options.namespace)) {
    throw new ConfigError(
      `${owner}: namespace "${options.namespace}" is invalid. Use 1-32 letters, digits and "-", starting with a letter (tools become <namespace>_<tool>).`,
    );
  }
  const common = {
    name,
    timeoutMs: positive(options.timeoutMs, 30_000, 'timeoutMs', owner),
    connectTimeoutMs: positive(options.connectTimeoutMs, 30_000, 'connectTimeoutMs', owner),
    maxResultBytes: positive(options.maxResultBytes, 102_400, 'maxResultBytes', owner),
    logger: (options.logger ?? noopLogger).child({ mcpServer: name }),
    reconnect: {
      maxAttempts: positive(options.reconnect?.maxAttempts, 3, 'reconnect.maxAttempts', owner),
      initialDelayMs: positive(options.reconnect?.initialDelayMs, 250, 'reconnect.initialDelayMs', owner),
      maxDelayMs: positive(options.reconnect?.maxDelayMs, 5000, 'reconnect.maxDelayMs', owner),
    },
  };
  if (options.transport === 'stdio') {
    if (options.command.trim().length === 0) {
      throw new ConfigError(`${owner}: command is empty. Set the executable that starts the server.`);
    }
    return { ...options, ...common, args: [...(options.args ?? [])] };
  }
  return { ...options, ...common, url: httpUrl(options.url, owner) };
}

function defaultName(options: McpToolsOptions): string {
  if (options.transport === 'stdio') return options.command.split(/[\\/]/).pop() || options.command;
  try {
    return new URL(options.url).host;
  } catch {
    return String(options.url);
  }
}

function httpUrl(value: string | URL, owner: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      `${owner}: url "${String(value)}" is not a URL. Use e.g. http://127.0.0.1:3001/mcp.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${owner}: url "${url.href}" must use http: or https:.`);
  }
  return url;
}

function positive(value: number | undefined, fallback: number, field: string, owner: string): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value > 0)) {
    throw new ConfigError(`${owner}: ${field} must be a positive number, got ${value}.`);
  }
  return value;
}
