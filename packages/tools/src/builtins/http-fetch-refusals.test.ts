import { ConfigError } from '@agent/core';
import { testToolContext } from '@agent/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type HttpFetchHarness, startHttpFetchHarness } from './__fixtures__/http-fetch-harness.js';
import { rejectionOf } from './__fixtures__/rejection-of.js';
import { httpFetch } from './http-fetch.js';
import type { HttpFetchOptions } from './http-fetch-options.js';

let harness: HttpFetchHarness;

beforeEach(async () => {
  harness ??= await startHttpFetchHarness();
  harness.server.seen.length = 0;
  harness.resolved.length = 0;
  harness.dialed.length = 0;
});

afterAll(async () => {
  await harness.server.close();
});

const seenPaths = () => harness.server.seen.map((request) => request.url);

describe('http_fetch: literal addresses are refused even when allowlisted', () => {
  const allowEverything = [
    '127.0.0.1',
    'localhost',
    '[::1]',
    '0.0.0.0',
    '169.254.169.254',
    '[::ffff:7f00:1]',
    '[fd00:ec2::254]',
    '100.100.100.200',
    '10.1.2.3',
    'metadata.google.internal',
    'app.localhost',
  ];

  it.each([
    ['http://127.0.0.1:{port}/', 'address 127.0.0.1', 'loopback'],
    ['http://localhost:{port}/', '"localhost"', 'local machine'],
    ['http://app.localhost:{port}/', '"app.localhost"', 'local machine'],
    ['http://[::1]:{port}/', 'address ::1', 'loopback'],
    ['http://0.0.0.0:{port}/', 'address 0.0.0.0', 'unspecified'],
    ['http://169.254.169.254/latest/meta-data/', 'address 169.254.169.254', 'cloud metadata'],
    ['http://[::ffff:127.0.0.1]:{port}/', 'address ::ffff:7f00:1', 'loopback'],
    ['http://[fd00:ec2::254]/', 'address fd00:ec2::254', 'cloud metadata'],
    ['http://100.100.100.200/', 'address 100.100.100.200', 'cloud metadata'],
    ['http://10.1.2.3/', 'address 10.1.2.3', 'private'],
    ['http://2130706433:{port}/', 'address 127.0.0.1', 'loopback'],
    ['http://0x7f.1:{port}/', 'address 127.0.0.1', 'loopback'],
    ['http://017700000001:{port}/', 'address 127.0.0.1', 'loopback'],
    ['http://metadata.google.internal/computeMetadata/v1/', '"metadata.google.internal"', 'metadata'],
  ])('refuses %s', async (template, names, why) => {
    const tool = harness.tool({ allow: allowEverything });
    const url = template.replace('{port}', String(harness.server.port));

    const error = await rejectionOf(harness.call(tool, { url }));

    expect(error).toMatchObject({ code: 'TOOL_REFUSED' });
    expect(error.message).toContain(names);
    expect(error.message).toContain(why);
    expect(harness.resolved).toEqual([]);
    expect(harness.dialed).toEqual([]);
    expect(harness.server.seen).toEqual([]);
  });
});

describe('http_fetch: hosts whose DNS answers are not public are refused', () => {
  it.each([
    ['private.test', '10.0.0.5', 'private'],
    ['mixed.test', '192.168.1.1', 'private'],
    ['mapped.test', '::ffff:127.0.0.1', 'loopback'],
  ])('refuses %s (resolves to %s)', async (host, address, why) => {
    const error = await rejectionOf(harness.call(harness.tool(), { url: `http://${host}/` }));

    expect(error).toMatchObject({ code: 'TOOL_REFUSED' });
    expect(error.message).toContain(`host "${host}" resolves to ${address}`);
    expect(error.message).toContain(why);
    expect(harness.dialed).toEqual([]);
    expect(harness.server.seen).toEqual([]);
  });

  it('accepts a host with only public IPv6 addresses', async () => {
    const result = await harness.call(harness.tool(), { url: 'http://v6.test/json' });

    expect(result).toMatchObject({ status: 200 });
    expect(harness.dialed).toEqual(['2606:2800:220:1:248:1893:25c8:1946:80']);
  });
});

