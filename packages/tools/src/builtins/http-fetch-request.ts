import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { VettedTarget } from './http-fetch-guard.js';
import type { DialOverride, ResolvedAddress } from './http-fetch-options.js';

/** One request to one vetted target. */
export interface HopRequest {
  target: VettedTarget;
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  signal: AbortSignal;
  dialOverride: DialOverride | undefined;
}

// Errors raised before a connection exists: trying the host's next address is safe (nothing was
// sent), and is what lets an IPv4 address answer when the IPv6 route is missing.
const CONNECT_ERRORS = new Set([
  'ECONNREFUSED',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'EAFNOSUPPORT',
]);
const MAX_DIAL_ATTEMPTS = 4;

/**
 * Sends the request to the target's vetted addresses, in order, until one connects. The socket
 * goes to the vetted IP itself (no second DNS lookup); `Host` and the TLS server name stay the
 * URL's host name, so virtual hosting and certificate checks work as usual.
 */
export async function sendHop(hop: HopRequest): Promise<IncomingMessage> {
  let lastError: unknown;
  for (const address of hop.target.addresses.slice(0, MAX_DIAL_ATTEMPTS)) {
    try {
      return await dial(hop, address);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (hop.signal.aborted || typeof code !== 'string' || !CONNECT_ERRORS.has(code)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

function dial(hop: HopRequest, address: ResolvedAddress): Promise<IncomingMessage> {
  const { url, hostname } = hop.target;
  const secure = url.protocol === 'https:';
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  const destination = hop.dialOverride
    ? hop.dialOverride(address.address, port)
    : { host: address.address, port };
  const options: RequestOptions = {
    host: destination.host,
    port: destination.port,
    method: hop.method,
    path: `${url.pathname}${url.search}`,
    headers: { ...hop.headers, host: url.host },
    // A fresh agent per request: no pooled socket to a previous hop's address can be reused.
    agent: false,
    signal: hop.signal,
    // SNI and certificate verification against the name, not the pinned IP (SNI must not be an IP).
    ...(secure && isIP(hostname) === 0 ? { servername: hostname } : {}),
  };
  return new Promise<IncomingMessage>((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(options, resolve);
    request.on('error', reject);
    request.end(hop.body);
  });
}

/** The bytes of a response body, capped. */
export interface BodyBytes {
  buffer: Buffer;
  /** True when the body was longer than the cap and reading stopped there. */
  truncated: boolean;
}

/**
 * Reads at most `maxBytes` of the (decoded) body and stops: the rest is never downloaded, and a
 * compressed body cannot inflate past the cap.
 */
export async function readBody(response: IncomingMessage, maxBytes: number): Promise<BodyBytes> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  let stream: Readable = response;
  try {
    stream = decoded(response);
    for await (const chunk of stream) {
      const bytes = chunk as Buffer;
      const room = maxBytes - size;
      if (bytes.length > room) {
        chunks.push(bytes.subarray(0, room));
        size += room;
        truncated = true;
        break;
      }
      chunks.push(bytes);
      size += bytes.length;
    }
  } finally {
    stream.destroy();
    response.destroy();
  }
  return { buffer: Buffer.concat(chunks, size), truncated };
}

/** Thrown by {@link readBody} for a `Content-Encoding` it cannot decode. */
export class UnsupportedEncodingError extends Error {}

function decoded(response: IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding === 'identity' || encoding === '') return response;
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (!decoder) throw new UnsupportedEncodingError(`unsupported Content-Encoding "${encoding}"`);
  return pipeline(response, decoder, () => {});
}
