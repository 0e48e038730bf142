import { defineTool } from '@agent/core';
import { testToolContext } from '@agent/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { type McpHttpServerHandle, type McpToolSet, mcpTools, serveMcpHttp } from '../src/mcp/index.js';

/**
 * A long-lived MCP client and server must not grow the heap. Over streamable HTTP (a fresh
 * server-side session per call, as the stateless server makes), the heap after GC is sampled every
 * 500 calls from call 1,000 (JIT code and connection pools have settled by then) to 5,000, and the
 * least-squares slope must stay under 2.5 KB per call. The samples swing by a few MiB (more under
 * coverage), with no trend; with `AbortSignal.any` per call the heap grew ~6 KB per call and this
 * test failed.
 */
const CALLS = 5_000;
const WARM_UP = 1_000;
const SAMPLE_EVERY = 500;
const MAX_BYTES_PER_CALL = 2_500;

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
  const samples: { call: number; heap: number }[] = [];
  let answered = 0;
  for (let call = 0; call <= CALLS; call++) {
    if (call >= WARM_UP && call % SAMPLE_EVERY === 0) samples.push({ call, heap: await heapAfterGc() });
    if (call === CALLS) break;
    // A fresh signal per call (testToolContext makes one each time), as the agent loop gives
    // each tool call its own.
    const context = testToolContext({ runId: 'memory', agent: 'memory', toolCallId: `c${call}` });
    const output = (await tool.execute({ text }, context)) as { length: number };
    // Counted, not asserted per call: each `expect` is state the test runner keeps.
    if (output.length === 1_000) answered += 1;
  }
  expect(answered).toBe(CALLS);
  const perCall = slope(samples);

  expect(perCall, `heap grew ${Math.round(perCall)} bytes per call`).toBeLessThan(MAX_BYTES_PER_CALL);
}, 120_000);

/** Least-squares slope of heap over calls: bytes per call. */
function slope(points: readonly { call: number; heap: number }[]): number {
  const n = points.length;
  const meanX = points.reduce((sum, point) => sum + point.call, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.heap, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const { call, heap } of points) {
    covariance += (call - meanX) * (heap - meanY);
    variance += (call - meanX) ** 2;
  }
  return covariance / variance;
}
