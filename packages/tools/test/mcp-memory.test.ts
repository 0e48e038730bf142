import { defineTool } from '@agent/core';
import { testToolContext } from '@agent/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { type McpHttpServerHandle, type McpToolSet, mcpTools, serveMcpHttp } from '../src/mcp/index.js';

/**
 * A long-lived MCP client and server must not grow the heap: over streamable HTTP (a fresh
 * server-side session per call, as the stateless server makes), the heap after GC after 3,000
 * calls stays within 4 MiB of the heap after the first 1,000 (by then JIT code and connection
 * pools have settled: the heap is flat from there). With `AbortSignal.any` per call it grew
 * ~6 KB per call, 12 MiB over the measured 2,000, and this test failed.
 */
const CALLS = 3_000;
const WARM_UP = 1_000;
const MAX_GROWTH_BYTES = 4 * 1024 * 1024;

const echo = defineTool({
  name: 'echo',
  description: 'Echoes a text.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => ({ text, length: text.length }),
});

let server: McpHttpServerHandle;
let client: McpToolSet;
beforeAll(async () => {
  server = await serveMcpHttp([echo], { name: 'memory-test', version: '1.0.0' });
  client = await mcpTools({ transport: 'http', url: server.url });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

/** Heap after full collections; weak references (signals, sockets) are cleared between turns. */
async function heapAfterGc(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc (vitest.config.ts sets it)');
  for (let round = 0; round < 3; round++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

it(`keeps the heap flat over ${CALLS} MCP calls`, async () => {
  const tool = client.tools[0];
  if (tool === undefined) throw new Error('no tool listed');
  const text = 'x'.repeat(1_000);
  let baseline = 0;
  let answered = 0;
  for (let call = 0; call < CALLS; call++) {
    if (call === WARM_UP) baseline = await heapAfterGc();
    // A fresh signal per call (testToolContext makes one each time), as the agent loop gives
    // each tool call its own.
    const context = testToolContext({ runId: 'memory', agent: 'memory', toolCallId: `c${call}` });
    const output = (await tool.execute({ text }, context)) as { length: number };
    // Counted, not asserted per call: each `expect` is state the test runner keeps.
    if (output.length === 1_000) answered += 1;
  }
  expect(answered).toBe(CALLS);
  const growth = (await heapAfterGc()) - baseline;

  expect(growth, `heap grew ${(growth / 1024 / 1024).toFixed(2)} MiB`).toBeLessThan(MAX_GROWTH_BYTES);
}, 120_000);
