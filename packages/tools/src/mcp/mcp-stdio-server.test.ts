import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { add } from './__fixtures__/fixture-tools.js';
import { serveMcpStdio } from './mcp-stdio-server.js';

/** Reads newline-delimited JSON-RPC messages from the server's stdout as they come. */
function reader(stream: PassThrough) {
  let buffer = '';
  const waiting: ((message: unknown) => void)[] = [];
  const ready: unknown[] = [];
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const message: unknown = JSON.parse(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      const next = waiting.shift();
      if (next) next(message);
      else ready.push(message);
      newline = buffer.indexOf('\n');
    }
  });
  return () =>
    ready.length > 0
      ? Promise.resolve(ready.shift())
      : new Promise<unknown>((resolve) => waiting.push(resolve));
}

describe('serveMcpStdio', () => {
  it('speaks newline-delimited JSON-RPC on the given streams and closes', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const next = reader(stdout);
    const server = await serveMcpStdio([add], { name: 'stdio-unit', version: '3.0.0', stdin, stdout });

    stdin.write(
      `${JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      })}\n`,
    );
    const initialized = await next();
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'add', arguments: { a: 4, b: 5 } } })}\n`,
    );
    const called = await next();
    await server.close();
    await server.close();

    expect(initialized).toMatchObject({
      id: 1,
      result: { serverInfo: { name: 'stdio-unit', version: '3.0.0' }, capabilities: { tools: {} } },
    });
    expect(called).toEqual({ jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: '9' }] } });
    expect(stdin.listenerCount('data')).toBe(0);
  });
});
