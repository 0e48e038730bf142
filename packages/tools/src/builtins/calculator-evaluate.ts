import type { Operator } from './calculator-lexer.js';
import { ExpressionError } from './calculator-lexer.js';
import type { ExpressionNode } from './calculator-parser.js';

interface MathFunction {
  minArgs: number;
  maxArgs: number;
  apply(args: number[], position: number): number;
}

const MAX_ARGS = 100;

const one = (apply: (value: number) => number): MathFunction => ({
  minArgs: 1,
  maxArgs: 1,
  apply: ([value = Number.NaN]) => apply(value),
});

// A Map, not an object: `constructor` or `__proto__` can never resolve to something callable.
const FUNCTIONS: ReadonlyMap<string, MathFunction> = new Map([
  ['sqrt', one(Math.sqrt)],
  ['abs', one(Math.abs)],
  ['floor', one(Math.floor)],
  ['ceil', one(Math.ceil)],
  ['log', one(Math.log10)],
  ['ln', one(Math.log)],
  ['exp', one(Math.exp)],
  ['sin', one(Math.sin)],
  ['cos', one(Math.cos)],
  ['tan', one(Math.tan)],
  ['min', { minArgs: 1, maxArgs: MAX_ARGS, apply: (args) => Math.min(...args) }],
  ['max', { minArgs: 1, maxArgs: MAX_ARGS, apply: (args) => Math.max(...args) }],
  ['round', { minArgs: 1, maxArgs: 2, apply: round }],
]);

/** The functions an expression may call. */
export const FUNCTION_NAMES: readonly string[] = [...FUNCTIONS.keys()];

/** `round(x)` to an integer, or `round(x, digits)` to 0-15 decimal places. */
function round([value = Number.NaN, digits = 0]: number[], position: number): number {
  if (!Number.isInteger(digits) || digits < 0 || digits > 15) {
    throw new ExpressionError('round(x, digits) needs a whole number of digits from 0 to 15', position);
  }
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * Evaluates a parsed expression. Division or remainder by zero, and any step whose result is not
 * a finite number (overflow, `sqrt(-1)`, `log(0)`), throw {@link ExpressionError} at the
 * operator or function responsible, so the model knows which part to fix.
 */
export function evaluate(node: ExpressionNode): number {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'unary': {
      const operand = evaluate(node.operand);
      return node.operator === '-' ? -operand : operand;
    }
    case 'binary': {
      const left = evaluate(node.left);
      const right = evaluate(node.right);
      if ((node.operator === '/' || node.operator === '%') && right === 0) {
        throw new ExpressionError(
          node.operator === '/' ? 'division by zero' : 'remainder by zero',
          node.position,
        );
      }
      return finite(applyOperator(node.operator, left, right), `'${node.operator}'`, node.position);
    }
    case 'call': {
      const fn = FUNCTIONS.get(node.name);
      if (!fn) throw new ExpressionError(`unknown function '${node.name}'`, node.position);
      if (node.args.length < fn.minArgs || node.args.length > fn.maxArgs) {
        const expected = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
        throw new ExpressionError(
          `${node.name}() takes ${expected} argument${expected === '1' ? '' : 's'}, got ${node.args.length}`,
          node.position,
        );
      }
      const args = node.args.map(evaluate);
      return finite(fn.apply(args, node.position), `${node.name}()`, node.position);
    }
  }
}

function applyOperator(operator: Operator, left: number, right: number): number {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return left / right;
    case '%':
      return left % right;
    default:
      return left ** right;
  }
}

function finite(value: number, what: string, position: number): number {
  if (Number.isFinite(value)) return value;
  const problem = Number.isNaN(value) ? 'is not a real number' : 'is too large (not finite)';
  throw new ExpressionError(`the result of ${what} ${problem}`, position);
}
