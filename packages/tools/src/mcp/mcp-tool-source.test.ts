import { AgentError, type AnyTool } from '@agent/core';
import { testToolContext } from '@agent/core/testing';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type InProcessServer, serveInProcess } from './__fixtures__/in-process-server.js';
import { RecordingLogger } from './__fixtures__/recording-logger.js';
import { trackToolSets } from './__fixtures__/tool-set-tracker.js';
import type { McpToolsOptions } from './mcp-client-options.js';
import { type McpToolSet, mcpTools } from './mcp-tools.js';

const servers: InProcessServer[] = [];
const toolSets = trackToolSets();

afterEach(async () => {
  await toolSets.closeAll();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(...args: Parameters<typeof serveInProcess>): Promise<InProcessServer> {
  const server = await serveInProcess(...args);
  servers.push(server);
  return server;
}

function open(url: string, options: Partial<McpToolsOptions> = {}): Promise<McpToolSet> {
  return toolSets.open({ transport: 'http', url, name: 'src', ...options } as McpToolsOptions);
}

function namedTools(names: readonly string[]): () => McpServer {
  return () => {
    const server = new McpServer({ name: 'named', version: '1.0.0' });
    for (const name of names) {
      server.registerTool(name, { description: `Tool ${name}.` }, () => ({
        content: [{ type: 'text', text: name }],
      }));
    }
    return server;
  };
}

/** A low-level server that lists `count` tools, `pageSize` per page, with cursors. */
function pagedTools(count: number, pageSize: number): () => Server {
  return () => {
    const server = new Server({ name: 'paged', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, (request) => {
      const offset = Number(request.params?.cursor ?? 0);
      const tools = Array.from({ length: Math.max(0, Math.min(pageSize, count - offset)) }, (_, index) => ({
        name: `t${offset + index}`,
        inputSchema: { type: 'object' as const },
      }));
      const next = offset + pageSize;
      return next < count ? { tools, nextCursor: String(next) } : { tools };
    });
    return server;
  };
}

describe('the tool list of an MCP server', () => {
  it('skips a tool whose sanitised name collides with an earlier one, and logs it', async () => {
    const server = await start(namedTools(['a.b', 'a_b', 'c']));
    const logger = new RecordingLogger();

    const set = await open(server.url, { logger });

    expect(set.tools.map((tool) => tool.name)).toEqual(['a_b', 'c']);
    expect(await set.tools[0]?.execute({}, testToolContext())).toBe('a.b');
    expect(logger.matching('collides')[0]?.fields).toMatchObject({ tool: 'a_b', name: 'a_b' });
  });

  it('follows nextCursor across pages', async () => {
    const server = await start(pagedTools(7, 3));

    const set = await open(server.url);

    expect(set.tools.map((tool) => tool.name)).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6']);
  });

  it('keeps at most 1000 tools and warns', async () => {
    const server = await start(pagedTools(1200, 500));
    const logger = new RecordingLogger();

    const set = await open(server.url, { logger });

    expect(set.tools).toHaveLength(1000);
    expect(set.tools.at(-1)?.name).toBe('t999');
    expect(logger.matching('too many tools')).toHaveLength(1);
  });

  it('keeps tool objects on an unchanged refresh and reports no change', async () => {
    const server = await start(namedTools(['x', 'y']));
    const changes: AnyTool[][] = [];
    const set = await open(server.url, { onToolsChanged: (tools: AnyTool[]) => changes.push(tools) });
    const before = set.tools;

    const after = await set.refresh();

    expect(after).toEqual(before);
    expect(after[0]).toBe(before[0]);
    expect(changes).toEqual([]);
    expect(set.tools).not.toBe(set.tools);
  });

  it('shares one queued refresh among concurrent requests', async () => {
    let listings = 0;
    const server = await start(namedTools(['x']), (body) => {
      if ((body as { method?: string }).method === 'tools/list') listings++;
      return undefined;
    });
    const set = await open(server.url);
    listings = 0;

    const results = await Promise.all([set.refresh(), set.refresh(), set.refresh()]);

    expect(listings).toBe(1);
    expect(results[1]).toEqual(results[0]);
  });

  it('sends a call once more after an undelivered attempt, but not in a loop', async () => {
    let calls = 0;
    const server = await start(namedTools(['x']), (body) => {
      if ((body as { method?: string }).method !== 'tools/call') return undefined;
      calls++;
      return new Response(
        '{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}',
        {
          status: 404,
        },
      );
    });
    const set = await open(server.url, { reconnect: { maxAttempts: 1 } });

    const error = await set.tools[0]?.execute({}, testToolContext()).catch((caught: unknown) => caught);

    expect(calls).toBe(2);
    expect(AgentError.isInstance(error) && error.code).toBe('TOOL_FAILED');
    expect((error as Error).message).toContain('is unreachable');
  });

  it('fails the load with advice when nothing listens at the URL', async () => {
    const server = await start(namedTools([]));
    const { url } = server;
    await server.close();

    const error = await mcpTools({ transport: 'http', url, reconnect: { maxAttempts: 1 } }).catch(
      (caught: unknown) => caught,
    );

    expect(AgentError.isInstance(error) && error.code).toBe('PLUGIN_LOAD_FAILED');
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as Error).message).toContain('Check that the server is running');
  });
});

describe('reading HTTP responses', () => {
  it('refuses a JSON response larger than 10 MiB as a tool error, and keeps working', async () => {
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      result: { content: [{ type: 'text', text: 'z'.repeat(11 * 1024 * 1024) }] },
    });
    let sendHuge = false;
    const server = await start(namedTools(['x']), (body) => {
      const { method, id } = body as { method?: string; id?: number };
      if (method !== 'tools/call' || !sendHuge) return undefined;
      sendHuge = false;
      return new Response(huge.replace('"id":0', `"id":${id}`), {
        headers: { 'content-type': 'application/json' },
      });
    });
    const set = await open(server.url);
    sendHuge = true;

    const error = await set.tools[0]?.execute({}, testToolContext()).catch((caught: unknown) => caught);
    const after = await set.tools[0]?.execute({}, testToolContext());

    expect(AgentError.isInstance(error) && error.code).toBe('TOOL_FAILED');
    expect((error as Error).message).toContain('exceeds 10485760 bytes');
    expect(after).toBe('x');
  });
});
