/** A syntax error in a JSONPath query, at a 0-based character position. */
export class QueryError extends Error {
  constructor(
    message: string,
    /** 0-based index into the query. */
    readonly position: number,
  ) {
    super(`${message} at ${position}`);
    this.name = 'QueryError';
  }
}

/** What one step of a path picks from a value. */
export type Selector =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start: number | undefined; end: number | undefined; step: number | undefined }
  | { kind: 'filter'; test: FilterExpression };

/** One step: a selector, applied to the current values or (`..`) to them and all their descendants. */
export interface Segment {
  descendant: boolean;
  selector: Selector;
}

/** A comparison operator of a filter. */
export type Comparison = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A value in a filter: a literal, or a path from the current item (`@`) or the root (`$`). */
export type Operand =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'path'; root: '@' | '$'; steps: Selector[] };

/** A filter's boolean expression. */
export type FilterExpression =
  | { kind: 'or' | 'and'; left: FilterExpression; right: FilterExpression }
  | { kind: 'not'; operand: FilterExpression }
  | { kind: 'compare'; operator: Comparison; left: Operand; right: Operand }
  | { kind: 'exists'; path: Operand & { kind: 'path' } };

/** A position in the query text, with the small reads every parser needs. */
export class Cursor {
  position = 0;

  constructor(readonly text: string) {}

  get done(): boolean {
    return this.position >= this.text.length;
  }

  peek(offset = 0): string {
    return this.text[this.position + offset] ?? '';
  }

  startsWith(token: string): boolean {
    return this.text.startsWith(token, this.position);
  }

  skipSpaces(): void {
    while (/\s/.test(this.peek())) this.position += 1;
  }

  /** Consumes `token` if it comes next (after spaces). */
  eat(token: string): boolean {
    this.skipSpaces();
    if (!this.startsWith(token)) return false;
    this.position += token.length;
    return true;
  }

  expect(token: string): void {
    if (!this.eat(token)) throw this.unexpected(`expected '${token}'`);
  }

  /** The error for whatever is next: `expected ']' but found 'x' at 7` or `... but the query ended`. */
  unexpected(expectation?: string): QueryError {
    this.skipSpaces();
    const found = this.done ? 'the query ended' : `found '${this.peek()}'`;
    const message = expectation
      ? `${expectation} but ${found}`
      : this.done
        ? 'unexpected end of query'
        : `unexpected '${this.peek()}'`;
    return new QueryError(message, this.position);
  }

  /** Reads a pattern anchored here, or `undefined`. */
  read(pattern: RegExp): string | undefined {
    const sticky = new RegExp(pattern.source, 'y');
    sticky.lastIndex = this.position;
    const match = sticky.exec(this.text)?.[0];
    if (match !== undefined) this.position += match.length;
    return match;
  }
}

const NAME = /[A-Za-z0-9_$\u0080-\uffff-]+/;
const INTEGER = /-?\d+/;
const NUMBER = /-?(?:\d+(?:\.\d+)?)(?:[eE][+-]?\d+)?/;

/** A member name after `.` or `..`: letters, digits, `_`, `$`, `-` and any non-ASCII character. */
export function readName(cursor: Cursor): string | undefined {
  return cursor.read(NAME);
}

/** A whole number (array index or slice bound), refusing ones beyond the safe integer range. */
export function readInteger(cursor: Cursor): number | undefined {
  const start = cursor.position;
  const text = cursor.read(INTEGER);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new QueryError(`index ${text} is out of range`, start);
  return value;
}

/** A number literal in a filter. */
export function readNumber(cursor: Cursor): number | undefined {
  const text = cursor.read(NUMBER);
  return text === undefined ? undefined : Number(text);
}

/** A quoted string, `'...'` or `"..."`, with JSON-style escapes. */
export function readString(cursor: Cursor): string | undefined {
  const quote = cursor.peek();
  if (quote !== "'" && quote !== '"') return undefined;
  const start = cursor.position;
  cursor.position += 1;
  let value = '';
  while (!cursor.done && cursor.peek() !== quote) {
    const char = cursor.peek();
    cursor.position += 1;
    if (char !== '\\') {
      value += char;
      continue;
    }
    value += readEscape(cursor);
  }
  if (cursor.done) throw new QueryError('unterminated string', start);
  cursor.position += 1;
  return value;
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '/': '/',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

function readEscape(cursor: Cursor): string {
  const position = cursor.position - 1;
  const code = cursor.peek();
  cursor.position += 1;
  if (code === 'u') {
    const hex = cursor.read(/[0-9a-fA-F]{4}/);
    if (hex === undefined) throw new QueryError('invalid \\u escape', position);
    return String.fromCharCode(Number.parseInt(hex, 16));
  }
  const escaped = Object.hasOwn(ESCAPES, code) ? ESCAPES[code] : undefined;
  if (escaped === undefined) throw new QueryError(`invalid escape '\\${code}'`, position);
  return escaped;
}
