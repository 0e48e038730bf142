import { AgentError } from '@agent/core';
import { testToolContext } from '@agent/core/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { callToolByName } from './__fixtures__/call-tool-by-name.js';
import { type HttpFixture, startHttpFixture, stdioFixture, waitFor } from './__fixtures__/fixture-process.js';
import { trackToolSets } from './__fixtures__/tool-set-tracker.js';
import type { McpToolSet } from './mcp-tools.js';

const clients: Client[] = [];
const toolSets = trackToolSets();
const fixtures: HttpFixture[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await toolSets.closeAll();
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.kill()));
});

/** The SDK's own client, spawning our fixture server over stdio. */
async function sdkClientOverStdio(): Promise<Client> {
  const options = stdioFixture('our-server.ts');
  const client = new Client({ name: 'interop-test', version: '1.0.0' });
  clients.push(client);
  await client.connect(
    new StdioClientTransport({
      command: options.command,
      args: [...(options.args ?? [])],
      cwd: options.cwd ?? process.cwd(),
      stderr: 'ignore',
    }),
  );
  return client;
}

describe('the SDK Client talks to our server', () => {
  it('lists our tools with input and output JSON Schemas', async () => {
    const client = await sdkClientOverStdio();

    const { tools } = await client.listTools();

    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect([...byName.keys()].sort()).toEqual(['add', 'echo_big', 'fail', 'pid', 'slow', 'whoami']);
    expect(byName.get('add')?.inputSchema).toMatchObject({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
    });
    expect(byName.get('add')?.outputSchema).toBeUndefined();
    expect(byName.get('pid')?.outputSchema).toMatchObject({
      type: 'object',
      properties: { pid: { type: 'number' } },
    });
    expect(client.getServerVersion()).toEqual({ name: 'fixture', version: '1.0.0' });
  });

  it('calls a tool: text content, and structuredContent for object outputs', async () => {
    const client = await sdkClientOverStdio();

    const sum = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
    const pid = await client.callTool({ name: 'pid', arguments: {} });

    expect(sum).toEqual({ content: [{ type: 'text', text: '5' }] });
    expect(pid.structuredContent).toEqual({ pid: expect.any(Number) });
    expect(pid.content).toEqual([{ type: 'text', text: JSON.stringify(pid.structuredContent) }]);
  });

  it('answers invalid arguments and tool failures with isError results', async () => {
    const client = await sdkClientOverStdio();

    const invalid = await client.callTool({ name: 'add', arguments: { a: 'two' } });
    const failed = await client.callTool({ name: 'fail', arguments: {} });

    expect(invalid.isError).toBe(true);
    expect(JSON.stringify(invalid.content)).toContain('input invalid');
    expect(failed.isError).toBe(true);
    expect(JSON.stringify(failed.content)).toContain('boom: the fixture tool always fails');
  });

  it('answers an unknown tool with an InvalidParams error', async () => {
    const client = await sdkClientOverStdio();

    const error = await client.callTool({ name: 'nope', arguments: {} }).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(ErrorCode.InvalidParams);
    expect((error as McpError).message).toContain('Unknown tool "nope"');
  });

  it('works over streamable HTTP too', async () => {
    const fixture = await startHttpFixture('our-server.ts');
    fixtures.push(fixture);
    const client = new Client({ name: 'interop-test', version: '1.0.0' });
    clients.push(client);

    await client.connect(new StreamableHTTPClientTransport(new URL(fixture.url)));
    const sum = await client.callTool({ name: 'add', arguments: { a: 20, b: 22 } });

    expect(sum.content).toEqual([{ type: 'text', text: '42' }]);
  });
});

describe('mcpTools talks to a server built with the SDK McpServer', () => {
  function openSdkServer(options: { onToolsChanged?: () => void } = {}): Promise<McpToolSet> {
    return toolSets.open({ ...stdioFixture('sdk-server.ts'), name: 'sdk', ...options });
  }

  it('uses the server schemas as the model sees them and calls a tool', async () => {
    const set = await openSdkServer();

    const greet = set.tools.find((tool) => tool.name === 'greet');
    const greeting = await callToolByName(set, 'greet', { name: 'Ada', excited: true });

    expect(greet?.inputJsonSchema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string', description: 'Who to greet' }, excited: { type: 'boolean' } },
      required: ['name'],
    });
    expect(greeting).toBe('Hello, Ada!');
  });

  it('sanitises tool names and prefers structuredContent', async () => {
    const set = await openSdkServer();

    const stat = await callToolByName(set, 'files_stat', { path: '/tmp/a' });

    expect(set.tools.map((tool) => tool.name)).toContain('files_stat');
    expect(stat).toEqual({ path: '/tmp/a', size: 600 });
  });

  it('summarises images and resources instead of inlining them', async () => {
    const set = await openSdkServer();

    const output = await callToolByName(set, 'picture');

    expect(output).toBe(
      'Here is the picture.\n[image: image/png, 70 bytes]\n[resource: file:///notes.txt, text/plain, 12 bytes]',
    );
    expect(String(output)).not.toContain('secret notes');
  });

  it('maps an isError result to TOOL_FAILED', async () => {
    const set = await openSdkServer();

    const error = await callToolByName(set, 'refuse').then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(AgentError.isInstance(error) && error.code).toBe('TOOL_FAILED');
    expect((error as Error).message).toContain('access denied to /etc');
  });

  it('follows tools/list_changed: new tools appear, removed ones fail with TOOL_NOT_FOUND', async () => {
    let changes = 0;
    const set = await openSdkServer({ onToolsChanged: () => changes++ });
    const greetBefore = set.tools.find((tool) => tool.name === 'greet');

    await callToolByName(set, 'add_tool', { name: 'late' });
    await waitFor(() => set.tools.some((tool) => tool.name === 'late'), 10_000, 'the new tool');
    const late = set.tools.find((tool) => tool.name === 'late');
    const lateOutput = await callToolByName(set, 'late');
    await callToolByName(set, 'remove_tool', { name: 'late' });
    await waitFor(() => !set.tools.some((tool) => tool.name === 'late'), 10_000, 'the tool to go');
    const error = await late?.execute({}, testToolContext()).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(lateOutput).toBe('dynamic late');
    expect(changes).toBeGreaterThanOrEqual(2);
    expect(set.tools.find((tool) => tool.name === 'greet')).toBe(greetBefore);
    expect(AgentError.isInstance(error) && error.code).toBe('TOOL_NOT_FOUND');
    expect((error as Error).message).toContain('no longer offers "late"');
  });

  it('works with a stateful streamable HTTP server', async () => {
    const fixture = await startHttpFixture('sdk-server.ts');
    fixtures.push(fixture);
    const set = await toolSets.open({ transport: 'http', url: fixture.url, name: 'sdk-http' });

    const greeting = await callToolByName(set, 'greet', { name: 'HTTP' });

    expect(greeting).toBe('Hello, HTTP.');
  });
});