describe('http_fetch: redirects are vetted hop by hop', () => {
  it('refuses a redirect to 127.0.0.1 and never requests it', async () => {
    const tool = harness.tool({ allow: ['api.test', '127.0.0.1'] });

    const error = await rejectionOf(harness.call(tool, { url: 'http://api.test/to-loopback' }));

    expect(error).toMatchObject({ code: 'TOOL_REFUSED' });
    expect(error.message).toContain('address 127.0.0.1 (redirect from http://api.test/to-loopback)');
    expect(seenPaths()).toEqual(['/to-loopback']);
  });

  it('refuses a redirect to the cloud metadata endpoint and never requests it', async () => {
    const tool = harness.tool({ allow: ['api.test', '169.254.169.254'] });

    const error = await rejectionOf(harness.call(tool, { url: 'http://api.test/to-metadata' }));

    expect(error).toMatchObject({ code: 'TOOL_REFUSED' });
    expect(error.message).toContain('169.254.169.254');
    expect(error.message).toContain('cloud metadata');
    expect(seenPaths()).toEqual(['/to-metadata']);
    expect(seenPaths()).not.toContain('/latest/meta-data/');
  });

  it('refuses a redirect to a host that is not allowlisted, without resolving it', async () => {
    const error = await rejectionOf(harness.call(harness.tool(), { url: 'http://api.test/to-stranger' }));

    expect(error).toMatchObject({ code: 'TOOL_REFUSED' });
    expect(error.message).toContain(
      'host "stranger.test" (redirect from http://api.test/to-stranger) is not on the allowlist',
    );
    expect(harness.resolved).toEqual(['api.test']);
    expect(seenPaths()).toEqual(['/to-stranger']);
  });

  it('refuses a redirect to an allowlisted host that resolves to a private address', async () => {
    const error = await rejectionOf(harness.call(harness.tool(), { url: 'http://api.test/to-private-dns' }));

    expect(error.message).toContain('host "private.test" resolves to 10.0.0.5');
    expect(seenPaths()).toEqual(['/to-private-dns']);
  });

  it('refuses a redirect to file://', async () => {
    const error = await rejectionOf(harness.call(harness.tool(), { url: 'http://api.test/to-file' }));

    expect(error).toMatchObject({ code: 'TOOL_REFUSED' });
    expect(error.message).toContain('scheme "file:"');
  });

  it('fails clearly on a redirect to an invalid URL', async () => {
    const error = await rejectionOf(harness.call(harness.tool(), { url: 'http://api.test/to-invalid' }));

    expect(error).toMatchObject({ code: 'TOOL_FAILED' });
    expect(error.message).toContain('redirected to an invalid URL');
  });

  it('refuses after maxRedirects redirects, having made exactly maxRedirects + 1 requests', async () => {
    const tool = harness.tool({ maxRedirects: 2 });

    const error = await rejectionOf(harness.call(tool, { url: 'http://api.test/loop' }));

    expect(error).toMatchObject({ code: 'TOOL_REFUSED' });
    expect(error.message).toContain('too many redirects (more than 2)');
    expect(seenPaths()).toEqual(['/loop', '/loop', '/loop']);
  });
});

