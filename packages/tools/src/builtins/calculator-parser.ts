import { FUNCTION_NAMES } from './calculator-evaluate.js';
import { ExpressionError, Lexer, type Operator, type Token } from './calculator-lexer.js';

/** A parsed calculator expression. Positions point into the source, for error messages. */
export type ExpressionNode =
  | { kind: 'number'; value: number; position: number }
  | { kind: 'unary'; operator: '+' | '-'; operand: ExpressionNode; position: number }
  | { kind: 'binary'; operator: Operator; left: ExpressionNode; right: ExpressionNode; position: number }
  | { kind: 'call'; name: string; args: ExpressionNode[]; position: number };

/** The named constants, looked up in a `Map` so no prototype property can answer. */
export const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
]);

const FUNCTIONS: ReadonlySet<string> = new Set(FUNCTION_NAMES);

/**
 * Parses `expression` by recursive descent. Precedence, lowest first: `+ -`, `* / %`, unary
 * `+ -`, `^` (right-associative, so `2^3^2` is `2^(3^2)` and `-2^2` is `-(2^2)`). Nesting
 * (parentheses, calls, unary chains, power chains) deeper than `maxDepth` is refused, so a hostile
 * input cannot exhaust the stack. Throws {@link ExpressionError} with the position.
 */
export function parseExpression(expression: string, maxDepth: number): ExpressionNode {
  const lexer = new Lexer(expression);
  const peek = (): Token => lexer.peek();
  const next = (): Token => lexer.next();
  const is = (token: Token, text: string) => token.kind !== 'number' && token.text === text;
  const unexpected = (token: Token): ExpressionError =>
    token.kind === 'end'
      ? new ExpressionError('unexpected end of expression', token.position)
      : new ExpressionError(`unexpected '${token.text}'`, token.position);
  const enter = (depth: number, token: Token): number => {
    if (depth >= maxDepth)
      throw new ExpressionError(`expression nested deeper than ${maxDepth} levels`, token.position);
    return depth + 1;
  };

  const additive = (depth: number): ExpressionNode => {
    let left = multiplicative(depth);
    while (is(peek(), '+') || is(peek(), '-')) {
      const operator = next();
      left = binary(operator, left, multiplicative(depth));
    }
    return left;
  };

  const multiplicative = (depth: number): ExpressionNode => {
    let left = unary(depth);
    while (is(peek(), '*') || is(peek(), '/') || is(peek(), '%')) {
      const operator = next();
      left = binary(operator, left, unary(depth));
    }
    return left;
  };

  const unary = (depth: number): ExpressionNode => {
    const token = peek();
    if (is(token, '+') || is(token, '-')) {
      next();
      const operand = unary(enter(depth, token));
      return { kind: 'unary', operator: token.text === '-' ? '-' : '+', operand, position: token.position };
    }
    return power(depth);
  };

  const power = (depth: number): ExpressionNode => {
    const base = primary(depth);
    const token = peek();
    if (!is(token, '^')) return base;
    next();
    // The exponent is a unary expression: right-associative, and `2^-1` works.
    return binary(token, base, unary(enter(depth, token)));
  };

  const primary = (depth: number): ExpressionNode => {
    const token = next();
    if (token.kind === 'number') return { kind: 'number', value: token.value, position: token.position };
    if (token.kind === 'name') return named(token, depth);
    if (is(token, '(')) {
      const inner = additive(enter(depth, token));
      expect(')');
      return inner;
    }
    throw unexpected(token);
  };

  const named = (token: Token, depth: number): ExpressionNode => {
    const name = token.text.toLowerCase();
    const constant = CONSTANTS.get(name);
    const hint = `functions: ${FUNCTION_NAMES.join(', ')}; constants: ${[...CONSTANTS.keys()].join(', ')}`;
    // Checked before looking further, so `process.exit()` is refused on `process`.
    if (constant === undefined && !FUNCTIONS.has(name)) {
      throw new ExpressionError(`unknown name '${token.text}'`, token.position, hint);
    }
    const isCall = is(peek(), '(');
    if (constant !== undefined) {
      if (!isCall) return { kind: 'number', value: constant, position: token.position };
      throw new ExpressionError(`'${token.text}' is a constant, not a function`, token.position, hint);
    }
    if (!isCall)
      throw new ExpressionError(
        `function '${name}' needs arguments in parentheses, e.g. ${name}(2)`,
        token.position,
      );
    const inner = enter(depth, next());
    const args: ExpressionNode[] = [];
    if (!is(peek(), ')')) {
      args.push(additive(inner));
      while (is(peek(), ',')) {
        next();
        args.push(additive(inner));
      }
    }
    expect(')');
    return { kind: 'call', name, args, position: token.position };
  };

  const expect = (text: string): void => {
    const token = next();
    if (!is(token, text)) {
      throw token.kind === 'end'
        ? new ExpressionError(`expected '${text}' but the expression ended`, token.position)
        : new ExpressionError(`expected '${text}' but found '${token.text}'`, token.position);
    }
  };

  const tree = additive(0);
  const last = peek();
  if (last.kind !== 'end') throw unexpected(last);
  return tree;
}

function binary(token: Token, left: ExpressionNode, right: ExpressionNode): ExpressionNode {
  return { kind: 'binary', operator: token.text as Operator, left, right, position: token.position };
}
