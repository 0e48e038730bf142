/** A syntax or evaluation error in an expression, at a 0-based character position. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    /** 0-based index into the expression where the problem is. */
    readonly position: number,
    hint?: string,
  ) {
    super(`${message} at ${position}${hint === undefined ? '' : ` (${hint})`}`);
    this.name = 'ExpressionError';
  }
}

/** An arithmetic operator. */
export type Operator = '+' | '-' | '*' | '/' | '%' | '^';

/** One token of a calculator expression. */
export type Token =
  | { kind: 'number'; value: number; text: string; position: number }
  | { kind: 'name'; text: string; position: number }
  | { kind: 'operator'; text: Operator; position: number }
  | { kind: 'punctuation'; text: '(' | ')' | ','; position: number }
  | { kind: 'end'; text: ''; position: number };

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const SPACE = /\s+/y;
const OPERATORS: ReadonlySet<string> = new Set<Operator>(['+', '-', '*', '/', '%', '^']);
const PUNCTUATION: ReadonlySet<string> = new Set(['(', ')', ',']);

const isOperator = (char: string): char is Operator => OPERATORS.has(char);
const isPunctuation = (char: string): char is '(' | ')' | ',' => PUNCTUATION.has(char);

/**
 * Reads tokens on demand, so a parse error left of a bad character is reported first
 * (`process.exit()` fails on the unknown name `process`, not on the `.`).
 */
export class Lexer {
  private position = 0;
  private lookahead: Token | undefined;

  constructor(private readonly expression: string) {}

  /** The next token, without consuming it. */
  peek(): Token {
    this.lookahead ??= this.read();
    return this.lookahead;
  }

  /** The next token, consumed. */
  next(): Token {
    const token = this.peek();
    this.lookahead = undefined;
    return token;
  }

  private read(): Token {
    const { expression } = this;
    const space = match(SPACE, expression, this.position);
    if (space !== undefined) this.position += space.length;
    const position = this.position;
    if (position >= expression.length) return { kind: 'end', text: '', position: expression.length };
    const number = match(NUMBER, expression, position);
    if (number !== undefined) {
      const value = Number(number);
      if (!Number.isFinite(value)) throw new ExpressionError(`number '${number}' is too large`, position);
      this.position += number.length;
      return { kind: 'number', value, text: number, position };
    }
    const name = match(NAME, expression, position);
    if (name !== undefined) {
      this.position += name.length;
      return { kind: 'name', text: name, position };
    }
    const char = expression[position] ?? '';
    if (char === '*' && expression[position + 1] === '*') {
      // `**` is JavaScript's power operator; say what to write instead of a bare "unexpected '*'".
      throw new ExpressionError("unexpected '**' (use ^ for powers)", position);
    }
    this.position += 1;
    if (isOperator(char)) return { kind: 'operator', text: char, position };
    if (isPunctuation(char)) return { kind: 'punctuation', text: char, position };
    throw new ExpressionError(`unexpected character '${char}'`, position);
  }
}

/** Every token of `expression`, ending with the `end` token. Throws {@link ExpressionError}. */
export function tokenize(expression: string): Token[] {
  const lexer = new Lexer(expression);
  const tokens = [lexer.next()];
  while (tokens.at(-1)?.kind !== 'end') tokens.push(lexer.next());
  return tokens;
}

function match(pattern: RegExp, text: string, position: number): string | undefined {
  pattern.lastIndex = position;
  return pattern.exec(text)?.[0];
}
