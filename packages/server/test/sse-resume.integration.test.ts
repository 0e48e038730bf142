import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AgentEvent } from '@agent/core';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness, KEYS, runToEnd, startRun } from './support/harness.js';
import { type ParsedSseMessage, sseReader } from './support/sse.js';

// The real listening server: true streaming over TCP, disconnects as a socket close.

function listen(harness: Harness): Promise<{ server: ServerType; base: string; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: harness.app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      resolve({ server, base: `http://127.0.0.1:${info.port}`, port: info.port });
    });
    server.once('error', reject);
  });
}

const harness = await createHarness({ app: { sse: { maxBufferedBytes: 64 * 1024, slowClientMs: 300 } } });
const { server, base, port } = await listen(harness);
afterAll(async () => {
  (server as Server).closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await harness.close();
});

const auth = { Authorization: `Bearer ${KEYS.acme}` };

async function readUntil(reader: ReturnType<typeof sseReader>, type: string): Promise<ParsedSseMessage[]> {
  const seen: ParsedSseMessage[] = [];
  for (;;) {
    const message = await reader.nextEvent();
    if (message === undefined) throw new Error(`the stream ended before ${type}`);
    seen.push(message);
    if (message.event === type) return seen;
  }
}

async function readToEnd(reader: ReturnType<typeof sseReader>): Promise<ParsedSseMessage[]> {
  const seen: ParsedSseMessage[] = [];
  for (let message = await reader.nextEvent(); message !== undefined; message = await reader.nextEvent()) {
    seen.push(message);
  }
  return seen;
}

describe('resuming with Last-Event-ID over a real connection', () => {
  it.each([
    ['the last id received', 0],
    ['an earlier id (the gap comes from the store)', 1],
  ])('continues a live run from %s with exactly the rest', async (_name, stepBack) => {
    const gate = `resume-${stepBack}`;
    const runId = await startRun(harness, `resume [hold:${gate}]`);
    const disconnect = new AbortController();
    const first = await fetch(`${base}/v1/runs/${runId}/events`, {
      headers: auth,
      signal: disconnect.signal,
    });
    const firstReader = sseReader(first.body as ReadableStream<Uint8Array>);

    // Everything up to the model call, which holds until the gate opens: the run is live.
    const received = await readUntil(firstReader, 'model.requested');
    disconnect.abort();
    const kept = received.slice(0, received.length - stepBack);
    const lastId = kept.at(-1)?.id as string;
    const second = await fetch(`${base}/v1/runs/${runId}/events`, {
      headers: { ...auth, 'Last-Event-ID': lastId },
    });
    const secondReader = sseReader(second.body as ReadableStream<Uint8Array>);
    // The second stream is subscribed once its headers are in: what follows arrives live.
    harness.gates.open(gate);
    const rest = await readToEnd(secondReader);

    expect(rest.at(-1)).toMatchObject({ event: 'end', data: JSON.stringify({ runId, status: 'completed' }) });
    const events = [...kept, ...rest.slice(0, -1)].map(
      (message) => JSON.parse(message.data ?? '') as AgentEvent,
    );
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
    expect(events.at(-1)?.type).toBe('run.completed');
    expect(Number(rest[0]?.id)).toBe(Number(lastId) + 1);
    const stored = await harness.runtime.store.readRun(runId);
    expect(events).toEqual(stored);
  });

  it('stops following a run when the client disconnects, and the run goes on', async () => {
    const before = harness.runtime.live.stats().subscribers;
    const runId = await startRun(harness, `follow [hold:unfollow]`);
    const disconnect = new AbortController();
    const response = await fetch(`${base}/v1/runs/${runId}/events`, {
      headers: auth,
      signal: disconnect.signal,
    });
    await readUntil(sseReader(response.body as ReadableStream<Uint8Array>), 'model.requested');
    expect(harness.runtime.live.stats().subscribers).toBe(before + 1);

    disconnect.abort();

    await vi.waitFor(() => expect(harness.runtime.live.stats().subscribers).toBe(before));
    harness.gates.open('unfollow');
    expect(await runToEnd(harness, runId)).toContain('"status":"completed"');
  });
});

describe('client disconnects while starting a run', () => {
  it('does not cancel a run started in stream mode', async () => {
    const disconnect = new AbortController();
    const response = await fetch(`${base}/v1/agents/assistant/runs`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ input: 'streamed [hold:stream-gone]' }),
      signal: disconnect.signal,
    });
    const started = await sseReader(response.body as ReadableStream<Uint8Array>).nextEvent();
    const { runId } = JSON.parse(started?.data ?? '') as AgentEvent;

    disconnect.abort();
    harness.gates.open('stream-gone');

    expect(await runToEnd(harness, runId)).toContain('"status":"completed"');
  });

  it('does not cancel a run started in wait mode', async () => {
    const watch = new AbortController();
    const live = await fetch(`${base}/v1/events`, { headers: auth, signal: watch.signal });
    const liveReader = sseReader(live.body as ReadableStream<Uint8Array>);
    const disconnect = new AbortController();
    const waiting = fetch(`${base}/v1/agents/assistant/runs`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ input: 'waited [hold:wait-gone]' }),
      signal: disconnect.signal,
    }).catch((error: unknown) => error);
    const started = await readUntil(liveReader, 'run.started');
    const { runId } = JSON.parse(started.at(-1)?.data ?? '') as AgentEvent;

    disconnect.abort();
    expect(await waiting).toMatchObject({ name: 'AbortError' });
    harness.gates.open('wait-gone');

    expect(await runToEnd(harness, runId)).toContain('"status":"completed"');
    watch.abort();
  });
});

describe('a client too slow to read', () => {
  it('is dropped once its queue is full, without slowing the runs', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let received = 0;
    let headers = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.byteLength;
      if (headers.length < 200) headers += chunk.toString('latin1');
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(`GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEYS.acme}\r\n\r\n`);
    await vi.waitFor(() => expect(headers).toMatch(/^HTTP\/1\.1 200/));
    // Stop reading: the kernel buffers fill, then node-server stops pulling, then our queue grows.
    socket.pause();

    // Each run publishes ~2 MB (the answer is in model.responded and run.completed); loopback
    // socket buffers take tens of MB before the server sees backpressure.
    const runs: string[] = [];
    const dropped = () => harness.logs.some((line) => line.message === 'SSE client too slow: dropped');
    while (!dropped() && runs.length < 80) {
      const runId = await startRun(harness, '[big:1000000]');
      runs.push(runId);
      await runToEnd(harness, runId);
      // In-process runs are all microtasks: let timers (the slow-client deadline) run.
      await new Promise((resolve) => setImmediate(resolve));
    }

    expect(dropped()).toBe(true);
    socket.resume();
    await closed;
    // Less than what was published for it: the rest was dropped, not buffered.
    expect(received).toBeLessThan(runs.length * 2_000_000);
    expect(await harness.runtime.metrics?.metrics()).toMatch(
      /agent_events_dropped_total\{source="sse"\} [1-9]/,
    );
    const last = await harness.request(`/v1/runs/${runs.at(-1)}`, { key: KEYS.acme });
    expect(await last.json()).toMatchObject({ status: 'completed' });
  });
});