describe('http_fetch: other refusals', () => {
  it('refuses a host that is not on the allowlist, naming the allowed hosts', async () => {
    const error = await rejectionOf(
      harness.call(harness.tool({ allow: ['api.test'] }), { url: 'http://example.com/' }),
    );

    expect(error).toMatchObject({ code: 'TOOL_REFUSED' });
    expect(error.message).toContain('host "example.com" is not on the allowlist (api.test)');
    expect(harness.resolved).toEqual([]);
  });

  it('matches wildcard entries on subdomains only', async () => {
    const tool = harness.tool({ allow: ['*.wild.test'] });

    const sub = await harness.call(tool, { url: 'http://a.b.wild.test/json' });
    const apex = await rejectionOf(harness.call(tool, { url: 'http://wild.test/json' }));

    expect(sub).toMatchObject({ status: 200 });
    expect(apex.message).toContain('not on the allowlist');
  });

  it('refuses everything with an empty allowlist and says how to configure it', async () => {
    const error = await rejectionOf(
      harness.call(harness.tool({ allow: [] }), { url: 'http://api.test/json' }),
    );

    expect(error).toMatchObject({ code: 'TOOL_REFUSED' });
    expect(error.message).toContain('tools.options.http_fetch.allow');
  });

  it.each(['file:///etc/passwd', 'ftp://api.test/file.txt', 'gopher://api.test/'])(
    'refuses the scheme of %s',
    async (url) => {
      const error = await rejectionOf(harness.call(harness.tool(), { url }));

      expect(error).toMatchObject({ code: 'TOOL_REFUSED' });
      expect(error.message).toContain('Only http and https');
    },
  );

  it('refuses credentials in the URL', async () => {
    const error = await rejectionOf(
      harness.call(harness.tool(), { url: 'http://user:secret@api.test/json' }),
    );

    expect(error).toMatchObject({ code: 'TOOL_REFUSED' });
    expect(error.message).toContain('contains credentials');
    expect(error.message).not.toContain('secret');
  });

  it('refuses binary content types without reading the body, and binary bytes without a type', async () => {
    const typed = await rejectionOf(harness.call(harness.tool(), { url: 'http://api.test/png' }));
    const untyped = await rejectionOf(
      harness.call(harness.tool(), { url: 'http://api.test/untyped-binary' }),
    );

    expect(typed).toMatchObject({ code: 'TOOL_REFUSED' });
    expect(typed.message).toContain('binary content (image/png)');
    expect(untyped.message).toContain('binary content (no Content-Type');
  });

  it('refuses a method that is not enabled, in the schema and in execute', async () => {
    const tool = harness.tool({ methods: ['GET'] });

    const parsed = tool.input.safeParse({ url: 'http://api.test/echo', method: 'POST' });
    const error = await rejectionOf(
      tool.execute({ url: 'http://api.test/echo', method: 'POST', responseType: 'auto' }, testToolContext()),
    );

    expect(parsed.success).toBe(false);
    expect(error).toMatchObject({ code: 'TOOL_REFUSED' });
    expect(error.message).toContain('method POST is not enabled');
    expect(harness.server.seen).toEqual([]);
  });

  it.each([
    [{ url: 'not a url' }, 'is not an absolute URL'],
    [{ url: 'http://api.test/', headers: { Host: 'internal' } }, 'header "Host" is set by the tool'],
    [{ url: 'http://api.test/', headers: { 'Proxy-Authorization': 'x' } }, 'is set by the tool'],
    [{ url: 'http://api.test/', headers: { 'bad name': 'x' } }, 'not a valid HTTP header name'],
    [{ url: 'http://api.test/', headers: { 'x-a': 'a\r\nInjected: 1' } }, 'invalid value'],
    [{ url: 'http://api.test/', body: 'x' }, 'only be sent with POST'],
    [{ url: 'http://api.test/', method: 'POST', body: 'x'.repeat(2000) }, 'at most 1000 are allowed'],
    [
      {
        url: 'http://api.test/',
        headers: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`x-${i}`, 'v'])),
      },
      'at most 50',
    ],
  ])('rejects bad input %# as TOOL_INPUT_INVALID', async (input, message) => {
    const error = await rejectionOf(harness.call(harness.tool({ maxBytes: 1000 }), input));

    expect(error).toMatchObject({ code: 'TOOL_INPUT_INVALID' });
    expect(error.message).toContain(message);
    expect(harness.server.seen).toEqual([]);
  });
});

describe('httpFetch options', () => {
  it.each([
    [{}, 'tools.options.http_fetch.allow'],
    [{ allow: ['api.test'], alow: ['x'] }, 'Unknown option "alow"'],
    [{ allow: ['api.test'], maxBytes: -1 }, 'tools.options.http_fetch.maxBytes'],
    [{ allow: ['api.test'], methods: ['DELETE'] }, 'tools.options.http_fetch.methods.0'],
    [
      { allow: ['https://api.test'] },
      'tools.options.http_fetch.allow[0] "https://api.test" is not a host name',
    ],
    [{ allow: ['api.test:443'] }, 'is not a host name'],
    [{ allow: ['api.test/path'] }, 'is not a host name'],
    [{ allow: ['*'] }, 'is not a host name'],
    [{ allow: ['a.*.test'] }, 'is not a host name'],
    [{ allow: ['[::1]:80'] }, 'is not a host name'],
  ])('rejects %j with a ConfigError naming the option', (options, message) => {
    const create = () => httpFetch(options as unknown as HttpFetchOptions);

    expect(create).toThrow(ConfigError);
    expect(create).toThrow(message);
  });

  it('describes the allowed hosts and methods to the model', () => {
    const tool = httpFetch({ allow: ['API.Test.', '*.Example.com'], methods: ['POST'] });

    expect(tool.description).toContain('api.test, *.example.com');
    expect(tool.description).toContain('Methods: POST');
    expect(tool.input.parse({ url: 'http://api.test/' })).toMatchObject({ method: 'POST' });
  });
});
