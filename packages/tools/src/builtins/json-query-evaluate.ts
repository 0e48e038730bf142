import { testFilter } from './json-query-filter.js';
import type { Segment, Selector } from './json-query-syntax.js';
import { childrenOf, element, member } from './json-value.js';

/** Limits of one evaluation. */
export interface QueryLimits {
  /** Matches returned at most; the rest are dropped and `truncated` is set. */
  maxResults: number;
  /** `..` does not descend below this depth; deeper values are skipped and `truncated` is set. */
  maxDepth: number;
  /** Values visited at most over the whole query, so `$..*..*..*` cannot run away. */
  maxVisits: number;
}

/** The result of {@link evaluateQuery}. */
export interface QueryResult {
  matches: unknown[];
  truncated: boolean;
}

/** Thrown when a query visits more values than `maxVisits` allows. */
export class QueryBudgetError extends Error {}

/** Runs parsed segments against `root`, in document order. */
export function evaluateQuery(root: unknown, segments: readonly Segment[], limits: QueryLimits): QueryResult {
  const state = { visits: 0, truncated: false };
  const visit = () => {
    state.visits += 1;
    if (state.visits > limits.maxVisits) {
      throw new QueryBudgetError(`the query visited more than ${limits.maxVisits} values`);
    }
  };
  let nodes: unknown[] = [root];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const node of nodes) {
      const targets = segment.descendant ? descendants(node, limits.maxDepth, state, visit) : [node];
      for (const target of targets) {
        for (const picked of select(target, segment.selector, root)) {
          visit();
          next.push(picked);
        }
      }
    }
    nodes = next;
  }
  if (nodes.length > limits.maxResults) {
    return { matches: nodes.slice(0, limits.maxResults), truncated: true };
  }
  return { matches: nodes, truncated: state.truncated };
}

/** `node` and every value below it, pre-order, without recursion (deep data cannot blow the stack). */
function descendants(
  node: unknown,
  maxDepth: number,
  state: { truncated: boolean },
  visit: () => void,
): unknown[] {
  const result: unknown[] = [];
  const stack: Array<{ value: unknown; depth: number }> = [{ value: node, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() ?? { value: undefined, depth: 0 };
    visit();
    result.push(value);
    const children = childrenOf(value);
    if (children.length === 0) continue;
    if (depth >= maxDepth) {
      state.truncated = true;
      continue;
    }
    for (let index = children.length - 1; index >= 0; index -= 1)
      stack.push({ value: children[index], depth: depth + 1 });
  }
  return result;
}

function select(value: unknown, selector: Selector, root: unknown): unknown[] {
  switch (selector.kind) {
    case 'name': {
      const picked = member(value, selector.name);
      return picked === undefined ? [] : [picked];
    }
    case 'index': {
      const picked = element(value, selector.index);
      return picked === undefined ? [] : [picked];
    }
    case 'wildcard':
      return childrenOf(value);
    case 'slice':
      return Array.isArray(value) ? slice(value, selector.start, selector.end, selector.step ?? 1) : [];
    case 'filter':
      return childrenOf(value).filter((child) => testFilter(selector.test, child, root));
  }
}

/** RFC 9535 slice semantics: negative bounds count from the end, a negative step walks backwards. */
function slice(
  array: unknown[],
  start: number | undefined,
  end: number | undefined,
  step: number,
): unknown[] {
  const length = array.length;
  const normalise = (bound: number) => (bound < 0 ? length + bound : bound);
  const result: unknown[] = [];
  if (step > 0) {
    const lower = Math.min(Math.max(normalise(start ?? 0), 0), length);
    const upper = Math.min(Math.max(normalise(end ?? length), 0), length);
    for (let index = lower; index < upper; index += step) result.push(array[index]);
  } else {
    const upper = Math.min(Math.max(normalise(start ?? length - 1), -1), length - 1);
    const lower = Math.min(Math.max(end === undefined ? -1 : normalise(end), -1), length - 1);
    for (let index = upper; index > lower; index += step) result.push(array[index]);
  }
  return result;
}
