import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import { AbortedError } from '@agent/core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type HttpFetchHarness, startHttpFetchHarness } from './__fixtures__/http-fetch-harness.js';
import { rejectionOf } from './__fixtures__/rejection-of.js';
import { httpFetchOutputSchema } from './http-fetch.js';
import { lookupAll } from './http-fetch-options.js';

let harness: HttpFetchHarness;

beforeEach(async () => {
  harness ??= await startHttpFetchHarness();
  harness.server.seen.length = 0;
  harness.resolved.length = 0;
  harness.dialed.length = 0;
  harness.deadAddresses.clear();
});

afterAll(async () => {
  await harness.server.close();
});

describe('http_fetch: what works', () => {
  it('GETs JSON from an allowlisted host, dialing the vetted address with the Host header kept', async () => {
    const tool = harness.tool();

    const result = await harness.call(tool, { url: 'http://api.test/json' });

    expect(result).toEqual({
      status: 200,
      url: 'http://api.test/json',
      contentType: 'application/json',
      body: { hello: 'world' },
      truncated: false,
      bytes: 17,
    });
    expect(httpFetchOutputSchema.parse(result)).toEqual(result);
    expect(harness.dialed).toEqual(['93.184.216.34:80']);
    expect(harness.server.seen[0]?.headers.host).toBe('api.test');
  });

  it('POSTs a JSON value as application/json and a string as text', async () => {
    const tool = harness.tool({ userAgent: 'test-agent/1' });

    const jsonPost = await harness.call(tool, {
      url: 'http://api.test/echo',
      method: 'POST',
      body: { a: [1, 2] },
    });
    const textPost = await harness.call(tool, { url: 'http://api.test/echo', method: 'POST', body: 'hello' });

    expect(jsonPost).toMatchObject({
      body: {
        method: 'POST',
        contentType: 'application/json',
        body: '{"a":[1,2]}',
        userAgent: 'test-agent/1',
      },
    });
    expect(textPost).toMatchObject({ body: { contentType: 'text/plain; charset=utf-8', body: 'hello' } });
  });

  it('sends an empty POST with Content-Length 0 and keeps a content type the model set', async () => {
    const tool = harness.tool();

    const empty = await harness.call(tool, { url: 'http://api.test/echo', method: 'POST' });
    const typed = await harness.call(tool, {
      url: 'http://api.test/echo',
      method: 'POST',
      body: 'a=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });

    expect(empty).toMatchObject({ body: { contentLength: '0', body: '' } });
    expect(typed).toMatchObject({ body: { contentType: 'application/x-www-form-urlencoded', body: 'a=1' } });
  });

  it('returns text for text types, decoding the declared charset', async () => {
    const tool = harness.tool();

    const plain = await harness.call(tool, { url: 'http://api.test/text' });
    const latin1 = await harness.call(tool, { url: 'http://api.test/latin1' });
    const html = await harness.call(tool, { url: 'http://api.test/html' });

    expect(plain).toMatchObject({ body: 'plain text', contentType: 'text/plain; charset=utf-8' });
    expect(latin1).toMatchObject({ body: 'café', bytes: 4 });
    expect(html).toMatchObject({ body: '<p>hi</p>' });
  });

  it('honours responseType: text keeps JSON as text, json parses a text type', async () => {
    const tool = harness.tool();

    const asText = await harness.call(tool, { url: 'http://api.test/json', responseType: 'text' });
    const asJson = await harness.call(tool, { url: 'http://api.test/untyped', responseType: 'json' });
    const notJson = await rejectionOf(
      harness.call(tool, { url: 'http://api.test/not-json', responseType: 'json' }),
    );

    expect(asText).toMatchObject({ body: '{"hello":"world"}' });
    expect(asJson).toMatchObject({ body: { a: 1 } });
    expect(notJson).toMatchObject({ code: 'TOOL_FAILED' });
    expect(notJson.message).toContain('not valid JSON');
  });

  it('sniffs a body without Content-Type: JSON when it parses, else text', async () => {
    const tool = harness.tool();

    const json = await harness.call(tool, { url: 'http://api.test/untyped' });
    const text = await harness.call(tool, { url: 'http://api.test/untyped-text' });

    expect(json).toMatchObject({ contentType: null, body: { a: 1 } });
    expect(text).toMatchObject({ body: 'just words' });
  });

  it('cuts the body at maxBytes and marks it truncated (JSON falls back to its text)', async () => {
    const tool = harness.tool({ maxBytes: 1000 });

    const text = await harness.call(tool, { url: 'http://api.test/big' });
    const json = await harness.call(tool, { url: 'http://api.test/big-json' });

    expect(text).toMatchObject({ truncated: true, bytes: 1000, body: 'x'.repeat(1000) });
    expect(json).toMatchObject({ truncated: true, bytes: 1000 });
    expect(typeof (json as { body: unknown }).body).toBe('string');
  });

  it('decodes a gzip body and refuses an encoding it cannot decode', async () => {
    const tool = harness.tool();

    const zipped = await harness.call(tool, { url: 'http://api.test/gzip' });
    const zstd = await rejectionOf(harness.call(tool, { url: 'http://api.test/zstd' }));

    expect(zipped).toMatchObject({ body: { zipped: true } });
    expect(zstd).toMatchObject({ code: 'TOOL_FAILED' });
    expect(zstd.message).toContain('unsupported Content-Encoding "zstd"');
  });

  it('returns a non-2xx response with its status instead of throwing', async () => {
    const tool = harness.tool();

    const teapot = await harness.call(tool, { url: 'http://api.test/teapot' });
    const missing = await harness.call(tool, { url: 'http://api.test/missing' });

    expect(teapot).toMatchObject({ status: 418, body: { error: 'teapot' } });
    expect(missing).toMatchObject({ status: 404, body: 'not found' });
  });

  it('follows a redirect chain across allowlisted hosts and reports the final URL', async () => {
    const tool = harness.tool();

    const result = await harness.call(tool, { url: 'http://api.test/r1' });

    expect(result).toMatchObject({ status: 200, url: 'http://other.test/json', body: { hello: 'world' } });
    expect(harness.server.seen.map((request) => `${request.headers.host}${request.url}`)).toEqual([
      'api.test/r1',
      'api.test/r2',
      'other.test/r3',
      'other.test/json',
    ]);
    expect(harness.resolved).toEqual(['api.test', 'api.test', 'other.test', 'other.test']);
  });

  it('turns POST into GET on 303, 302 and 301, and keeps POST and its body on 307', async () => {
    const tool = harness.tool();
    const post = (path: string) =>
      harness.call(tool, { url: `http://api.test${path}`, method: 'POST', body: { x: 1 } });

    const seeOther = await post('/see-other');
    const found = await post('/found');
    const temporary = await post('/temporary');

    expect(seeOther).toMatchObject({ body: { method: 'GET', body: '', contentType: null } });
    expect(found).toMatchObject({ body: { method: 'GET', body: '' } });
    expect(temporary).toMatchObject({
      body: { method: 'POST', body: '{"x":1}', contentType: 'application/json' },
    });
  });

  it('drops Authorization on a cross-origin redirect and keeps it on a same-origin one', async () => {
    const tool = harness.tool();
    const headers = { Authorization: 'Bearer secret' };

    const same = await harness.call(tool, { url: 'http://api.test/same-origin', headers });
    const cross = await harness.call(tool, { url: 'http://api.test/cross-origin', headers });

    expect(same).toMatchObject({ body: { authorization: 'Bearer secret' } });
    expect(cross).toMatchObject({ url: 'http://other.test/echo', body: { authorization: null } });
  });

  it('resolves once per hop and connects to that answer, so DNS rebinding cannot redirect the socket', async () => {
    let lookups = 0;
    const tool = harness.tool({
      allow: ['rebind.test'],
      resolve: async () => {
        lookups += 1;
        return [{ address: lookups === 1 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
      },
    });

    const result = await harness.call(tool, { url: 'http://rebind.test/json' });

    expect(result).toMatchObject({ status: 200 });
    expect(lookups).toBe(1);
    expect(harness.dialed).toEqual(['93.184.216.34:80']);
  });

  it('tries the next vetted address when one refuses the connection', async () => {
    harness.deadAddresses.add('93.184.216.40');
    const tool = harness.tool();

    const result = await harness.call(tool, { url: 'http://multi.test:8080/json' });

    expect(result).toMatchObject({ status: 200, url: 'http://multi.test:8080/json' });
    expect(harness.dialed).toEqual(['93.184.216.40:8080', '93.184.216.41:8080']);
  });

  it('reports a connection failure as TOOL_FAILED with the error code', async () => {
    harness.deadAddresses.add('93.184.216.34');
    const tool = harness.tool();

    const error = await rejectionOf(harness.call(tool, { url: 'http://api.test/json' }));

    expect(error).toMatchObject({ code: 'TOOL_FAILED', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('reports a name that does not resolve as TOOL_FAILED', async () => {
    const tool = harness.tool({ allow: ['nowhere.test'] });

    const error = await rejectionOf(harness.call(tool, { url: 'http://nowhere.test/' }));

    expect(error).toMatchObject({ code: 'TOOL_FAILED' });
    expect(error.message).toContain('ENOTFOUND');
  });

  it('times out the whole request with TOOL_TIMEOUT, headers or body', async () => {
    const tool = harness.tool({ timeoutMs: 150 });

    const noHeaders = await rejectionOf(harness.call(tool, { url: 'http://api.test/hang' }));
    const noBodyEnd = await rejectionOf(harness.call(tool, { url: 'http://api.test/slow-body' }));

    expect(noHeaders).toMatchObject({ code: 'TOOL_TIMEOUT', retryable: true });
    expect(noHeaders.message).toContain('150 ms');
    expect(noBodyEnd).toMatchObject({ code: 'TOOL_TIMEOUT' });
    expect(tool.timeoutMs).toBe(1150);
  });

  it('stops when the run aborts and throws AbortedError', async () => {
    const tool = harness.tool();
    const controller = new AbortController();
    const reached = new Promise<void>((resolve) => harness.hangs.push(resolve));

    const pending = rejectionOf(harness.call(tool, { url: 'http://api.test/hang' }, controller.signal));
    await reached;
    controller.abort(new Error('user cancelled'));

    expect(await pending).toBeInstanceOf(AbortedError);
  });

  it('refuses to start when the run is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();

    const error = await rejectionOf(
      harness.call(harness.tool(), { url: 'http://api.test/json' }, controller.signal),
    );

    expect(error).toBeInstanceOf(AbortedError);
    expect(harness.server.seen).toHaveLength(0);
  });
});

describe('http_fetch over TLS', () => {
  it('dials the pinned address but sends the host name as SNI, and verifies the certificate', async () => {
    const servernames: string[] = [];
    const fixtures = new URL('./__fixtures__/', import.meta.url);
    const context = {
      key: readFileSync(new URL('api-test.key.pem', fixtures)),
      cert: readFileSync(new URL('api-test.cert.pem', fixtures)),
    };
    const server = createHttpsServer(
      {
        ...context,
        SNICallback: (servername, callback) => {
          servernames.push(servername);
          callback(null, createSecureContext(context));
        },
      },
      (_request, response) => response.end('{}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const tool = harness.tool({ dialOverride: () => ({ host: '127.0.0.1', port }) });

    try {
      const error = await rejectionOf(harness.call(tool, { url: 'https://api.test/json' }));

      expect(error).toMatchObject({ code: 'TOOL_FAILED' });
      expect(error.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(servernames).toEqual(['api.test']);
      expect(harness.resolved).toEqual(['api.test']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('lookupAll (the default resolver)', () => {
  it('returns every address of a name with its family', async () => {
    const addresses = await lookupAll('localhost');

    expect(addresses.length).toBeGreaterThan(0);
    for (const { address, family } of addresses) {
      expect(['127.0.0.1', '::1']).toContain(address);
      expect(family).toBe(address.includes(':') ? 6 : 4);
    }
  });

  it('reports IPv6 answers as family 6', async () => {
    expect(await lookupAll('::1')).toEqual([{ address: '::1', family: 6 }]);
  });
});
