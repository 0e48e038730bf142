import { type AgentEvent, type EventStore, isTerminalEvent } from '@agent/core';
import type { LiveSubscription } from '@agent/observability';

/** Events read from the store per query. */
const PAGE_SIZE = 500;

/** What {@link replayThenLive} and {@link replayStored} read from. */
export interface ReplaySources {
  store: EventStore;
  /** Resolves once every event published so far is in the store (never rejects). */
  flush: () => Promise<void>;
  /** Applied to live events, so they read like stored ones (the store sink redacts). */
  redact: (event: AgentEvent) => AgentEvent;
}

/** The stored events of a run with `seq > afterSeq`, page by page, until the terminal event. */
export async function* replayStored(
  sources: ReplaySources,
  runId: string,
  afterSeq: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<AgentEvent> {
  let fromSeq = afterSeq + 1;
  while (signal?.aborted !== true) {
    const page = await sources.store.readRun(runId, { fromSeq, limit: PAGE_SIZE });
    for (const event of page) {
      if (signal?.aborted) return;
      yield event;
      if (isTerminalEvent(event)) return;
      fromSeq = event.seq + 1;
    }
    if (page.length < PAGE_SIZE) return;
  }
}

/**
 * A live run's events with `seq > afterSeq`: first the stored ones (after a flush, so everything
 * published before the replay started is there), then the live subscription, which was opened
 * before the replay so nothing falls between the two. Live events at or below the last seq sent
 * are skipped; a gap in the live feed (a slow reader's dropped events) is filled from the store.
 * Ends after the terminal event, or when `signal` aborts.
 */
export async function* replayThenLive(
  sources: ReplaySources,
  runId: string,
  afterSeq: number,
  live: LiveSubscription,
  signal: AbortSignal | undefined,
): AsyncGenerator<AgentEvent> {
  let last = afterSeq;
  try {
    await sources.flush();
    for await (const event of replayStored(sources, runId, last, signal)) {
      yield event;
      last = event.seq;
      if (isTerminalEvent(event)) return;
    }
    for await (const event of live) {
      if (event.seq <= last) continue;
      if (event.seq > last + 1) {
        for (const missing of await readGap(sources, runId, last, event.seq)) {
          yield missing;
          last = missing.seq;
        }
      }
      yield sources.redact(event);
      last = event.seq;
      if (isTerminalEvent(event)) return;
    }
    if (signal?.aborted) return;
    // The live feed ended before the terminal event (LiveEvents was closed): the store has the rest.
    await sources.flush();
    for await (const event of replayStored(sources, runId, last, signal)) yield event;
  } finally {
    live.close();
  }
}

async function readGap(
  sources: ReplaySources,
  runId: string,
  last: number,
  next: number,
): Promise<AgentEvent[]> {
  await sources.flush();
  const events = await sources.store.readRun(runId, { fromSeq: last + 1, limit: next - last - 1 });
  return events.filter((event) => event.seq > last && event.seq < next);
}
