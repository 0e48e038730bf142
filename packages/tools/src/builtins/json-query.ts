import { defineTool, type Tool, ToolError } from '@agent/core';
import { z } from 'zod';
import { evaluateQuery, QueryBudgetError } from './json-query-evaluate.js';
import { parseQuery } from './json-query-parser.js';
import { QueryError } from './json-query-syntax.js';
import { parseToolOptions } from './tool-options.js';

/** Options of {@link jsonQuery}. */
export interface JsonQueryOptions {
  /** Longest query accepted, in characters. @default 1000 */
  maxQueryLength?: number;
  /** Matches returned at most; more are dropped and `truncated` is set. @default 1000 */
  maxResults?: number;
  /** Deepest level `..` descends to. @default 64 */
  maxDepth?: number;
  /** Values a query may visit in all, against queries like `$..*..*..*`. @default 1000000 */
  maxVisits?: number;
}

/** The options of `json_query`, as `tools.options.json_query` in the config file. */
export const jsonQueryOptionsSchema = z
  .object({
    maxQueryLength: z.number().int().positive().max(100_000).default(1000),
    maxResults: z.number().int().positive().max(1_000_000).default(1000),
    maxDepth: z.number().int().positive().max(10_000).default(64),
    maxVisits: z.number().int().positive().max(100_000_000).default(1_000_000),
  })
  .strict();

/** What `json_query` returns. */
export interface JsonQueryOutput {
  matches: unknown[];
  count: number;
  /** True when matches were dropped (over `maxResults`) or `..` stopped at `maxDepth`. */
  truncated: boolean;
}

const TOOL = 'json_query';

/**
 * The `json_query` tool: picks values out of JSON with a JSONPath subset (`$.store.book[0]`,
 * `$..author`, `$.items[-1]`, `$.items[1:3]`, `$.items[?(@.price > 10 && @.stock)]`). Its own
 * parser and evaluator; no `eval`. Bounded in query length, matches, depth and work.
 *
 * @example
 * ```ts
 * await jsonQuery().execute({ data: { a: [1, 2, 3] }, query: '$.a[-1]' }, context); // { matches: [3], count: 1, truncated: false }
 * ```
 */
export function jsonQuery(
  options: JsonQueryOptions = {},
): Tool<{ data?: unknown; query: string }, JsonQueryOutput> {
  const limits = parseToolOptions(TOOL, jsonQueryOptionsSchema, options, {
    maxQueryLength: 'use a positive whole number of characters, e.g. 1000',
    maxResults: 'use a positive whole number, e.g. 1000',
    maxDepth: 'use a positive whole number, e.g. 64',
    maxVisits: 'use a positive whole number, e.g. 1000000',
  });
  return defineTool({
    name: TOOL,
    description:
      "Queries JSON with JSONPath: $ root, .key or ['key'], [0] and [-1], [*], ..key (any depth), slices [1:3], filters [?(@.price > 10 && @.inStock)] with == != < <= > >= && || !. Returns every match.",
    input: z.object({
      data: z.unknown().describe('The JSON value to query, or a string holding JSON text.'),
      query: z
        .string()
        .min(1)
        .describe('JSONPath query starting with $, e.g. "$.items[?(@.price < 5)].name".'),
    }),
    output: z.object({ matches: z.array(z.unknown()), count: z.number().int(), truncated: z.boolean() }),
    execute: ({ data, query }) => {
      if (query.length > limits.maxQueryLength) {
        throw invalid(
          `the query is ${query.length} characters long; at most ${limits.maxQueryLength} are allowed.`,
        );
      }
      try {
        const segments = parseQuery(query);
        const { matches, truncated } = evaluateQuery(parseData(data), segments, limits);
        return { matches, count: matches.length, truncated };
      } catch (error) {
        if (error instanceof QueryError) {
          throw invalid(`${error.message} in "${query}". Fix the query and try again.`, error);
        }
        if (error instanceof QueryBudgetError) {
          throw invalid(`${error.message}. Use a narrower query (fewer '..' and '*').`, error);
        }
        throw error;
      }
    },
  });
}

/** A string is JSON text to parse; anything else is the value itself. */
function parseData(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch (error) {
    throw invalid(
      `data is a string but not valid JSON (${(error as Error).message}). Pass the JSON value itself, or valid JSON text.`,
      error,
    );
  }
}

function invalid(message: string, cause?: unknown): ToolError {
  return new ToolError('TOOL_INPUT_INVALID', TOOL, `json_query: ${message}`, { cause });
}
