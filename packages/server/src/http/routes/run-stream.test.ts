import type { AgentEvent } from '@agent/core';
import { describe, expect, it, vi } from 'vitest';
import type { ServerRuntime } from '../../contract.js';
import { HttpProblem } from '../http-problem.js';
import type { RouteDeps } from './route-context.js';
import { liveEventStream, runEventStream } from './run-stream.js';

const RUN = 'run-1';

function event(seq: number, type: AgentEvent['type'] = 'step.started'): AgentEvent {
  return {
    runId: RUN,
    seq,
    timestamp: 1000 + seq,
    agent: 'assistant',
    tenant: 'acme',
    type,
    step: seq,
  } as AgentEvent;
}

/** Just enough of a runtime for the streams: a scripted feed and a store holding `stored`. */
function fakeDeps(
  feed: AgentEvent[] | (() => AsyncIterable<AgentEvent>) | undefined,
  stored: AgentEvent[] = [],
) {
  const logger = { warn: vi.fn(), error: vi.fn() };
  const readRun = vi.fn(async (_runId: string, options: { fromSeq?: number; limit?: number } = {}) =>
    stored.filter((entry) => entry.seq >= (options.fromSeq ?? 0)).slice(0, options.limit),
  );
  const iterable = (): AsyncIterable<AgentEvent> =>
    typeof feed === 'function'
      ? feed()
      : (async function* () {
          yield* feed ?? [];
        })();
  const runtime = {
    logger,
    metrics: undefined,
    store: { readRun },
    runs: {
      events: vi.fn(async () => (feed === undefined ? undefined : iterable())),
      get: vi.fn(async () => ({ status: 'running' })),
      liveEvents: vi.fn(() => iterable()),
    },
  } as unknown as ServerRuntime;
  const deps: RouteDeps = {
    runtime,
    protect: () => [],
    timeout: [],
    streaming: [],
    sse: { heartbeatMs: 60_000, maxBufferedBytes: 1024 * 1024, slowClientMs: 1000 },
  };
  return { deps, logger, readRun };
}

const connection = () => ({ signal: new AbortController().signal });

async function seqsOf(stream: ReadableStream<Uint8Array>): Promise<(number | string)[]> {
  const text = await new Response(stream).text();
  return [...text.matchAll(/^(id|event): (.*)$/gm)]
    .filter((match) => match[1] === 'id' || match[2] === 'end' || match[2] === 'error')
    .map((match) => (match[1] === 'id' ? Number(match[2]) : (match[2] as string)));
}

describe('runEventStream', () => {
  it('fills a hole in the live feed from the store', async () => {
    const all = [0, 1, 2, 3, 4].map((seq) => event(seq));
    const { deps, readRun } = fakeDeps(
      [all[0], all[1], all[4], event(5, 'run.completed')] as AgentEvent[],
      all,
    );

    const seqs = await seqsOf(await runEventStream(deps, RUN, 'acme', undefined, connection()));

    expect(seqs).toEqual([0, 1, 2, 3, 4, 5, 'end']);
    expect(readRun).toHaveBeenCalledWith(RUN, { fromSeq: 2, limit: 2 });
  });

  it('skips duplicates and what the store cannot fill', async () => {
    const { deps } = fakeDeps([event(0), event(0), event(3), event(2), event(4, 'run.failed')]);

    const seqs = await seqsOf(await runEventStream(deps, RUN, 'acme', undefined, connection()));

    expect(seqs).toEqual([0, 3, 4, 'end']);
  });

  it('ends with the status from the run when the feed ends without a terminal event', async () => {
    const { deps } = fakeDeps([event(3)]);

    const text = await new Response(await runEventStream(deps, RUN, 'acme', 2, connection())).text();

    expect(text).toContain('id: 3');
    expect(text).toContain(`data: ${JSON.stringify({ runId: RUN, status: 'running' })}`);
  });

  it('throws the run 404 before streaming when the run is not there', async () => {
    const { deps } = fakeDeps(undefined);

    await expect(runEventStream(deps, RUN, 'acme', undefined, connection())).rejects.toBeInstanceOf(
      HttpProblem,
    );
  });

  it('logs a failing feed and tells the client with an error event', async () => {
    const { deps, logger } = fakeDeps(async function* () {
      yield event(0);
      throw new Error('store exploded');
    });

    const seqs = await seqsOf(await runEventStream(deps, RUN, 'acme', undefined, connection()));

    expect(seqs).toEqual([0, 'error']);
    expect(logger.error).toHaveBeenCalledWith(
      'SSE stream failed',
      expect.objectContaining({ error: expect.any(Error) }),
    );
  });

  it('cuts the connection of a client it drops', async () => {
    const { deps, logger } = fakeDeps([event(0, 'run.started'), event(1)]);
    deps.sse.maxBufferedBytes = 10;
    deps.sse.slowClientMs = 20;
    const destroy = vi.fn();

    const stream = await runEventStream(deps, RUN, 'acme', undefined, {
      signal: new AbortController().signal,
      destroy,
    });
    await vi.waitFor(() => expect(destroy).toHaveBeenCalled());

    expect(logger.warn).toHaveBeenCalledWith('SSE client too slow: dropped', expect.any(Object));
    await stream.cancel();
  });
});

describe('liveEventStream', () => {
  it('sends every live event without ids and ends when the feed closes', async () => {
    const { deps } = fakeDeps([event(0, 'run.started'), event(1)]);

    const text = await new Response(liveEventStream(deps, 'acme', connection())).text();

    expect(text).not.toMatch(/^id:/m);
    expect(text).toContain('event: run.started');
    expect(text).toContain(`event: end\ndata: ${JSON.stringify({ reason: 'server-closing' })}`);
  });
});
