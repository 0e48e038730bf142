import {
  type AgentError,
  type AgentEvent,
  type EventStore,
  emptyUsage,
  isTerminalEvent,
  type RunResult,
  type RunSummary,
  type TerminalEvent,
  toAgentError,
} from '@agent/core';
import type { RunRecord } from '../contract.js';

/** How a run ended, as its promise said. */
export type RunOutcome = { ok: true; result: RunResult<unknown> } | { ok: false; error: AgentError };

/** The terminal event of a stored run, or undefined when the store has none (yet). */
export async function readTerminalEvent(
  store: EventStore,
  summary: RunSummary,
): Promise<TerminalEvent | undefined> {
  // The terminal event is the last one: its seq is the count of stored plus skipped events, minus one.
  const lastSeq = summary.eventCount + (summary.missingEvents ?? 0) - 1;
  return findTerminal(await store.readRun(summary.runId, { fromSeq: Math.max(0, lastSeq) }));
}

function findTerminal(events: readonly AgentEvent[]): TerminalEvent | undefined {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index] as AgentEvent;
    if (isTerminalEvent(event)) return event;
  }
  return undefined;
}

/** The record of a stored run: its summary plus the output or error of its terminal event. */
export async function recordFromStore(store: EventStore, summary: RunSummary): Promise<RunRecord> {
  if (summary.status === 'running') return { ...summary };
  const terminal = await readTerminalEvent(store, summary);
  return withTerminal({ ...summary }, terminal);
}

/** Adds the terminal event's output or error to a record. */
export function withTerminal(record: RunRecord, terminal: TerminalEvent | undefined): RunRecord {
  if (terminal === undefined) return record;
  if (terminal.type === 'run.completed') return { ...record, output: terminal.output };
  if (terminal.type === 'run.failed') {
    return { ...record, error: { code: terminal.error.code, message: terminal.error.message } };
  }
  return { ...record, error: { code: 'ABORTED', message: terminal.reason } };
}

/** A record built from the run's own outcome, for when the store does not have its end. */
export function recordFromOutcome(
  base: { runId: string; agent: string; tenant: string | undefined; startedAt: number; eventCount?: number },
  outcome: RunOutcome,
  endedAt: number,
): RunRecord {
  const common = {
    runId: base.runId,
    agent: base.agent,
    ...(base.tenant !== undefined ? { tenant: base.tenant } : {}),
    startedAt: base.startedAt,
    endedAt,
    eventCount: base.eventCount ?? 0,
  };
  if (outcome.ok) {
    return { ...common, status: 'completed', usage: outcome.result.usage, output: outcome.result.output };
  }
  const error = toAgentError(outcome.error);
  const cancelled = error.code === 'ABORTED';
  return {
    ...common,
    status: cancelled ? 'cancelled' : 'failed',
    usage: emptyUsage(),
    ...(cancelled ? {} : { errorCode: error.code }),
    error: { code: error.code, message: error.message },
  };
}
