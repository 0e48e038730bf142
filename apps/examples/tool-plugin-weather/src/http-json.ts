/** Largest response body read, in bytes: a week of daily weather is about 1 KB. */
export const MAX_RESPONSE_BYTES = 1_000_000;

// Enough of an error body to show the API's `reason`, not more.
const MAX_ERROR_BYTES = 4_096;

/** Names a request in its errors. */
export interface RequestLabel {
  /** What was asked, e.g. `Open-Meteo geocoding`. */
  what: string;
  /** The plugin option holding the URL, e.g. `baseUrl`: a wrong URL is the usual cause of 4xx. */
  option: string;
}

/**
 * GETs `url` and parses the JSON body, read up to {@link MAX_RESPONSE_BYTES}. A non-2xx status
 * throws with the status and the API's `reason`; an unreachable host throws naming the URL's
 * origin. Aborts pass through untouched, for the caller to tell a timeout from a cancelled run.
 */
export async function getJson(url: URL, label: RequestLabel, signal: AbortSignal): Promise<unknown> {
  const { what, option } = label;
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (error) {
    if (signal.aborted) throw error;
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new Error(
      `${what} could not be reached at ${url.origin} (${cause}). Try again later; if it keeps failing, check the network and options.${option}.`,
      { cause: error },
    );
  }
  if (!response.ok) {
    const { text } = await readUpTo(response, MAX_ERROR_BYTES);
    const next =
      response.status >= 500
        ? 'The weather service has a problem: try again later.'
        : `Check options.${option} points to Open-Meteo, or report it to the plugin's author.`;
    throw new Error(`${what} answered HTTP ${response.status}${reasonOf(text)}. ${next}`);
  }
  const { text, truncated } = await readUpTo(response, MAX_RESPONSE_BYTES);
  if (truncated) {
    throw new Error(
      `${what} sent more than ${MAX_RESPONSE_BYTES} bytes; refusing to read it. Try again later.`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${what} sent a body that is not JSON. Try again later.`, { cause: error });
  }
}

/** The body as text, stopping (and cancelling the rest) past `limit` bytes. */
async function readUpTo(response: Response, limit: number): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      chunks.push(value.subarray(0, value.byteLength - (size - limit)));
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

// Open-Meteo's errors are `{ "error": true, "reason": "..." }`.
function reasonOf(text: string): string {
  try {
    const body = JSON.parse(text) as { reason?: unknown };
    return typeof body.reason === 'string' ? ` (${body.reason})` : '';
  } catch {
    return '';
  }
}
