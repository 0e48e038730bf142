import { UsageError } from './context.js';

/** A server of the Agent SDK API, as `--url` and `--api-key` name it. */
export interface ServerTarget {
  base: URL;
  apiKey: string | undefined;
}

/** Parses `--url`; the API key defaults to `$AGENT_API_KEY`. */
export function serverTarget(url: string, apiKey: string | undefined): ServerTarget {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new UsageError(`--url must be a URL like http://localhost:3000, got "${url}"`);
  }
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return { base, apiKey: apiKey === '' ? undefined : apiKey };
}

/** `fetch` against the server, with the key, and errors that say what to do. */
export async function serverFetch(
  target: ServerTarget,
  path: string,
  init: { accept: string; headers?: Record<string, string>; signal?: AbortSignal },
): Promise<Response> {
  const url = new URL(path, target.base);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        accept: init.accept,
        ...init.headers,
        ...(target.apiKey !== undefined ? { authorization: `Bearer ${target.apiKey}` } : {}),
      },
      ...(init.signal !== undefined ? { signal: init.signal } : {}),
    });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `cannot reach the server at ${target.base.origin}: ${cause?.code ?? cause?.message ?? String(error)}. Is it running? (agent serve)`,
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new Error(
      `the server at ${target.base.origin} answered ${response.status}: ${problemDetail(await response.text())}. Pass an API key with --api-key or AGENT_API_KEY.`,
    );
  }
  return response;
}

/** The `detail` (or `title`) of an RFC 9457 problem body, else the body itself. */
export function problemDetail(body: string): string {
  try {
    const problem = JSON.parse(body) as { detail?: string; title?: string };
    return problem.detail ?? problem.title ?? body;
  } catch {
    return body;
  }
}
