import { dirname } from 'node:path';
import type { AgentEvent } from '@agent/core';
import { loadCliConfig, resolveConfigPath } from '../config.js';
import type { CommandContext } from '../context.js';
import { openEventStore, storeLocation } from '../event-store.js';
import { EXIT_FAILURE, EXIT_SUCCESS } from '../exit-codes.js';
import { problemDetail, type ServerTarget, serverFetch, serverTarget } from '../server-client.js';
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
      ? await fetchEvents(runId, serverTarget(options.url, options.apiKey ?? io.env.AGENT_API_KEY))
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

async function fetchEvents(runId: string, target: ServerTarget): Promise<AgentEvent[] | undefined> {
  const events: AgentEvent[] = [];
  let after: number | undefined;
  for (;;) {
    const query = new URLSearchParams({
      limit: String(PAGE),
      ...(after !== undefined ? { after: String(after) } : {}),
    });
    const response = await serverFetch(target, `v1/runs/${encodeURIComponent(runId)}/events?${query}`, {
      accept: 'application/json',
    });
    if (response.status === 404) return undefined;
    if (!response.ok) {
      throw new Error(
        `the server at ${target.base.origin} answered ${response.status}: ${problemDetail(await response.text())}`,
      );
    }
    const page = (await response.json()) as AgentEvent[];
    events.push(...page);
    const last = page.at(-1);
    if (page.length < PAGE || last === undefined) return events;
    after = last.seq;
  }
}
