import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyMcpFailure, isAuthFailure, messageOf } from './mcp-failure.js';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** A TCP server that accepts and immediately resets every connection. */
async function resettingServer(): Promise<string> {
  const server = createServer((socket) => socket.resetAndDestroy());
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

/** A port nothing listens on (bound, then released). */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return `http://127.0.0.1:${port}/mcp`;
}

async function fetchError(url: string): Promise<unknown> {
  return fetch(url, { method: 'POST', body: '{}' }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('classifyMcpFailure', () => {
  it('calls a refused connection undelivered (safe to send again)', async () => {
    const error = await fetchError(await closedPortUrl());

    expect(classifyMcpFailure(error)).toBe('undelivered');
    expect(messageOf(error)).toContain('ECONNREFUSED');
  });

  it('calls a connection reset mid-request lost', async () => {
    const error = await fetchError(await resettingServer());

    expect(classifyMcpFailure(error)).toBe('lost');
  });

  it('classifies JSON-RPC errors by code', () => {
    expect(classifyMcpFailure(new McpError(ErrorCode.ConnectionClosed, 'closed'))).toBe('lost');
    expect(classifyMcpFailure(new McpError(ErrorCode.RequestTimeout, 'slow'))).toBe('timeout');
    expect(classifyMcpFailure(new McpError(ErrorCode.InvalidParams, 'bad'))).toBe('answered');
  });

  it('classifies HTTP statuses: 404 is a forgotten session, 5xx a broken server', () => {
    expect(classifyMcpFailure(new StreamableHTTPError(404, 'Session not found'))).toBe('undelivered');
    expect(classifyMcpFailure(new StreamableHTTPError(502, 'Bad gateway'))).toBe('lost');
    expect(classifyMcpFailure(new StreamableHTTPError(401, 'Unauthorized'))).toBe('answered');
    expect(classifyMcpFailure(new StreamableHTTPError(undefined, 'odd'))).toBe('answered');
  });

  it('classifies other errors', () => {
    const stdinGone = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });

    expect(classifyMcpFailure(new Error('Not connected'))).toBe('undelivered');
    expect(classifyMcpFailure(stdinGone)).toBe('lost');
    expect(classifyMcpFailure(new Error('something else'))).toBe('answered');
    expect(classifyMcpFailure('a string')).toBe('answered');
  });
});

describe('messageOf and isAuthFailure', () => {
  it('names the HTTP status and recognises refused credentials, also as a cause', () => {
    const refused = new StreamableHTTPError(403, 'Forbidden');

    expect(messageOf(refused)).toBe('HTTP 403: Streamable HTTP error: Forbidden');
    expect(isAuthFailure(refused)).toBe(true);
    expect(isAuthFailure(new Error('wrapped', { cause: refused }))).toBe(true);
    expect(isAuthFailure(new StreamableHTTPError(500, 'x'))).toBe(false);
    expect(messageOf(42)).toBe('42');
  });
});
