import {
  type Comparison,
  Cursor,
  type FilterExpression,
  type Operand,
  QueryError,
  readInteger,
  readName,
  readNumber,
  readString,
  type Segment,
  type Selector,
} from './json-query-syntax.js';

const MAX_FILTER_NESTING = 32;
const COMPARISONS: readonly Comparison[] = ['==', '!=', '<=', '>=', '<', '>'];

/**
 * Parses a JSONPath query (a practical subset of RFC 9535): `$`, `.key`, `['key']`, `[n]`,
 * `[-1]`, `[*]`, `.*`, `..key` / `..*` / `..[...]`, slices `[a:b]` / `[a:b:step]`, and filters
 * `[?(@.price > 10 && @.tags)]` with `== != < <= > >=`, `&& || !`, parentheses, literals and
 * `@`/`$` paths. Throws {@link QueryError} with the position.
 */
export function parseQuery(query: string): Segment[] {
  const cursor = new Cursor(query);
  cursor.skipSpaces();
  if (!cursor.eat('$')) throw new QueryError("a query starts with '$' (the root)", cursor.position);
  const segments: Segment[] = [];
  for (;;) {
    cursor.skipSpaces();
    if (cursor.done) return segments;
    if (cursor.eat('..')) {
      segments.push({ descendant: true, selector: afterDot(cursor, true) });
    } else if (cursor.eat('.')) {
      segments.push({ descendant: false, selector: afterDot(cursor, false) });
    } else if (cursor.peek() === '[') {
      segments.push({ descendant: false, selector: bracket(cursor) });
    } else {
      throw cursor.unexpected();
    }
  }
}

/** What may follow `.` (a name or `*`) or `..` (also a bracket). */
function afterDot(cursor: Cursor, descendant: boolean): Selector {
  if (cursor.eat('*')) return { kind: 'wildcard' };
  if (descendant && cursor.peek() === '[') return bracket(cursor);
  const name = readName(cursor);
  if (name === undefined)
    throw cursor.unexpected(descendant ? "expected a name, '*' or '['" : "expected a name or '*'");
  return { kind: 'name', name };
}

function bracket(cursor: Cursor): Selector {
  cursor.expect('[');
  cursor.skipSpaces();
  let selector: Selector;
  if (cursor.eat('*')) {
    selector = { kind: 'wildcard' };
  } else if (cursor.eat('?')) {
    selector = { kind: 'filter', test: orExpression(cursor, 0) };
  } else {
    const name = readString(cursor);
    selector = name !== undefined ? { kind: 'name', name } : indexOrSlice(cursor);
  }
  cursor.expect(']');
  return selector;
}

function indexOrSlice(cursor: Cursor): Selector {
  const start = readInteger(cursor);
  if (!cursor.eat(':')) {
    if (start === undefined) throw cursor.unexpected("expected an index, a quoted name, '*', a slice or '?'");
    return { kind: 'index', index: start };
  }
  cursor.skipSpaces();
  const end = readInteger(cursor);
  let step: number | undefined;
  if (cursor.eat(':')) {
    cursor.skipSpaces();
    const position = cursor.position;
    step = readInteger(cursor);
    if (step === 0) throw new QueryError('a slice step cannot be 0', position);
  }
  return { kind: 'slice', start, end, step };
}

function orExpression(cursor: Cursor, depth: number): FilterExpression {
  let left = andExpression(cursor, depth);
  while (cursor.eat('||')) left = { kind: 'or', left, right: andExpression(cursor, depth) };
  return left;
}

function andExpression(cursor: Cursor, depth: number): FilterExpression {
  let left = unaryExpression(cursor, depth);
  while (cursor.eat('&&')) left = { kind: 'and', left, right: unaryExpression(cursor, depth) };
  return left;
}

function unaryExpression(cursor: Cursor, depth: number): FilterExpression {
  cursor.skipSpaces();
  const position = cursor.position;
  if (depth >= MAX_FILTER_NESTING)
    throw new QueryError(`filter nested deeper than ${MAX_FILTER_NESTING} levels`, position);
  // `!=` is a comparison, never a negation.
  if (cursor.peek() === '!' && cursor.peek(1) !== '=') {
    cursor.position += 1;
    return { kind: 'not', operand: unaryExpression(cursor, depth + 1) };
  }
  if (cursor.eat('(')) {
    const inner = orExpression(cursor, depth + 1);
    cursor.expect(')');
    return inner;
  }
  const left = operand(cursor);
  const operator = COMPARISONS.find((candidate) => cursor.eat(candidate));
  if (operator) return { kind: 'compare', operator, left, right: operand(cursor) };
  if (left.kind === 'literal') {
    throw new QueryError('a literal alone is not a test; compare it, e.g. @.price > 10', position);
  }
  return { kind: 'exists', path: left };
}

function operand(cursor: Cursor): Operand {
  cursor.skipSpaces();
  const root = cursor.peek();
  if (root === '@' || root === '$') {
    cursor.position += 1;
    return { kind: 'path', root, steps: singularSteps(cursor) };
  }
  const text = readString(cursor);
  if (text !== undefined) return { kind: 'literal', value: text };
  const number = readNumber(cursor);
  if (number !== undefined) return { kind: 'literal', value: number };
  for (const [word, value] of [
    ['true', true],
    ['false', false],
    ['null', null],
  ] as const) {
    if (cursor.read(new RegExp(`${word}(?![A-Za-z0-9_])`)) !== undefined) return { kind: 'literal', value };
  }
  throw cursor.unexpected("expected '@', '$', a string, a number, true, false or null");
}

/** `.name`, `['name']` and `[n]` steps after `@` or `$` in a filter: each picks at most one value. */
function singularSteps(cursor: Cursor): Selector[] {
  const steps: Selector[] = [];
  for (;;) {
    if (cursor.startsWith('.') && !cursor.startsWith('..')) {
      cursor.position += 1;
      const name = readName(cursor);
      if (name === undefined) throw cursor.unexpected('expected a name');
      steps.push({ kind: 'name', name });
    } else if (cursor.startsWith('[')) {
      cursor.position += 1;
      cursor.skipSpaces();
      const name = readString(cursor);
      const index = name === undefined ? readInteger(cursor) : undefined;
      if (name === undefined && index === undefined)
        throw cursor.unexpected('expected a quoted name or an index');
      steps.push(name !== undefined ? { kind: 'name', name } : { kind: 'index', index: index ?? 0 });
      cursor.expect(']');
    } else {
      return steps;
    }
  }
}
