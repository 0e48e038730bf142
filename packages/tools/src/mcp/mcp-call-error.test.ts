import { AgentError, ToolError } from '@agent/core';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { type McpCallFailure, mcpCallError } from './mcp-call-error.js';
import { McpUnreachableError } from './mcp-connection.js';

function failure(error: unknown, overrides: Partial<McpCallFailure> = {}): McpCallFailure {
  return {
    error,
    toolName: 'fs_read',
    serverName: 'files',
    where: 'npx server-files',
    timeoutMs: 500,
    callerSignal: new AbortController().signal,
    timedOut: false,
    ...overrides,
  };
}

function codeOf(error: Error): string | undefined {
  return AgentError.isInstance(error) ? error.code : undefined;
}

describe('mcpCallError', () => {
  it('passes our own errors through', () => {
    const original = new ToolError('TOOL_FAILED', 'fs_read', 'already typed');

    expect(mcpCallError(failure(original))).toBe(original);
  });

  it('throws the caller abort as ABORTED', () => {
    const caller = new AbortController();
    caller.abort(new Error('stop'));

    expect(() => mcpCallError(failure(new Error('x'), { callerSignal: caller.signal }))).toThrow(
      expect.objectContaining({ code: 'ABORTED' }),
    );
  });

  it('reports the deadline, and the SDK request timeout, as TOOL_TIMEOUT', () => {
    const ours = mcpCallError(failure(new Error('aborted'), { timedOut: true }));
    const sdk = mcpCallError(failure(new McpError(ErrorCode.RequestTimeout, 'Request timed out')));

    expect(codeOf(ours)).toBe('TOOL_TIMEOUT');
    expect(ours.message).toContain('did not answer within 500 ms');
    expect(codeOf(sdk)).toBe('TOOL_TIMEOUT');
  });

  it('reports an unreachable server as TOOL_FAILED that names where it should run', () => {
    const error = mcpCallError(failure(new McpUnreachableError('could not connect', { cause: undefined })));

    expect(codeOf(error)).toBe('TOOL_FAILED');
    expect(error.message).toContain('MCP server "files" is unreachable, so "fs_read" was not run');
    expect(error.message).toContain('(npx server-files)');
  });

  it('reports a broken connection as a call that may or may not have run', () => {
    const error = mcpCallError(failure(new McpError(ErrorCode.ConnectionClosed, 'Connection closed')));

    expect(codeOf(error)).toBe('TOOL_FAILED');
    expect(error.message).toContain('may or may not have run');
  });

  it('reports a JSON-RPC error answer as a failed call', () => {
    const error = mcpCallError(failure(new McpError(ErrorCode.InvalidParams, 'Unknown tool')));

    expect(codeOf(error)).toBe('TOOL_FAILED');
    expect(error.message).toBe(
      'The call to "fs_read" on MCP server "files" failed: MCP error -32602: Unknown tool',
    );
  });
});
