import { type AgentEvent, isTerminalEvent, type RunStatus } from '@agent/core';
import type { ServerRuntime } from '../../contract.js';
import { createSseStream } from '../sse.js';
import { type RouteDeps, runNotFound } from './route-context.js';

const STATUS_OF_TERMINAL: Readonly<Record<string, RunStatus>> = {
  'run.completed': 'completed',
  'run.failed': 'failed',
  'run.cancelled': 'cancelled',
};

/**
 * The SSE body of one run's events with `seq > afterSeq`: `id: <seq>`, `event: <type>`,
 * `data: <event JSON>` each, then `event: end` with `{ runId, status }` once the run is over.
 * Throws the run's 404 before any byte is sent when the run does not exist for `tenant`.
 *
 * The stream follows the client, never the other way round: a disconnect stops the stream and
 * leaves the run going (it is recorded and can be fetched or streamed again).
 */
export async function runEventStream(
  deps: RouteDeps,
  runId: string,
  tenant: string | undefined,
  afterSeq: number | undefined,
  connection: StreamConnection,
): Promise<ReadableStream<Uint8Array>> {
  const { runtime } = deps;
  const feedSignal = new AbortController();
  const events = await runtime.runs.events(runId, tenant, {
    ...(afterSeq !== undefined ? { afterSeq } : {}),
    signal: feedSignal.signal,
  });
  if (events === undefined) throw runNotFound();
  return createSseStream(
    async (sink) => {
      sink.signal.addEventListener('abort', () => feedSignal.abort(), { once: true });
      let last = afterSeq ?? -1;
      const send = async (event: AgentEvent): Promise<boolean> => {
        if (!(await sink.ready())) return false;
        last = event.seq;
        return sink.send({ id: event.seq, event: event.type, data: JSON.stringify(event) });
      };
      let terminal: AgentEvent | undefined;
      for await (const event of events) {
        // The manager stitches stored and live events without overlap; this makes sure of it.
        if (event.seq <= last) continue;
        // A live feed that dropped events for a slow reader: fill the hole from the store.
        if (event.seq > last + 1) {
          for (const missed of await runtime.store.readRun(runId, {
            fromSeq: last + 1,
            limit: event.seq - last - 1,
          })) {
            if (missed.seq > last && missed.seq < event.seq && !(await send(missed))) return;
          }
        }
        if (!(await send(event))) return;
        if (isTerminalEvent(event)) {
          terminal = event;
          break;
        }
      }
      if (sink.signal.aborted) return;
      const status = terminal
        ? STATUS_OF_TERMINAL[terminal.type]
        : ((await runtime.runs.get(runId, tenant))?.status ?? 'running');
      sink.send({ event: 'end', data: JSON.stringify({ runId, status }) });
    },
    sseOptions(deps, runtime, connection),
  );
}

/** Live events of `tenant`'s runs (every tenant's when undefined), until the client leaves or the server closes. */
export function liveEventStream(
  deps: RouteDeps,
  tenant: string | undefined,
  connection: StreamConnection,
): ReadableStream<Uint8Array> {
  const { runtime } = deps;
  return createSseStream(
    async (sink) => {
      for await (const event of runtime.runs.liveEvents(tenant, sink.signal)) {
        // While this client catches up, the live feed queues (bounded, dropping its oldest) for it.
        if (!(await sink.ready()) || !sink.send({ event: event.type, data: JSON.stringify(event) })) return;
      }
      // The fan-out closed under us: the server is shutting down.
      if (!sink.signal.aborted)
        sink.send({ event: 'end', data: JSON.stringify({ reason: 'server-closing' }) });
    },
    sseOptions(deps, runtime, connection),
  );
}

/** The client's connection, where the server can cut it (on Node: `@hono/node-server`'s bindings). */
export interface StreamConnection {
  /** The request's signal: aborted when the client disconnects. */
  signal: AbortSignal;
  /** Closes the connection at once, e.g. `c.env.outgoing.destroy()`; absent in `app.request`. */
  destroy?: () => void;
}

function sseOptions(deps: RouteDeps, runtime: ServerRuntime, connection: StreamConnection) {
  return {
    ...deps.sse,
    signal: connection.signal,
    onDropped: (queuedEvents: number) => {
      runtime.metrics?.recordDroppedEvents('sse', queuedEvents);
      runtime.logger.warn('SSE client too slow: dropped', { queuedEvents });
      // A client that stopped reading would not see the stream's end for a long while.
      connection.destroy?.();
    },
    onError: (error: unknown) => runtime.logger.error('SSE stream failed', { error }),
  };
}
