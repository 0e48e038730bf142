import type { AddressInfo } from 'node:net';
import { AgentError, defineTool } from '@agent/core';
import { testToolContext } from '@agent/core/testing';
import { serve } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { add, fixtureTools } from './__fixtures__/fixture-tools.js';
import { createMcpHttpApp, type McpHttpServerHandle, serveMcpHttp } from './mcp-http-server.js';
import { mcpTools } from './mcp-tools.js';

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function start(
  options: Partial<Parameters<typeof serveMcpHttp>[1]> = {},
): Promise<McpHttpServerHandle> {
  const server = await serveMcpHttp(fixtureTools, { name: 'http-unit', version: '1.0.0', ...options });
  closers.push(() => server.close());
  return server;
}

function rpc(method: string, params: Record<string, unknown>, id = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params });
}

const jsonHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('serveMcpHttp', () => {
  it('serves the SDK client on 127.0.0.1 at /mcp', async () => {
    const server = await start();
    const client = new Client({ name: 'c', version: '1' });
    closers.push(() => client.close());

    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    const result = await client.callTool({ name: 'add', arguments: { a: 5, b: 6 } });

    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(result.content).toEqual([{ type: 'text', text: '11' }]);
  });

  it('answers a tools/call POST without a session (stateless), as JSON', async () => {
    const server = await start({ path: '/tools/mcp' });

    const response = await fetch(server.url, {
      method: 'POST',
      headers: jsonHeaders,
      body: rpc('tools/call', { name: 'add', arguments: { a: 1, b: 1 } }, 7),
    });

    expect(server.url).toMatch(/\/tools\/mcp$/);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('mcp-session-id')).toBeNull();
    expect(await response.json()).toEqual({
      jsonrpc: '2.0',
      id: 7,
      result: { content: [{ type: 'text', text: '2' }] },
    });
  });

  it('answers GET and DELETE with 405 and Allow: POST', async () => {
    const server = await start();

    const get = await fetch(server.url, { headers: { accept: 'text/event-stream' } });
    const remove = await fetch(server.url, { method: 'DELETE' });

    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(remove.status).toBe(405);
  });

  it('refuses bodies over maxBodyBytes with 413', async () => {
    const server = await start({ maxBodyBytes: 200 });

    const response = await fetch(server.url, {
      method: 'POST',
      headers: jsonHeaders,
      body: rpc('tools/call', { name: 'add', arguments: { a: 1, b: 2, padding: 'p'.repeat(500) } }),
    });

    expect(response.status).toBe(413);
  });

  it('refuses browser origins that are not allowed, and accepts listed ones', async () => {
    const server = await start({ allowedOrigins: ['https://app.example'] });
    const body = rpc('tools/call', { name: 'add', arguments: { a: 1, b: 2 } });

    const evil = await fetch(server.url, {
      method: 'POST',
      headers: { ...jsonHeaders, origin: 'https://evil.example' },
      body,
    });
    const good = await fetch(server.url, {
      method: 'POST',
      headers: { ...jsonHeaders, origin: 'https://app.example' },
      body,
    });

    expect(evil.status).toBe(403);
    expect(JSON.stringify(await evil.json())).toContain('https://evil.example');
    expect(good.status).toBe(200);
  });

  it('aborts the running tool when the client disconnects', async () => {
    let markStarted = () => {};
    let markAborted = () => {};
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const aborted = new Promise<void>((resolve) => {
      markAborted = resolve;
    });
    const hang = defineTool({
      name: 'hang',
      description: 'Never answers on its own.',
      input: z.object({}),
      execute: (_input, context) =>
        new Promise(() => {
          markStarted();
          context.signal.addEventListener('abort', () => markAborted());
        }),
    });
    const server = await serveMcpHttp([hang], { name: 'hang', version: '1.0.0' });
    closers.push(() => server.close());
    const controller = new AbortController();

    const request = fetch(server.url, {
      method: 'POST',
      headers: jsonHeaders,
      body: rpc('tools/call', { name: 'hang', arguments: {} }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await started;
    controller.abort();
    await request;

    await expect(aborted).resolves.toBeUndefined();
  });

  it('fails to start with the listen error when the port is taken', async () => {
    const first = await start();
    const port = Number(new URL(first.url).port);

    const error = await serveMcpHttp([add], { name: 'dup', version: '1.0.0', port }).catch(
      (caught: unknown) => caught,
    );

    expect((error as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
  });
});

describe('createMcpHttpApp behind the host own authentication, used by mcpTools with headers', () => {
  async function startGuarded(): Promise<string> {
    const app = new Hono();
    app.use('/mcp', bearerAuth({ token: 'sesame' }));
    app.route('/', createMcpHttpApp([add], { name: 'guarded', version: '1.0.0' }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  }

  it('sends the configured headers with every request', async () => {
    const url = await startGuarded();

    const set = await mcpTools({ transport: 'http', url, headers: { authorization: 'Bearer sesame' } });
    closers.push(() => set.close());
    const sum = await set.tools[0]?.execute({ a: 2, b: 2 }, testToolContext());

    expect(set.name).toBe(new URL(url).host);
    expect(sum).toBe('4');
  });

  it('fails to load with PLUGIN_LOAD_FAILED when the server refuses the client', async () => {
    const url = await startGuarded();

    const error = await mcpTools({
      transport: 'http',
      url,
      headers: { authorization: 'Bearer wrong' },
      reconnect: { maxAttempts: 1 },
    }).catch((caught: unknown) => caught);

    expect(AgentError.isInstance(error) && error.code).toBe('PLUGIN_LOAD_FAILED');
    expect((error as Error).message).toContain('HTTP 401');
    expect((error as Error).message).toContain('check the headers option');
  });
});
