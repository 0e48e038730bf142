import { defineTool, type Tool, ToolError } from '@agent/core';
import { z } from 'zod';
import { evaluate, FUNCTION_NAMES } from './calculator-evaluate.js';
import { ExpressionError } from './calculator-lexer.js';
import { parseExpression } from './calculator-parser.js';
import { parseToolOptions } from './tool-options.js';

/** Options of {@link calculator}. */
export interface CalculatorOptions {
  /** Longest expression accepted, in characters. @default 1000 */
  maxLength?: number;
  /** Deepest nesting of parentheses, calls, signs and powers. @default 64 */
  maxDepth?: number;
}

/** The options of `calculator`, as `tools.options.calculator` in the config file. */
export const calculatorOptionsSchema = z
  .object({
    maxLength: z.number().int().positive().max(100_000).default(1000),
    maxDepth: z.number().int().positive().max(500).default(64),
  })
  .strict();

/** What `calculator` returns. */
export interface CalculatorOutput {
  expression: string;
  result: number;
}

/**
 * The `calculator` tool: evaluates arithmetic with a real parser (no `eval`, no `Function`).
 * Supports numbers (`1.5`, `.5`, `1e3`), `+ - * / %`, `^` (right-associative power), unary
 * signs, parentheses, `sqrt abs round floor ceil min max log ln exp sin cos tan` (`log` is base
 * 10, `ln` natural, angles in radians) and the constants `pi` and `e`. Errors name the position.
 *
 * @example
 * ```ts
 * const agent = new Agent({ name: 'math', model, tools: [calculator()] });
 * await calculator().execute({ expression: '2 * (3 + 4)^2' }, context); // { expression, result: 98 }
 * ```
 */
export function calculator(options: CalculatorOptions = {}): Tool<{ expression: string }, CalculatorOutput> {
  const { maxLength, maxDepth } = parseToolOptions('calculator', calculatorOptionsSchema, options, {
    maxLength: 'use a positive whole number of characters, e.g. 1000',
    maxDepth: 'use a positive whole number up to 500, e.g. 64',
  });
  return defineTool({
    name: 'calculator',
    description: `Evaluates an arithmetic expression exactly as written and returns the number. Operators: + - * / % (remainder) ^ (power), parentheses; functions: ${FUNCTION_NAMES.join(', ')} (log is base 10, ln natural, angles in radians); constants: pi, e. Example: "sqrt(2) * (3 + 4)^2".`,
    input: z.object({
      expression: z.string().min(1).describe('The expression, e.g. "2 * (3 + 4)^2 / sqrt(16)".'),
    }),
    output: z.object({ expression: z.string(), result: z.number() }),
    execute: ({ expression }) => {
      if (expression.length > maxLength) {
        throw invalid(
          `the expression is ${expression.length} characters long; at most ${maxLength} are allowed. Split the calculation into smaller steps.`,
        );
      }
      try {
        const result = evaluate(parseExpression(expression, maxDepth));
        // -0 is an artefact of floating point (e.g. `-0 * 5`), never what the model means.
        return { expression, result: result === 0 ? 0 : result };
      } catch (error) {
        if (error instanceof ExpressionError)
          throw invalid(
            `${error.message} in "${excerpt(expression)}". Fix the expression and try again.`,
            error,
          );
        throw error;
      }
    },
  });
}

function invalid(message: string, cause?: unknown): ToolError {
  return new ToolError('TOOL_INPUT_INVALID', 'calculator', `calculator: ${message}`, { cause });
}

function excerpt(expression: string): string {
  return expression.length > 200 ? `${expression.slice(0, 200)}…` : expression;
}
