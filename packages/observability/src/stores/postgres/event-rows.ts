import { type AgentEvent, ValidationError } from '@agent/core';

/** An event checked and serialised for the `events` table, before any transaction starts. */
export interface PreparedEvent {
  event: AgentEvent;
  /** The event without the fields kept in their own columns, as JSON for the `body` column. */
  body: string;
}

/** A row of the `events` table as `readRun` selects it. */
export interface EventRow {
  run_id: string;
  /** bigint arrives as text from pg. */
  seq: string;
  type: string;
  timestamp: number;
  body: Record<string, unknown>;
}

// A NUL character or a lone UTF-16 surrogate, as JSON.stringify escapes them (preceded by an
// even number of backslashes, so an escaped backslash followed by "u0000" text does not match).
// PostgreSQL text and jsonb cannot hold either.
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

/**
 * Checks a batch and serialises each event, throwing a `ValidationError` for the first bad one so
 * the batch is refused whole. Beyond the runId and seq checks every store makes, this also checks
 * the fields PostgreSQL keeps in typed columns, and that the event is JSON PostgreSQL can store:
 * otherwise one bad event would fail the shared transaction and with it other callers' appends.
 */
export function prepareEvents(events: readonly AgentEvent[]): PreparedEvent[] {
  return events.map((event) => {
    if (
      typeof event.runId !== 'string' ||
      event.runId === '' ||
      !Number.isSafeInteger(event.seq) ||
      event.seq < 0
    ) {
      throw new ValidationError(
        `Event "${event.type}" has an invalid runId or seq (runId ${JSON.stringify(event.runId)}, seq ${String(event.seq)}); both come from the runtime, which sets a non-empty runId and a seq >= 0.`,
      );
    }
    const problem = fieldProblem(event);
    if (problem) throw invalidEvent(event, problem);
    const { runId: _runId, seq: _seq, type: _type, timestamp: _timestamp, ...rest } = event;
    let body: string;
    try {
      body = JSON.stringify(rest);
    } catch (error) {
      throw invalidEvent(event, `it is not serialisable as JSON (${(error as Error).message})`, error);
    }
    if (UNSTORABLE_ESCAPE.test(body) || UNSTORABLE_ESCAPE.test(JSON.stringify(event.runId))) {
      throw invalidEvent(
        event,
        'it contains a NUL character (U+0000) or an unpaired surrogate, which PostgreSQL cannot store; remove them from the text',
      );
    }
    return { event, body };
  });
}

/** Rebuilds an event from its row: the columns plus the JSON body. */
export function eventFromRow(row: EventRow): AgentEvent {
  return {
    runId: row.run_id,
    seq: Number(row.seq),
    type: row.type,
    timestamp: row.timestamp,
    ...row.body,
  } as AgentEvent;
}

function fieldProblem(event: AgentEvent): string | undefined {
  // Typed as a union, but events can come from JSON or other processes.
  if (typeof event.type !== 'string' || (event.type as string) === '')
    return 'its type is not a non-empty string';
  if (typeof event.timestamp !== 'number') return 'its timestamp is not a number of milliseconds';
  if (typeof event.agent !== 'string') return 'its agent is not a string';
  if (event.tenant !== undefined && typeof event.tenant !== 'string')
    return 'its tenant is neither a string nor undefined';
  return undefined;
}

function invalidEvent(event: AgentEvent, problem: string, cause?: unknown): ValidationError {
  return new ValidationError(
    `Event ${JSON.stringify(event.type)} (run ${JSON.stringify(event.runId)}, seq ${event.seq}) cannot be stored: ${problem}. Events come from the runtime; if you build them yourself, follow the AgentEvent type.`,
    cause === undefined ? {} : { cause },
  );
}
