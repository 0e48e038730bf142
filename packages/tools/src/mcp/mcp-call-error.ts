import { AgentError, ToolError, throwIfAborted } from '@agent/core';
import { McpUnreachableError } from './mcp-connection.js';
import { classifyMcpFailure, messageOf } from './mcp-failure.js';

/** What a failed call was, for its error message. */
export interface McpCallFailure {
  error: unknown;
  /** Our name of the tool. */
  toolName: string;
  serverName: string;
  /** Where the server is (command or URL), for "check that it runs" advice. */
  where: string;
  timeoutMs: number;
  /** The caller's signal (the run's, or the agent loop's timeout). */
  callerSignal: AbortSignal;
  /** True when the tool set's own timeout passed. */
  timedOut: boolean;
}

/**
 * The error a failed MCP call throws: the caller's abort as core's `AbortedError`, a timeout as
 * `TOOL_TIMEOUT`, everything else (unreachable server, lost connection, a JSON-RPC error) as
 * `TOOL_FAILED` with what happened and what to do. Core's agent loop turns each into a
 * tool-error message to the model; the run goes on.
 */
export function mcpCallError(failure: McpCallFailure): Error {
  const { error, toolName, serverName } = failure;
  if (AgentError.isInstance(error)) return error;
  throwIfAborted(failure.callerSignal, `The call to MCP tool "${toolName}"`);
  const kind = classifyMcpFailure(error);
  if (failure.timedOut || kind === 'timeout') {
    return new ToolError(
      'TOOL_TIMEOUT',
      toolName,
      `MCP tool "${toolName}" on server "${serverName}" did not answer within ${failure.timeoutMs} ms; the request was cancelled. Try again with a smaller request, or raise timeoutMs for this server.`,
      { cause: error, retryable: true },
    );
  }
  if (error instanceof McpUnreachableError || kind === 'undelivered') {
    return new ToolError(
      'TOOL_FAILED',
      toolName,
      `MCP server "${serverName}" is unreachable, so "${toolName}" was not run: ${messageOf(error)}. Later calls reconnect; check that the server is running (${failure.where}).`,
      { cause: error, retryable: true },
    );
  }
  if (kind === 'lost') {
    return new ToolError(
      'TOOL_FAILED',
      toolName,
      `The connection to MCP server "${serverName}" broke during the call to "${toolName}" (${messageOf(error)}); the tool may or may not have run. The next call reconnects.`,
      { cause: error, retryable: true },
    );
  }
  return new ToolError(
    'TOOL_FAILED',
    toolName,
    `The call to "${toolName}" on MCP server "${serverName}" failed: ${messageOf(error)}`,
    { cause: error },
  );
}
