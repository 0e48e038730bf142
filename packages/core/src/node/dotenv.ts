import { readFile } from 'node:fs/promises';

/** Options of {@link parseDotenv}. */
export interface ParseDotenvOptions {
  /**
   * Called with the 1-based number of each line that is neither a `KEY=VALUE` pair, a comment nor
   * empty. The text is not passed, because a malformed line may hold a secret.
   */
  onInvalidLine?: (lineNumber: number) => void;
}

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;
const DOUBLE_QUOTE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/**
 * Parses `.env` text: `KEY=VALUE` lines, an optional `export ` prefix, `#` comments, single quotes
 * (literal) and double quotes (with `\n`, `\r`, `\t`, `\"` and `\\` escapes, may span lines).
 * Invalid lines are skipped; a later duplicate key wins.
 *
 * @example
 * ```ts
 * parseDotenv('export OPENAI_API_KEY="sk-..." # dev key\nPORT=8080'); // { OPENAI_API_KEY: 'sk-...', PORT: '8080' }
 * ```
 */
export function parseDotenv(text: string, options: ParseDotenvOptions = {}): Record<string, string> {
  // No prototype, so a `__proto__=x` line is just a key and cannot change the object's prototype.
  const values = Object.create(null) as Record<string, string>;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = ASSIGNMENT.exec(line);
    const key = match?.[1];
    const rest = match?.[2];
    if (key === undefined || rest === undefined) {
      options.onInvalidLine?.(index + 1);
      continue;
    }
    const quote = rest[0];
    if (quote !== '"' && quote !== "'") {
      // An unquoted value ends at a comment that follows whitespace; `a#b` keeps its `#`.
      values[key] = rest.replace(/(?:^|\s+)#.*$/, '').trim();
      continue;
    }
    const quoted = readQuoted(lines, index, rest, quote);
    if (quoted === undefined) {
      options.onInvalidLine?.(index + 1);
      continue;
    }
    values[key] = quoted.value;
    index = quoted.lastLine;
  }
  return values;
}

/** Reads a quoted value starting in `rest` (on line `start`), following it onto later lines. */
function readQuoted(
  lines: readonly string[],
  start: number,
  rest: string,
  quote: '"' | "'",
): { value: string; lastLine: number } | undefined {
  let body = rest.slice(1);
  for (let lineIndex = start; lineIndex < lines.length; lineIndex++) {
    const end = closingQuote(body, quote);
    if (end !== -1) {
      const raw = body.slice(0, end);
      const value =
        quote === "'"
          ? raw
          : raw.replace(/\\([nrt"\\])/g, (_, letter: string) => DOUBLE_QUOTE_ESCAPES[letter] ?? letter);
      return { value, lastLine: lineIndex };
    }
    const next = lines[lineIndex + 1];
    if (next === undefined) break;
    body += `\n${next}`;
  }
  return undefined;
}

function closingQuote(body: string, quote: '"' | "'"): number {
  for (let index = 0; index < body.length; index++) {
    // Only double quotes have escapes; in single quotes a backslash is literal.
    if (quote === '"' && body[index] === '\\') index++;
    else if (body[index] === quote) return index;
  }
  return -1;
}

/**
 * Reads and parses a `.env` file. A missing file yields `{}`, because `.env` is optional; any
 * other read error (permissions, a directory) is thrown.
 *
 * @example
 * ```ts
 * const fromFile = await loadDotenv('.env');
 * ```
 */
export async function loadDotenv(
  path: string,
  options: ParseDotenvOptions = {},
): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  return parseDotenv(text, options);
}
