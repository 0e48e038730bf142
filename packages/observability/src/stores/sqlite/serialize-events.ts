import { type AgentEvent, ValidationError } from '@agent/core';

/** An event checked and turned into the columns of its `events` row. */
export interface SerializedEvent {
  event: AgentEvent;
  /** The event as JSON, taken when `append` was called, so later changes by the caller do not leak in. */
  body: string;
}

/**
 * Checks every event of one append and serializes it, throwing a `ValidationError` for the first
 * bad one. Done before an append joins a batch, so a bad event rejects its own append only and
 * never fails the transaction the other appends share.
 */
export function serializeEvents(events: readonly AgentEvent[]): SerializedEvent[] {
  if (!Array.isArray(events)) {
    throw new ValidationError(
      `append takes an array of events, got ${typeof events}. Wrap a single event: append([event]).`,
    );
  }
  return events.map((event) => {
    checkEvent(event);
    let body: string;
    try {
      body = JSON.stringify(event);
    } catch (error) {
      throw new ValidationError(
        `Event "${event.type}" (run ${event.runId}, seq ${event.seq}) cannot be stored as JSON: ${(error as Error).message}. Keep payloads to JSON values (no BigInt, no cycles).`,
        { cause: error },
      );
    }
    return { event, body };
  });
}

function checkEvent(event: AgentEvent): void {
  if (
    typeof event?.runId !== 'string' ||
    event.runId === '' ||
    !Number.isSafeInteger(event.seq) ||
    event.seq < 0
  ) {
    throw new ValidationError(
      `Event "${String(event?.type)}" has an invalid runId or seq (runId ${JSON.stringify(event?.runId)}, seq ${String(event?.seq)}); both come from the runtime, which sets a non-empty runId and a seq >= 0.`,
    );
  }
  // The columns below are NOT NULL: a missing one would fail the whole shared transaction later.
  if (
    typeof event.type !== 'string' ||
    typeof event.agent !== 'string' ||
    !Number.isFinite(event.timestamp)
  ) {
    throw new ValidationError(
      `Event of run ${event.runId} seq ${event.seq} needs a string type and agent and a finite timestamp (got type ${JSON.stringify(event.type)}, agent ${JSON.stringify(event.agent)}, timestamp ${String(event.timestamp)}). Emit events through the runtime, which sets them.`,
    );
  }
  // These become bound SQL parameters too, and the driver cannot bind every JS value (a boolean
  // aborts the process), so only strings get through.
  if (event.tenant !== undefined && typeof event.tenant !== 'string') {
    throw new ValidationError(
      `Event "${event.type}" of run ${event.runId} has tenant ${JSON.stringify(event.tenant)}; a tenant is a string, or leave it out.`,
    );
  }
  if (event.type === 'run.failed' && typeof event.error?.code !== 'string') {
    throw new ValidationError(
      `Event "run.failed" of run ${event.runId} needs error.code as a string (got ${JSON.stringify(event.error?.code)}); pass the AgentError's toJSON().`,
    );
  }
}
