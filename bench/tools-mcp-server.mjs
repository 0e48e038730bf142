// The tool tools.bench.mjs calls directly and over MCP, and, run as a script, an MCP stdio server
// that serves it (tools.bench.mjs spawns it through `mcpTools({ transport: 'stdio' })`).
//
//   node tools-mcp-server.mjs   serves `add` over stdin/stdout until stdin ends
import { defineTool } from '@agent/core';
import { serveMcpStdio } from '@agent/tools/mcp';
import { z } from 'zod';

/** A tool that costs next to nothing, so what is measured around it is the transport. */
export const addTool = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  output: z.object({ sum: z.number() }),
  execute: ({ a, b }) => ({ sum: a + b }),
});

if (process.argv[1] === import.meta.filename) {
  const server = await serveMcpStdio([addTool], { name: 'bench-stdio', version: '1.0.0' });
  // The client ends our stdin to stop us; close at once rather than wait for its SIGTERM.
  process.stdin.once('end', () => void server.close());
}
