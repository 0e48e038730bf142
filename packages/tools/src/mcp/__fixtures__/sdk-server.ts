import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

// An MCP server built with the SDK's McpServer only (none of our code), to prove our client works
// with any server:
//   node --import tsx sdk-server.ts stdio
//   node --import tsx sdk-server.ts http [port]   → stateful sessions; prints "LISTENING <url>"

const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

function buildServer(): McpServer {
  const server = new McpServer({ name: 'sdk-fixture', version: '1.0.0' });
  server.registerTool(
    'greet',
    {
      description: 'Greets someone.',
      inputSchema: { name: z.string().describe('Who to greet'), excited: z.boolean().optional() },
    },
    ({ name, excited }) => ({ content: [{ type: 'text', text: `Hello, ${name}${excited ? '!' : '.'}` }] }),
  );
  server.registerTool(
    'files.stat',
    {
      description: 'A tool whose name has a dot, and structured output.',
      inputSchema: { path: z.string() },
      outputSchema: { path: z.string(), size: z.number() },
    },
    ({ path }) => {
      const structuredContent = { path, size: path.length * 100 };
      return { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent };
    },
  );
  server.registerTool('picture', { description: 'Returns an image and a resource.' }, () => ({
    content: [
      { type: 'text', text: 'Here is the picture.' },
      { type: 'image', data: PNG_1X1, mimeType: 'image/png' },
      {
        type: 'resource',
        resource: { uri: 'file:///notes.txt', mimeType: 'text/plain', text: 'secret notes' },
      },
    ],
  }));
  server.registerTool('refuse', { description: 'Always reports an error result.' }, () => ({
    content: [{ type: 'text', text: 'access denied to /etc' }],
    isError: true,
  }));
  const extra = new Map<string, ReturnType<McpServer['registerTool']>>();
  server.registerTool(
    'add_tool',
    {
      description: 'Registers a new tool named `name` (announced by tools/list_changed).',
      inputSchema: { name: z.string() },
    },
    ({ name }) => {
      extra.set(
        name,
        server.registerTool(name, { description: `Dynamic tool ${name}.` }, () => ({
          content: [{ type: 'text', text: `dynamic ${name}` }],
        })),
      );
      return { content: [{ type: 'text', text: `added ${name}` }] };
    },
  );
  server.registerTool(
    'remove_tool',
    { description: 'Removes a tool added by add_tool.', inputSchema: { name: z.string() } },
    ({ name }) => {
      extra.get(name)?.remove();
      extra.delete(name);
      return { content: [{ type: 'text', text: `removed ${name}` }] };
    },
  );
  server.registerTool('pid', { description: 'Returns the process id.' }, () => ({
    content: [{ type: 'text', text: String(process.pid) }],
  }));
  return server;
}

const [mode = 'stdio', port = '0'] = process.argv.slice(2);

if (mode === 'http') {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer(async (request, response) => {
    const body = request.method === 'POST' ? await readJson(request) : undefined;
    const sessionId = request.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (!transport && sessionId === undefined && isInitializeRequest(body)) {
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, created),
      });
      await buildServer().connect(created);
      transport = created;
    }
    if (!transport) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }),
      );
      return;
    }
    await transport.handleRequest(request, response, body);
  });
  http.listen(Number(port), '127.0.0.1', () => {
    const address = http.address() as AddressInfo;
    process.stdout.write(`LISTENING http://127.0.0.1:${address.port}/mcp\n`);
  });
} else {
  await buildServer().connect(new StdioServerTransport());
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
