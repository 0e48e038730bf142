import { lookup } from 'node:dns/promises';
import { z } from 'zod';
import type { OptionFixes } from './tool-options.js';

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to ALL its addresses (the guard refuses the host if any one is not public). */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

/**
 * Where to open the socket for an address the guard has already vetted. A test seam only: it
 * lets a test dial a public-looking address but reach a local server. The guard never sees its
 * result, so never set it in production.
 */
export type DialOverride = (address: string, port: number) => { host: string; port: number };

/** The HTTP methods `http_fetch` can send. */
export type HttpFetchMethod = 'GET' | 'POST';

/** Options of {@link httpFetch}. */
export interface HttpFetchOptions {
  /**
   * Hosts the tool may call: exact (`api.github.com`) or wildcard (`*.example.com`, subdomains
   * only). Required; an empty list refuses every request. The SSRF guard applies on top: a listed
   * host that resolves to a private address is still refused.
   */
  allow: readonly string[];
  /** Largest response body returned, in bytes; longer bodies are cut and marked `truncated`. @default 1048576 */
  maxBytes?: number;
  /** Time limit for the whole request, redirects included, in ms. @default 10000 */
  timeoutMs?: number;
  /** Redirects followed before giving up. @default 5 */
  maxRedirects?: number;
  /** Methods the model may use. @default ['GET', 'POST'] */
  methods?: readonly HttpFetchMethod[];
  /** The `User-Agent` header sent. @default 'agent-sdk-http-fetch/0.1' */
  userAgent?: string;
  /** DNS resolution. Test seam; the default resolves with the system resolver (all addresses). */
  resolve?: ResolveHost;
  /** Test seam only, see {@link DialOverride}. */
  dialOverride?: DialOverride;
}

/** The JSON-safe options of `http_fetch`, as `tools.options.http_fetch` in the config file. */
export const httpFetchOptionsSchema = z
  .object({
    allow: z.array(z.string()),
    maxBytes: z
      .number()
      .int()
      .positive()
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    timeoutMs: z.number().int().positive().max(600_000).default(10_000),
    maxRedirects: z.number().int().min(0).max(20).default(5),
    methods: z
      .array(z.enum(['GET', 'POST']))
      .min(1)
      .default(['GET', 'POST']),
    userAgent: z.string().min(1).max(256).default('agent-sdk-http-fetch/0.1'),
  })
  .strict();

/** What to write instead of a bad `http_fetch` option. */
export const HTTP_FETCH_OPTION_FIXES: OptionFixes = {
  allow:
    'set tools.options.http_fetch.allow to the hosts the tool may call, e.g. ["api.github.com", "*.example.com"]',
  maxBytes: 'use a positive whole number of bytes up to 67108864 (64 MiB), e.g. 1048576',
  timeoutMs: 'use a positive whole number of milliseconds up to 600000, e.g. 10000',
  maxRedirects: 'use a whole number from 0 to 20, e.g. 5',
  methods: 'use a non-empty list of "GET" and "POST"',
  userAgent: 'use a non-empty string of at most 256 characters',
};

/** The system resolver, every address, in the order the resolver gives them. */
export const lookupAll: ResolveHost = async (hostname) => {
  const results = await lookup(hostname, { all: true, verbatim: true });
  return results.map((result) => ({ address: result.address, family: result.family === 6 ? 6 : 4 }));
};
