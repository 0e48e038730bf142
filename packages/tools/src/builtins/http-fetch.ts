import { defineTool, type Tool } from '@agent/core';
import { z } from 'zod';
import { parseHostAllowlist } from './host-allowlist.js';
import {
  HTTP_FETCH_OPTION_FIXES,
  type HttpFetchOptions,
  httpFetchOptionsSchema,
  lookupAll,
} from './http-fetch-options.js';
import type { HttpFetchOutput } from './http-fetch-response.js';
import { type HttpFetchInput, runHttpFetch } from './http-fetch-run.js';
import { parseToolOptions } from './tool-options.js';

/** JSON shape of what `http_fetch` returns. */
export const httpFetchOutputSchema = z.object({
  status: z.number().int(),
  url: z.string(),
  contentType: z.string().nullable(),
  body: z.unknown(),
  truncated: z.boolean(),
  bytes: z.number().int().nonnegative(),
});

/**
 * The `http_fetch` tool: GET and POST to allowlisted public hosts, behind an SSRF guard.
 * Every hop (redirects included) must be on the allowlist, and ALL the addresses its host
 * resolves to must be public (no loopback, private, link-local, metadata...). The socket is then
 * opened to the vetted address itself, so DNS rebinding between check and connect cannot work.
 * Bodies are capped at `maxBytes`; JSON comes back parsed, text as text, binary is refused.
 *
 * @example
 * ```ts
 * const fetchTool = httpFetch({ allow: ['api.github.com', '*.example.com'] });
 * const agent = new Agent({ name: 'researcher', model, tools: [fetchTool] });
 * ```
 */
export function httpFetch(options: HttpFetchOptions): Tool<HttpFetchInput, HttpFetchOutput> {
  const { resolve, dialOverride, ...data } = options;
  const settings = parseToolOptions('http_fetch', httpFetchOptionsSchema, data, HTTP_FETCH_OPTION_FIXES);
  const allowlist = parseHostAllowlist(settings.allow, 'tools.options.http_fetch.allow');
  const methods = settings.methods;
  const plan = {
    ...settings,
    allowlist,
    methods,
    resolve: resolve ?? lookupAll,
    dialOverride,
  };
  const allowed = allowlist.entries.length > 0 ? allowlist.entries.join(', ') : 'none configured';
  return defineTool({
    name: 'http_fetch',
    description: `Fetches a URL over HTTP(S) and returns status, final URL, content type and body (JSON parsed, text as text; binary refused). Only these hosts are allowed: ${allowed}. Methods: ${methods.join(', ')}. Bodies longer than ${settings.maxBytes} bytes are truncated.`,
    input: z.object({
      url: z.string().min(1).max(8192).describe('Absolute http:// or https:// URL.'),
      method: z
        .enum(methods)
        .default(methods.includes('GET') ? 'GET' : 'POST')
        .describe('HTTP method.'),
      headers: z
        .record(z.string(), z.string())
        .optional()
        .describe('Extra request headers, e.g. {"authorization": "Bearer ..."}.'),
      body: z
        .unknown()
        .optional()
        .describe('POST body: a string is sent as text, any other JSON value as application/json.'),
      responseType: z
        .enum(['auto', 'json', 'text'])
        .default('auto')
        .describe('auto: by Content-Type; json: parse as JSON; text: raw text.'),
    }),
    output: httpFetchOutputSchema,
    // A little above our own deadline, so our TOOL_TIMEOUT (which names the URL) wins the race.
    timeoutMs: settings.timeoutMs + 1000,
    execute: (input, context) => runHttpFetch(input, context, plan),
  });
}
