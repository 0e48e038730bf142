import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentEvent } from '@agent/core';
import type { CommandContext } from '../context.js';
import { EXIT_FAILURE, EXIT_SUCCESS } from '../exit-codes.js';
import { problemDetail, type ServerTarget, serverFetch } from '../server-client.js';
import { parseSse } from '../sse-client.js';
import type { Printer } from './run-agent.js';

// A dropped connection is retried this many times in a row (with Last-Event-ID, so nothing is
// missed or repeated) before the tail gives up.
const MAX_RECONNECTS = 5;

/**
 * Tails a server: one run's SSE stream (`/v1/runs/{id}/events`, resumed after a disconnect) until
 * its `end` message, or the live stream of every run (`/v1/events`) until the server ends it or the
 * signal aborts.
 */
export async function tailServer(
  target: ServerTarget,
  runId: string | undefined,
  printer: (runId: string | undefined) => Printer,
  signal: AbortSignal,
  context: CommandContext,
): Promise<number> {
  const print = printer(runId);
  const path = runId === undefined ? 'v1/events' : `v1/runs/${encodeURIComponent(runId)}/events`;
  let lastSeq: number | undefined;
  let connected = false;
  for (let failures = 0; !signal.aborted; ) {
    let response: Response | undefined;
    try {
      response = await serverFetch(target, path, {
        accept: 'text/event-stream',
        signal,
        ...(lastSeq !== undefined && runId !== undefined
          ? { headers: { 'last-event-id': String(lastSeq) } }
          : {}),
      });
    } catch (error) {
      if (signal.aborted) break;
      // Never reachable: say so at once. Reachable before: it may be restarting, so retry.
      if (!connected) throw error;
    }
    if (response !== undefined) {
      connected = true;
      if (response.status === 404 && runId !== undefined) {
        context.io.stderr.write(`${context.err.red('error:')} no run "${runId}" on ${target.base.origin}\n`);
        return EXIT_FAILURE;
      }
      if (!response.ok || response.body === null) {
        throw new Error(`the server answered ${response.status}: ${problemDetail(await response.text())}`);
      }
      try {
        for await (const message of parseSse(response.body)) {
          failures = 0;
          if (message.event === 'end') {
            if (runId === undefined) return EXIT_SUCCESS;
            const { status } = JSON.parse(message.data) as { status: string };
            return status === 'completed' ? EXIT_SUCCESS : EXIT_FAILURE;
          }
          if (message.event === 'error') throw new Error(`the server reported: ${message.data}`);
          const event = JSON.parse(message.data) as AgentEvent;
          print(event);
          lastSeq = event.seq;
        }
      } catch (error) {
        if (signal.aborted) break;
        if (!(error instanceof TypeError) && !isConnectionError(error)) throw error;
      }
    }
    // The stream ended without `end`, or a reconnect failed: the connection dropped. (The live
    // stream has no replay; one run's stream resumes after `lastSeq`.)
    failures += 1;
    if (failures > MAX_RECONNECTS) {
      throw new Error(
        `lost the connection to ${target.base.origin} ${MAX_RECONNECTS} times in a row; giving up`,
      );
    }
    context.io.stderr.write(`${context.err.yellow('warning:')} connection lost; reconnecting...\n`);
    await sleep(100 * 2 ** failures, undefined, { signal }).catch(() => undefined);
  }
  return EXIT_SUCCESS;
}

function isConnectionError(error: unknown): boolean {
  const code =
    (error as { code?: string; cause?: { code?: string } }).code ??
    (error as { cause?: { code?: string } }).cause?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'ABORT_ERR';
}
