import { appendFileSync } from 'node:fs';
import { type AnyTool, defineTool } from '@agent/core';
import { z } from 'zod';

// Tools the fixture MCP server publishes through OUR server code. `MCP_FIXTURE_LOG`, when set, is
// a file the tools append events to, so a test can see what happened inside the server process.

function record(event: string): void {
  const file = process.env.MCP_FIXTURE_LOG;
  if (file) appendFileSync(file, `${event}\n`);
}

export const add = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

export const echoBig = defineTool({
  name: 'echo_big',
  description: 'Returns a text of exactly `bytes` bytes (the letter x repeated).',
  input: z.object({ bytes: z.number().int().min(0).max(5_000_000) }),
  execute: ({ bytes }) => 'x'.repeat(bytes),
});

export const fail = defineTool({
  name: 'fail',
  description: 'Always throws.',
  input: z.object({}),
  execute: () => {
    throw new Error('boom: the fixture tool always fails');
  },
});

export const slow = defineTool({
  name: 'slow',
  description: 'Waits `ms` milliseconds, or until the call is cancelled.',
  input: z.object({ ms: z.number().int().min(0), tag: z.string().default('slow') }),
  execute: ({ ms, tag }, context) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => resolve(`slept ${ms} ms`), ms);
      context.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        record(`cancelled ${tag}`);
        reject(new Error('cancelled'));
      });
    }),
});

export const pid = defineTool({
  name: 'pid',
  description: 'Returns the process id of the server.',
  input: z.object({}),
  output: z.object({ pid: z.number() }),
  execute: () => ({ pid: process.pid }),
});

export const whoami = defineTool({
  name: 'whoami',
  description: 'Returns the execution context the server gave the tool.',
  input: z.object({}),
  execute: (_input, context) => ({
    runId: context.runId,
    agent: context.agent,
    tenant: context.tenant ?? null,
    toolCallId: context.toolCallId,
  }),
});

/** Every fixture tool. */
export const fixtureTools: AnyTool[] = [add, echoBig, fail, slow, pid, whoami];
