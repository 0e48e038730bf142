import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testEvents } from '@agent/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_SUCCESS } from '../src/exit-codes.js';
import { cli } from './helpers.js';

// A fake server speaking the SSE of GET /v1/runs/{id}/events, to drive what a real server does
// only under faults: a dropped connection, an error message, a 500.
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function fakeServer(
  handler: (
    request: IncomingMessage,
    send: (text: string) => void,
    end: (drop: boolean) => void,
    status: (code: number, body: string) => void,
  ) => void,
) {
  const created = createServer((request, response) => {
    handler(
      request,
      (text) => {
        if (!response.headersSent) response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(text);
      },
      (drop) => (drop ? response.destroy() : response.end()),
      (code, body) => {
        response.writeHead(code, { 'content-type': 'application/problem+json' });
        response.end(body);
      },
    );
  });
  server = created;
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(created.address() as AddressInfo).port}`;
}

const message = (event: { seq: number; type: string }) =>
  `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

describe('agent events tail --url under faults', () => {
  it('reconnects after a dropped connection with Last-Event-ID, missing and repeating nothing', async () => {
    const seen: (string | undefined)[] = [];
    const url = await fakeServer((request, send, end) => {
      seen.push(request.headers['last-event-id'] as string | undefined);
      if (seen.length === 1) {
        send(message(testEvents.started('r1')));
        send(message(testEvents.step('r1', 1)));
        setTimeout(() => end(true), 20);
        return;
      }
      send(message(testEvents.completed('r1', 2)));
      send('event: end\ndata: {"runId":"r1","status":"completed"}\n\n');
      end(false);
    });

    const result = await cli(['events', 'tail', '--run', 'r1', '--url', url, '--json'], { cwd: '/' });

    expect(result.code).toBe(EXIT_SUCCESS);
    expect(seen).toEqual([undefined, '1']);
    expect(result.stderr).toContain('reconnecting');
    const seqs = result.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { seq: number }).seq);
    expect(seqs).toEqual([0, 1, 2]);
  });

  it('exits 1 when the run ended failed, and reports a server error message', async () => {
    const url = await fakeServer((_request, send, end) => {
      send(message(testEvents.failed('r2', 1)));
      send('event: end\ndata: {"runId":"r2","status":"failed"}\n\n');
      end(false);
    });
    expect((await cli(['events', 'tail', '--run', 'r2', '--url', url], { cwd: '/' })).code).toBe(
      EXIT_FAILURE,
    );

    await new Promise((resolve) => server?.close(resolve));
    const errorUrl = await fakeServer((_request, send, end) => {
      send('event: error\ndata: {"detail":"store unavailable"}\n\n');
      end(false);
    });
    const reported = await cli(['events', 'tail', '--run', 'r3', '--url', errorUrl], { cwd: '/' });
    expect(reported.code).toBe(EXIT_FAILURE);
    expect(reported.stderr).toContain('store unavailable');
  });

  it('explains a server error status with the problem detail', async () => {
    const url = await fakeServer((_request, _send, _end, status) =>
      status(500, JSON.stringify({ detail: 'the event store is down' })),
    );

    const result = await cli(['events', 'tail', '--url', url], { cwd: '/' });

    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toContain('answered 500: the event store is down');
  });

  it('gives up after repeated dropped connections', async () => {
    let connections = 0;
    const url = await fakeServer((_request, send, end) => {
      connections += 1;
      // The first connection works for a moment; every reconnect is dropped at once.
      if (connections === 1) {
        send(message(testEvents.started('r4')));
        setTimeout(() => end(true), 20);
      } else end(true);
    });

    const result = await cli(['events', 'tail', '--run', 'r4', '--url', url], { cwd: '/' });

    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toContain('5 times in a row; giving up');
    expect(connections).toBe(6);
  });
});
