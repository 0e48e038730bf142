import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AgentEvent, type EventStore, isTerminalEvent } from '@agent/core';
import { loadCliConfig, resolveConfigPath } from '../config.js';
import { type CommandContext, UsageError } from '../context.js';
import { openEventStore, storeLocation } from '../event-store.js';
import { EXIT_FAILURE, EXIT_SUCCESS } from '../exit-codes.js';
import { serverTarget } from '../server-client.js';
import { tailServer } from './events-tail-server.js';
import { humanPrinter, jsonPrinter, type Printer } from './run-agent.js';

/** Options of `agent events tail`. */
export interface TailOptions {
  config?: string;
  json?: boolean;
  url?: string;
  apiKey?: string;
  /** Follow one run (to its end) instead of every new event. */
  run?: string;
  /** How often the local store is read, in ms. @default 500 */
  interval?: string;
}

// Runs followed at once when tailing a local store without --run: a bound on memory.
const MAX_TRACKED_RUNS = 1000;

/**
 * `agent events tail`: prints events as they are recorded, from a server (`--url`, live) or from
 * the config's local store (polled, so it also sees runs of another process such as `agent serve`).
 * With `--run` it follows one run and exits with its outcome (0 completed, 1 otherwise); without,
 * it follows every run until interrupted.
 */
export async function tailEvents(options: TailOptions, context: CommandContext): Promise<number> {
  const signal = context.io.signal ?? new AbortController().signal;
  const printer = chooser(options, context);
  if (options.url !== undefined) {
    const target = serverTarget(options.url, options.apiKey ?? context.io.env.AGENT_API_KEY);
    return tailServer(target, options.run, printer, signal, context);
  }
  const intervalMs = pollInterval(options.interval);
  const path = resolveConfigPath(options.config, context.io);
  const { config } = await loadCliConfig(path, context.io);
  const location = storeLocation(config, dirname(path));
  if (location.kind === 'memory') {
    throw new UsageError(
      'this config keeps events in memory (observability.events.store: memory), so no other process can read them.\n' +
        '  Tail a running server instead: agent events tail --url http://127.0.0.1:3000',
    );
  }
  const store = await openEventStore(location);
  try {
    return options.run !== undefined
      ? await followRun(store, options.run, printer(options.run), intervalMs, signal, context)
      : await followAll(store, printer, intervalMs, signal);
  } finally {
    await store.close();
  }
}

/** A printer per run: the run's own view with `--run`, one line per event otherwise. */
function chooser(options: TailOptions, context: CommandContext): (runId: string | undefined) => Printer {
  if (options.json) return () => jsonPrinter(context);
  if (options.run !== undefined) return () => humanPrinter(context);
  return () => linePrinter(context);
}

async function followRun(
  store: EventStore,
  runId: string,
  print: Printer,
  intervalMs: number,
  signal: AbortSignal,
  context: CommandContext,
): Promise<number> {
  if ((await store.getRun(runId)) === undefined) {
    context.io.stderr.write(`${context.err.red('error:')} no run "${runId}" in the event store\n`);
    return EXIT_FAILURE;
  }
  let nextSeq = 0;
  while (!signal.aborted) {
    for (const event of await store.readRun(runId, { fromSeq: nextSeq, limit: 1000 })) {
      print(event);
      nextSeq = event.seq + 1;
      if (isTerminalEvent(event)) return event.type === 'run.completed' ? EXIT_SUCCESS : EXIT_FAILURE;
    }
    await pause(intervalMs, signal);
  }
  return EXIT_SUCCESS;
}

async function followAll(
  store: EventStore,
  printer: (runId: string) => Printer,
  intervalMs: number,
  signal: AbortSignal,
): Promise<number> {
  // Runs already recorded start at their current end: tail shows what happens from now on.
  const nextSeq = new Map<string, number>();
  for (const run of (await store.listRuns({ limit: 100 })).runs) nextSeq.set(run.runId, run.eventCount);
  const printers = new Map<string, Printer>();
  while (!signal.aborted) {
    const { runs } = await store.listRuns({ limit: 100 });
    // Oldest first, so interleaved runs print in the order they started.
    for (const run of [...runs].reverse()) {
      const from = nextSeq.get(run.runId) ?? 0;
      if (run.eventCount <= from) continue;
      const print = printers.get(run.runId) ?? printer(run.runId);
      printers.set(run.runId, print);
      for (const event of await store.readRun(run.runId, { fromSeq: from, limit: 1000 })) {
        print(event);
        nextSeq.set(run.runId, event.seq + 1);
      }
    }
    forgetOldest(nextSeq, printers);
    await pause(intervalMs, signal);
  }
  return EXIT_SUCCESS;
}

function forgetOldest(nextSeq: Map<string, number>, printers: Map<string, Printer>): void {
  // Maps keep insertion order: the first keys are the runs seen longest ago.
  for (const runId of nextSeq.keys()) {
    if (nextSeq.size <= MAX_TRACKED_RUNS) return;
    nextSeq.delete(runId);
    printers.delete(runId);
  }
}

/** One line per event with its run: readable when many runs interleave. Text deltas are skipped. */
export function linePrinter({ io, out }: CommandContext): Printer {
  return (event: AgentEvent) => {
    if (event.type === 'model.text-delta') return;
    const time = new Date(event.timestamp).toISOString().slice(11, 23);
    io.stdout.write(
      `${out.dim(time)} ${out.cyan(event.runId.slice(0, 8))} ${event.agent} ${out.bold(event.type)}${detail(event)}\n`,
    );
  };
}

function detail(event: AgentEvent): string {
  switch (event.type) {
    case 'tool.called':
      return ` ${event.toolCall.name}`;
    case 'tool.succeeded':
      return ` ${event.toolName} ${event.durationMs}ms`;
    case 'tool.failed':
      return ` ${event.toolName}: ${event.error.message}`;
    case 'run.failed':
      return ` ${event.error.code}: ${event.error.message}`;
    case 'run.completed':
      return ` ${event.steps} step(s), ${event.usage.inputTokens}/${event.usage.outputTokens} tokens`;
    default:
      return '';
  }
}

function pollInterval(value: string | undefined): number {
  if (value === undefined) return 500;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 10 || ms > 60_000) {
    throw new UsageError(
      `--interval must be a whole number of milliseconds between 10 and 60000, got "${value}"`,
    );
  }
  return ms;
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // Aborted: the loop sees `signal.aborted` and stops.
  }
}
