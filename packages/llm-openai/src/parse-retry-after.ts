/** Anything that can look up a response header by name, like the Fetch API's `Headers`. */
export interface HeaderLookup {
  get(name: string): string | null | undefined;
}

const DECIMAL = /^\s*\d+(?:\.\d+)?\s*$/;

/**
 * How long the vendor asked us to wait before retrying, in ms, or `undefined` when it did not say
 * (or said something unreadable).
 *
 * Reads `retry-after-ms` first (OpenAI's own header, in ms), then `retry-after` as delay-seconds
 * or as an HTTP date (RFC 9110). A date in the past means "now" and gives `0`. Negative numbers
 * and garbage give `undefined`, so callers fall back to their own backoff instead of trusting it.
 *
 * The Anthropic adapter keeps its own copy of this function for now; both follow ADR 0006.
 *
 * @param headers The response headers, e.g. `APIError.headers`.
 * @param now The current time in ms since the epoch; injectable so tests control time.
 * @example
 * ```ts
 * parseRetryAfter(new Headers({ 'retry-after': '2' })); // 2000
 * ```
 */
export function parseRetryAfter(
  headers: HeaderLookup | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;

  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds && DECIMAL.test(milliseconds)) return Math.ceil(Number(milliseconds));

  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (DECIMAL.test(value)) return Math.ceil(Number(value) * 1000);

  // Only a date-like value is worth Date.parse: it also accepts bare numbers such as "-1" or "12abc".
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
