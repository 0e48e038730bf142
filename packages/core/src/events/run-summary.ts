import { ValidationError } from '../errors/errors.js';
import type { Usage } from '../model/language-model.js';
import { type AgentEvent, isTerminalEvent } from './agent-event.js';
import type { RunSummary } from './event-store.js';

/** The position a `listRuns` cursor points at: the last run of the previous page. */
export interface RunCursor {
  startedAt: number;
  runId: string;
}

/**
 * The run summary after one more stored event: `run.started` sets start, agent and tenant,
 * `model.responded` adds usage, the first terminal event sets status, end, error code and the
 * final usage total. Pure,
 * so every `EventStore` implementation derives summaries the same way.
 */
export function applyEventToSummary(summary: RunSummary | undefined, event: AgentEvent): RunSummary {
  const next: RunSummary = summary
    ? { ...summary, usage: { ...summary.usage }, eventCount: summary.eventCount + 1 }
    : {
        runId: event.runId,
        agent: event.agent,
        ...(event.tenant !== undefined ? { tenant: event.tenant } : {}),
        status: 'running',
        // A run whose `run.started` was lost still gets a start time: that of its first event.
        startedAt: event.timestamp,
        usage: { inputTokens: 0, outputTokens: 0 },
        eventCount: 1,
      };
  if (event.type === 'run.started') {
    next.startedAt = event.timestamp;
    next.agent = event.agent;
    if (event.tenant !== undefined) next.tenant = event.tenant;
  } else if (event.type === 'model.responded') {
    addUsage(next.usage, event.usage);
  } else if (isTerminalEvent(event) && next.status === 'running') {
    // Only the first terminal event counts: a late duplicate must not rewrite the final state.
    next.status =
      event.type === 'run.completed' ? 'completed' : event.type === 'run.failed' ? 'failed' : 'cancelled';
    next.endedAt = event.timestamp;
    // The terminal event carries the run's own total, which stays right even if a
    // model.responded event was dropped on the way.
    next.usage = { ...event.usage };
    if (event.type === 'run.failed') next.errorCode = event.error.code;
  }
  return next;
}

/** Orders runs newest first by `startedAt`, then by `runId` (descending) so the order is total. */
export function compareRunsNewestFirst(a: RunCursor, b: RunCursor): number {
  return b.startedAt - a.startedAt || (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0);
}

/** Encodes a `listRuns` cursor: base64url of `{ startedAt, runId }` JSON, opaque to callers. */
export function encodeRunCursor(position: RunCursor): string {
  const json = JSON.stringify({ startedAt: position.startedAt, runId: position.runId });
  let binary = '';
  for (const byte of new TextEncoder().encode(json)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes a cursor made by {@link encodeRunCursor}; anything else is a `ValidationError`. */
export function decodeRunCursor(cursor: string): RunCursor {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw invalidCursor(cursor, error);
  }
  const candidate = parsed as Partial<RunCursor> | null;
  if (
    typeof candidate?.startedAt !== 'number' ||
    !Number.isFinite(candidate.startedAt) ||
    typeof candidate.runId !== 'string'
  ) {
    throw invalidCursor(cursor);
  }
  return { startedAt: candidate.startedAt, runId: candidate.runId };
}

function addUsage(total: Usage, usage: Usage): void {
  total.inputTokens += usage.inputTokens;
  total.outputTokens += usage.outputTokens;
  if (usage.cacheReadTokens !== undefined)
    total.cacheReadTokens = (total.cacheReadTokens ?? 0) + usage.cacheReadTokens;
  if (usage.cacheWriteTokens !== undefined)
    total.cacheWriteTokens = (total.cacheWriteTokens ?? 0) + usage.cacheWriteTokens;
}

function invalidCursor(cursor: string, cause?: unknown): ValidationError {
  return new ValidationError(
    `Cursor "${cursor.slice(0, 64)}" was not made by listRuns. Pass a nextCursor unchanged, or omit the cursor to start from the newest run.`,
    cause === undefined ? {} : { cause },
  );
}
