import type { Comparison, FilterExpression, Operand } from './json-query-syntax.js';
import { element, isObject, member } from './json-value.js';

/** Whether `current` passes a filter; `$` paths in it read from `root`. */
export function testFilter(expression: FilterExpression, current: unknown, root: unknown): boolean {
  switch (expression.kind) {
    case 'or':
      return testFilter(expression.left, current, root) || testFilter(expression.right, current, root);
    case 'and':
      return testFilter(expression.left, current, root) && testFilter(expression.right, current, root);
    case 'not':
      return !testFilter(expression.operand, current, root);
    case 'exists':
      return resolve(expression.path, current, root) !== undefined;
    case 'compare':
      return compare(
        expression.operator,
        resolve(expression.left, current, root),
        resolve(expression.right, current, root),
      );
  }
}

function resolve(operand: Operand, current: unknown, root: unknown): unknown {
  if (operand.kind === 'literal') return operand.value;
  let value = operand.root === '@' ? current : root;
  for (const step of operand.steps) {
    value =
      step.kind === 'name'
        ? member(value, step.name)
        : step.kind === 'index'
          ? element(value, step.index)
          : undefined;
    if (value === undefined) return undefined;
  }
  return value;
}

function compare(operator: Comparison, left: unknown, right: unknown): boolean {
  if (operator === '==') return equal(left, right);
  if (operator === '!=') return !equal(left, right);
  const comparable =
    (typeof left === 'number' && typeof right === 'number') ||
    (typeof left === 'string' && typeof right === 'string');
  if (!comparable) return false;
  const [a, b] = [left as number | string, right as number | string];
  if (operator === '<') return a < b;
  if (operator === '<=') return a <= b;
  if (operator === '>') return a > b;
  return a >= b;
}

const MAX_EQUALITY_DEPTH = 256;

/**
 * JSON equality: same primitive, or arrays/objects with equal members. A missing value equals
 * only another missing one. Structures nested deeper than 256 levels compare unequal rather than
 * risk the stack.
 */
function equal(left: unknown, right: unknown, depth = 0): boolean {
  if (left === right) return true;
  if (depth >= MAX_EQUALITY_DEPTH) return false;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => equal(item, right[index], depth + 1));
  }
  if (isObject(left) && isObject(right)) {
    const keys = Object.keys(left);
    return (
      keys.length === Object.keys(right).length &&
      keys.every(
        (key) => Object.hasOwn(right, key) && equal(member(left, key), member(right, key), depth + 1),
      )
    );
  }
  return false;
}
