import { AgentError, type ToolContext, ToolError, throwIfAborted, timedAbort } from '@agent/core';
import type { HostAllowlist } from './host-allowlist.js';
import type { ResponseType } from './http-fetch-body.js';
import { vetUrl } from './http-fetch-guard.js';
import { buildRequestHeaders, CREDENTIAL_HEADERS, encodeRequestBody } from './http-fetch-headers.js';
import type { DialOverride, HttpFetchMethod, ResolveHost } from './http-fetch-options.js';
import { sendHop, UnsupportedEncodingError } from './http-fetch-request.js';
import { type HttpFetchOutput, toOutput } from './http-fetch-response.js';

const TOOL = 'http_fetch';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The validated input of one `http_fetch` call. */
export interface HttpFetchInput {
  url: string;
  method: HttpFetchMethod;
  headers?: Record<string, string> | undefined;
  body?: unknown;
  responseType: ResponseType;
}

/** Everything a call needs that comes from the tool's options. */
export interface HttpFetchPlan {
  allowlist: HostAllowlist;
  resolve: ResolveHost;
  dialOverride: DialOverride | undefined;
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  methods: readonly HttpFetchMethod[];
  userAgent: string;
}

/**
 * Runs one `http_fetch` call: every hop vetted by the guard, redirects followed by hand, one
 * deadline for the whole call. Maps failures to `TOOL_REFUSED`, `TOOL_TIMEOUT` or `TOOL_FAILED`;
 * an abort of the run's signal is rethrown as `AbortedError`.
 */
export async function runHttpFetch(
  input: HttpFetchInput,
  context: ToolContext,
  plan: HttpFetchPlan,
): Promise<HttpFetchOutput> {
  // timedAbort, not AbortSignal.any: see its doc (a per-call composite signal leaks on Node 20).
  const timed = timedAbort(context.signal, plan.timeoutMs, () => new Error('http_fetch deadline'));
  const signal = timed.signal;
  const state = { url: input.url };
  try {
    return await follow(input, signal, plan, state);
  } catch (error) {
    throwIfAborted(context.signal, 'The http_fetch call');
    if (timed.timedOut) {
      throw new ToolError(
        'TOOL_TIMEOUT',
        TOOL,
        `http_fetch timed out after ${plan.timeoutMs} ms fetching ${state.url}. Try again later or fetch something smaller.`,
        { cause: error, retryable: true },
      );
    }
    if (AgentError.isInstance(error)) throw error;
    throw networkError(error, state.url);
  } finally {
    timed.dispose();
  }
}

async function follow(
  input: HttpFetchInput,
  signal: AbortSignal,
  plan: HttpFetchPlan,
  state: { url: string },
): Promise<HttpFetchOutput> {
  if (!plan.methods.includes(input.method)) {
    throw new ToolError(
      'TOOL_REFUSED',
      TOOL,
      `http_fetch refused: method ${input.method} is not enabled (enabled: ${plan.methods.join(', ')}).`,
    );
  }
  let url = parseUrl(input.url);
  let method: HttpFetchMethod = input.method;
  const headers = buildRequestHeaders(input.headers, plan.userAgent);
  let body = encodeRequestBody(input.body, method, headers, plan.maxBytes);
  let via: string | undefined;
  for (let redirects = 0; ; redirects += 1) {
    state.url = url.href;
    const target = await vetUrl(url, { allowlist: plan.allowlist, resolve: plan.resolve, signal, via });
    const response = await sendHop({
      target,
      method,
      headers,
      body,
      signal,
      dialOverride: plan.dialOverride,
    });
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (!REDIRECT_STATUSES.has(status) || location === undefined) {
      return await toOutput(response, url, input.responseType, plan.maxBytes);
    }
    response.destroy();
    if (redirects >= plan.maxRedirects) {
      throw new ToolError(
        'TOOL_REFUSED',
        TOOL,
        `http_fetch refused: too many redirects (more than ${plan.maxRedirects}); the last one, from ${url.href}, pointed to ${location}. Fetch the final URL directly.`,
      );
    }
    const next = parseLocation(location, url);
    // Browsers turn a redirected POST into a GET for 301/302, and HTTP says so for 303.
    if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      delete headers['content-type'];
    }
    if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
    via = url.href;
    url = next;
  }
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch (error) {
    throw new ToolError(
      'TOOL_INPUT_INVALID',
      TOOL,
      `http_fetch input invalid: "${text.slice(0, 200)}" is not an absolute URL. Send a full URL such as https://api.example.com/path.`,
      { cause: error },
    );
  }
}

function parseLocation(location: string, base: URL): URL {
  try {
    return new URL(location, base);
  } catch (error) {
    throw new ToolError(
      'TOOL_FAILED',
      TOOL,
      `http_fetch: ${base.href} redirected to an invalid URL "${location.slice(0, 200)}".`,
      { cause: error },
    );
  }
}

function networkError(error: unknown, url: string): ToolError {
  if (error instanceof UnsupportedEncodingError) {
    return new ToolError('TOOL_FAILED', TOOL, `http_fetch: ${url} sent an ${error.message}.`, {
      cause: error,
    });
  }
  const code = (error as { code?: unknown }).code;
  const detail = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  return new ToolError(
    'TOOL_FAILED',
    TOOL,
    `http_fetch could not fetch ${url}: ${detail}. The host may be down; try again later.`,
    { cause: error, retryable: true },
  );
}
