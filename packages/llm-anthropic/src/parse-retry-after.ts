/** Response headers as the SDK hands them over (`Headers`), or a plain record in tests. */
export type HeadersLike = Pick<Headers, 'get'> | Readonly<Record<string, string | undefined>>;

/**
 * How long the vendor asked us to wait before retrying, in ms: `retry-after-ms` (milliseconds,
 * Anthropic's precise header) first, else `retry-after` as seconds or as an HTTP date. `undefined`
 * when neither header is present or parseable. A date in the past gives `0`.
 *
 * `@agent/llm-openai` has its own copy of this function: the two vendors send the same headers,
 * and sharing it would put HTTP parsing into core's public API for two callers.
 *
 * @example
 * ```ts
 * parseRetryAfter(new Headers({ 'retry-after': '2' })); // 2000
 * parseRetryAfter({ 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' }, Date.parse('2026-10-21T07:27:30Z')); // 30000
 * ```
 */
export function parseRetryAfter(
  headers: HeadersLike | undefined,
  now: number = Date.now(),
): number | undefined {
  if (headers === undefined) return undefined;
  const milliseconds = parseNumber(readHeader(headers, 'retry-after-ms'));
  if (milliseconds !== undefined) return milliseconds;
  const value = readHeader(headers, 'retry-after');
  if (value === undefined) return undefined;
  const seconds = parseNumber(value);
  if (seconds !== undefined) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function readHeader(headers: HeadersLike, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as Pick<Headers, 'get'>).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | undefined>>;
  // Plain records come from tests and hand-built fetch responses, where casing varies.
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : record[key];
}

// Only plain non-negative decimals: `Number('')` is 0 and `parseFloat('1e3x')` is 1000, and a
// header that odd should fall through to "no hint" rather than to a made-up wait.
function parseNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : undefined;
}
