import { type Clock, defineTool, systemClock, type Tool, ToolError } from '@agent/core';
import { z } from 'zod';

/** Options of {@link currentTime}. */
export interface CurrentTimeOptions {
  /** Where the time comes from; inject a fixed clock in tests. @default systemClock */
  clock?: Clock;
}

/** What `current_time` returns. */
export interface CurrentTimeOutput {
  /** The instant in UTC, ISO 8601 (`2024-05-01T12:03:04.005Z`). */
  iso: string;
  /** The IANA time zone used, canonical spelling (`Europe/Paris`). */
  timezone: string;
  /** Wall-clock time in that zone with its offset (`2024-05-01T14:03:04.005+02:00`). */
  local: string;
  /** The zone's offset from UTC at that instant (`+02:00`). */
  offset: string;
  /** Day of the week in that zone, in English (`Wednesday`). */
  weekday: string;
  /** Milliseconds since the Unix epoch. */
  unixMs: number;
}

const MAX_CACHED_ZONES = 64;

/**
 * The `current_time` tool: the current instant in UTC and as local time in an IANA time zone
 * (UTC when none is given), with the offset and weekday, so the model never guesses the date.
 *
 * @example
 * ```ts
 * const agent = new Agent({ name: 'planner', model, tools: [currentTime()] });
 * ```
 */
export function currentTime(
  options: CurrentTimeOptions = {},
): Tool<{ timezone?: string | undefined }, CurrentTimeOutput> {
  const clock = options.clock ?? systemClock;
  const formatters = new Map<string, Intl.DateTimeFormat>();
  return defineTool({
    name: 'current_time',
    description:
      'Returns the current date and time: UTC (ISO 8601), local time with offset and weekday in an IANA time zone (default UTC), and Unix milliseconds.',
    input: z.object({
      timezone: z
        .string()
        .min(1)
        .max(64)
        .optional()
        .describe('IANA time zone name, e.g. "Europe/Paris" or "America/New_York". Default: UTC.'),
    }),
    output: z.object({
      iso: z.string(),
      timezone: z.string(),
      local: z.string(),
      offset: z.string(),
      weekday: z.string(),
      unixMs: z.number().int(),
    }),
    execute: ({ timezone }) => {
      const unixMs = clock.now();
      const requested = timezone ?? 'UTC';
      const formatter = formatterFor(requested, formatters);
      return {
        iso: new Date(unixMs).toISOString(),
        unixMs,
        timezone: displayName(requested, formatter),
        ...localTime(unixMs, formatter),
      };
    },
  });
}

function formatterFor(timezone: string, cache: Map<string, Intl.DateTimeFormat>): Intl.DateTimeFormat {
  const cached = cache.get(timezone);
  if (cached) return cached;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      fractionalSecondDigits: 3,
      weekday: 'long',
    });
  } catch (error) {
    throw new ToolError(
      'TOOL_INPUT_INVALID',
      'current_time',
      `current_time: unknown time zone "${timezone}". Use an IANA name like Europe/Paris, America/New_York or UTC.`,
      { cause: error },
    );
  }
  // Bounded: the model chooses the keys, so the cache must not grow without limit.
  if (cache.size >= MAX_CACHED_ZONES) cache.clear();
  cache.set(timezone, formatter);
  return formatter;
}

/**
 * The zone as the model asked for it, with ICU's capitalisation. ICU's own canonical name is not
 * used when it differs otherwise: it maps current names to legacy ones (Asia/Kolkata becomes
 * Asia/Calcutta), which would only confuse.
 */
function displayName(requested: string, formatter: Intl.DateTimeFormat): string {
  const resolved = formatter.resolvedOptions().timeZone;
  return resolved.toLowerCase() === requested.toLowerCase() ? resolved : requested;
}

function localTime(
  unixMs: number,
  formatter: Intl.DateTimeFormat,
): Omit<CurrentTimeOutput, 'iso' | 'unixMs' | 'timezone'> {
  const parts = Object.fromEntries(formatter.formatToParts(unixMs).map((part) => [part.type, part.value]));
  const number = (type: string) => Number(parts[type] ?? 0);
  const wallClockAsUtc = Date.UTC(
    number('year'),
    number('month') - 1,
    number('day'),
    number('hour'),
    number('minute'),
    number('second'),
    number('fractionalSecond'),
  );
  const offsetMinutes = Math.round((wallClockAsUtc - unixMs) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  const date = `${String(number('year')).padStart(4, '0')}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}:${parts.second}.${parts.fractionalSecond}`;
  return {
    local: `${date}T${time}${offset}`,
    offset,
    weekday: parts.weekday ?? '',
  };
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
