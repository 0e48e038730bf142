import { type AnyTool, type ToolContext, ToolError, timedAbort } from '@agent/core';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { listServerTools } from './list-server-tools.js';
import { mcpCallError } from './mcp-call-error.js';
import type { ResolvedMcpOptions } from './mcp-client-options.js';
import { McpConnection } from './mcp-connection.js';
import { messageOf } from './mcp-failure.js';
import { convertCallToolResult, type McpToolOutput } from './mcp-result.js';
import { createMcpTool, type McpToolBinding, mcpToolFingerprint } from './mcp-tool.js';
import { createToolFilter, type ToolFilter } from './tool-filter.js';
import { mcpToolName } from './tool-name.js';

interface Entry {
  tool: AnyTool;
  fingerprint: string;
}

/** The live state behind an {@link McpToolSet}: the connection and the current tools. */
export class McpToolSource {
  /** Where the server is, for messages: the command line, or the URL without query or credentials. */
  readonly where: string;
  private readonly connection: McpConnection;
  private readonly filter: ToolFilter;
  private entries = new Map<string, Entry>();
  private list: AnyTool[] = [];
  private queued: Promise<AnyTool[]> | undefined;
  private running: Promise<AnyTool[]> | undefined;
  private closed = false;
  private loaded = false;

  constructor(private readonly options: ResolvedMcpOptions) {
    this.where =
      options.transport === 'stdio'
        ? [options.command, ...options.args].join(' ')
        : `${options.url.origin}${options.url.pathname}`;
    this.filter = createToolFilter(options.allow, options.deny);
    this.connection = new McpConnection(options, {
      onToolsChanged: () => this.refreshInBackground('tools/list_changed'),
      onReconnected: () => this.refreshInBackground('reconnect'),
    });
  }

  get tools(): AnyTool[] {
    return [...this.list];
  }

  get connected(): boolean {
    return this.connection.connected;
  }

  /** Lists the tools again. Concurrent requests share one queued refresh. */
  refresh(): Promise<AnyTool[]> {
    if (this.queued) return this.queued;
    const previous = this.running ?? Promise.resolve();
    const next: Promise<AnyTool[]> = previous
      .catch(() => {})
      .then(() => {
        this.queued = undefined;
        this.running = next;
        return this.refreshNow();
      })
      .finally(() => {
        if (this.running === next) this.running = undefined;
      });
    this.queued = next;
    return next;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connection.close();
  }

  private refreshInBackground(reason: string): void {
    this.refresh().catch((error: unknown) => {
      this.options.logger.warn('MCP tool list refresh failed; keeping the previous tools', {
        reason,
        error: messageOf(error),
      });
    });
  }

  private async refreshNow(): Promise<AnyTool[]> {
    const definitions = await listServerTools(
      this.connection,
      this.options.connectTimeoutMs,
      this.options.logger,
    );
    const binding = this.binding();
    const entries = new Map<string, Entry>();
    const taken = new Set<string>();
    for (const definition of definitions) {
      if (!this.filter.includes(definition.name)) continue;
      const name = mcpToolName(definition.name, this.options.namespace);
      if (name === undefined || taken.has(name)) {
        this.options.logger.warn('MCP tool skipped: its name is empty or collides after sanitising', {
          tool: definition.name,
          name,
        });
        continue;
      }
      taken.add(name);
      const fingerprint = mcpToolFingerprint(definition);
      const existing = this.entries.get(definition.name);
      // Unchanged tools keep their object, so an agent holding it sees no difference.
      const tool =
        existing?.fingerprint === fingerprint && existing.tool.name === name
          ? existing.tool
          : createMcpTool(definition, name, binding);
      entries.set(definition.name, { tool, fingerprint });
    }
    const unused = this.filter.unusedAllowPatterns(definitions.map((definition) => definition.name));
    if (unused.length > 0) this.options.logger.warn('MCP allow patterns match no tool', { patterns: unused });
    const previous = this.list;
    this.entries = entries;
    this.list = [...entries.values()].map((entry) => entry.tool);
    const changed =
      previous.length !== this.list.length || previous.some((tool, index) => tool !== this.list[index]);
    this.options.logger.info('MCP tools listed', { tools: this.list.map((tool) => tool.name) });
    // The first listing is the load itself, not a change anyone must react to.
    if (changed && this.loaded) this.options.onToolsChanged?.(this.tools);
    this.loaded = true;
    return this.tools;
  }

  private binding(): McpToolBinding {
    return {
      serverName: this.options.name,
      timeoutMs: this.options.timeoutMs,
      // A fresh validator per listing: ajv caches schemas by `$id`, and a changed tool may keep its id.
      validator: new AjvJsonSchemaValidator(),
      logger: this.options.logger,
      call: (serverToolName, toolName, args, context) => this.call(serverToolName, toolName, args, context),
    };
  }

  private closedError(toolName: string): ToolError {
    return new ToolError(
      'TOOL_FAILED',
      toolName,
      `The tools of MCP server "${this.options.name}" were closed; "${toolName}" cannot be called any more. Load them again with mcpTools().`,
    );
  }

  private async call(
    serverToolName: string,
    toolName: string,
    args: Record<string, unknown>,
    context: ToolContext,
  ): Promise<McpToolOutput> {
    const serverName = this.options.name;
    if (this.closed) throw this.closedError(toolName);
    if (!this.entries.has(serverToolName)) {
      throw new ToolError(
        'TOOL_NOT_FOUND',
        toolName,
        `MCP server "${serverName}" no longer offers "${toolName}" (its tool list changed). Available: ${this.list.map((tool) => tool.name).join(', ') || '(none)'}.`,
      );
    }
    const { timeoutMs } = this.options;
    // timedAbort, not AbortSignal.any: see its doc (a per-call composite signal leaks on Node 20,
    // test/mcp-memory.test.ts).
    const timed = timedAbort(context.signal, timeoutMs);
    const signal = timed.signal;
    let result: Record<string, unknown>;
    try {
      result = await this.connection.run(
        // The SDK's own timer is a backstop only; ours fires first and says which server was slow.
        (client) =>
          client.callTool({ name: serverToolName, arguments: args }, undefined, {
            signal,
            timeout: timeoutMs * 2,
          }),
        signal,
      );
    } catch (error) {
      if (this.closed) throw this.closedError(toolName);
      throw mcpCallError({
        error,
        toolName,
        serverName,
        where: this.where,
        timeoutMs,
        callerSignal: context.signal,
        timedOut: timed.timedOut,
      });
    } finally {
      timed.dispose();
    }
    return convertCallToolResult(result, {
      toolName,
      serverName,
      maxResultBytes: this.options.maxResultBytes,
    });
  }
}
