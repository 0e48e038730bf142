import { dirname } from 'node:path';
import type { AgentEvent } from '@agent/core';
import { loadCliConfig, resolveConfigPath } from '../config.js';
import { type CommandContext, UsageError } from '../context.js';
import { openEventStore, storeLocation } from '../event-store.js';
import { EXIT_FAILURE, EXIT_SUCCESS } from '../exit-codes.js';
import { humanPrinter, jsonPrinter } from './run-agent.js';

/** Options of `agent events replay`. */
export interface ReplayOptions {
  config?: string;
  json?: boolean;
  url?: string;
  apiKey?: string;
}

const PAGE = 1000;

/**
 * `agent events replay <runId>`: prints a recorded run's events, from a server (`--url`) or from the
 * config's local event store. An unknown run is exit 1.
 */
export async function replayEvents(runId: string, options: ReplayOptions, context: CommandContext) {
  const { io, err } = context;
  const events =
    options.url !== undefined
      ? await fetchEvents(runId, options.url, options.apiKey ?? io.env.AGENT_API_KEY)
      : await readLocal(runId, options, context);
  if (events === undefined) {
    io.stderr.write(`${err.red('error:')} no run "${runId}" found\n`);
    return EXIT_FAILURE;
  }
  const printer = options.json ? jsonPrinter(context) : humanPrinter(context);
  for (const event of events) printer(event);
  return EXIT_SUCCESS;
}

async function readLocal(runId: string, options: ReplayOptions, context: CommandContext) {
  const path = resolveConfigPath(options.config, context.io);
  const { config } = await loadCliConfig(path, context.io);
  const store = await openEventStore(storeLocation(config, dirname(path)));
  try {
    const events = await store.readRun(runId);
    return events.length === 0 ? undefined : events;
  } finally {
    await store.close();
  }
}

async function fetchEvents(
  runId: string,
  url: string,
  apiKey: string | undefined,
): Promise<AgentEvent[] | undefined> {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new UsageError(`--url must be a URL like http://localhost:3000, got "${url}"`);
  }
  const events: AgentEvent[] = [];
  let after: number | undefined;
  for (;;) {
    const target = new URL(`v1/runs/${encodeURIComponent(runId)}/events`, withSlash(base));
    target.searchParams.set('limit', String(PAGE));
    if (after !== undefined) target.searchParams.set('after', String(after));
    let response: Response;
    try {
      response = await fetch(target, {
        headers: {
          accept: 'application/json',
          ...(apiKey !== undefined && apiKey !== '' ? { authorization: `Bearer ${apiKey}` } : {}),
        },
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`cannot reach the server at ${url}: ${cause?.code ?? cause?.message ?? String(error)}`);
    }
    if (response.status === 404) return undefined;
    if (!response.ok) {
      const body = await response.text();
      throw new Error(`the server at ${url} answered ${response.status}: ${problemDetail(body)}`);
    }
    const page = (await response.json()) as AgentEvent[];
    events.push(...page);
    const last = page.at(-1);
    if (page.length < PAGE || last === undefined) return events;
    after = last.seq;
  }
}

function withSlash(url: URL): URL {
  const copy = new URL(url);
  if (!copy.pathname.endsWith('/')) copy.pathname += '/';
  return copy;
}

function problemDetail(body: string): string {
  try {
    const problem = JSON.parse(body) as { detail?: string; title?: string };
    return problem.detail ?? problem.title ?? body;
  } catch {
    return body;
  }
}
