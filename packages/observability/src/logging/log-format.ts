/** How log lines are written: one JSON object per line, or one readable line for humans. */
export type LogFormat = 'json' | 'pretty';

/** The formats {@link createLogger} accepts. */
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/** A line's fields as the logger assembled them: `timestamp`, `level`, `message`, then the rest. */
export type LogRecord = Record<string, unknown>;

const RESERVED = new Set(['timestamp', 'level', 'message']);

const ANSI = {
  reset: '\u001b[0m',
  dim: '\u001b[2m',
  level: { debug: '\u001b[90m', info: '\u001b[32m', warn: '\u001b[33m', error: '\u001b[31m' } as Record<
    string,
    string
  >,
};

/** One JSON object, on one line. `record` must be JSON-safe (the logger makes sure of it). */
export function renderJson(record: LogRecord): string {
  return JSON.stringify(record);
}

// A value that reads unambiguously without quotes: no spaces, quotes, `=` or backslashes.
const BARE = /^[^\s"=\\]+$/;

// Control characters (a newline in a message) would split the line or drive the terminal.
const escapeControl = (text: string): string =>
  text.replace(/\p{Cc}/gu, (char) => JSON.stringify(char).slice(1, -1));

function renderValue(value: unknown): string {
  if (typeof value === 'string') return BARE.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/**
 * One line for a human: `2024-01-15T10:30:45.123Z INFO  run started runId=r-1 tokens=12`.
 * Strings print bare when that is unambiguous, everything else as compact JSON; control
 * characters are escaped so a line is always one line. `color` adds ANSI colours.
 */
export function renderPretty(record: LogRecord, color: boolean): string {
  const level = String(record.level);
  const paint = (code: string | undefined, text: string): string =>
    color && code !== undefined ? `${code}${text}${ANSI.reset}` : text;
  let line = `${paint(ANSI.dim, String(record.timestamp))} ${paint(ANSI.level[level], level.toUpperCase().padEnd(5))} ${escapeControl(String(record.message))}`;
  for (const [key, value] of Object.entries(record)) {
    if (RESERVED.has(key) || value === undefined) continue;
    line += ` ${paint(ANSI.dim, `${escapeControl(key)}=`)}${escapeControl(renderValue(value))}`;
  }
  return line;
}

/**
 * Whether to colour pretty output written to `stream`: only a terminal, and only when
 * `NO_COLOR` is not set to a non-empty value (https://no-color.org).
 */
export function shouldUseColor(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined>,
): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}
