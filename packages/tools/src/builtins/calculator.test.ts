import { Agent, ConfigError, ToolError } from '@agent/core';
import { ScriptedModel, testToolContext, textResponse, toolCallResponse } from '@agent/core/testing';
import { describe, expect, it } from 'vitest';
import { calculator } from './calculator.js';
import { tokenize } from './calculator-lexer.js';

const tool = calculator();

function calc(expression: string): number {
  const output = tool.execute({ expression }, testToolContext()) as { result: number };
  return output.result;
}

function errorOf(expression: string, options = {}): ToolError {
  try {
    calculator(options).execute({ expression }, testToolContext());
  } catch (error) {
    if (error instanceof ToolError) return error;
    throw error;
  }
  throw new Error(`expected "${expression}" to be refused`);
}

describe('calculator grammar', () => {
  it.each([
    ['1 + 2', 3],
    ['2 + 3 * 4', 14],
    ['(2 + 3) * 4', 20],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['2 * 3 % 4', 2],
    ['2 ^ 3 ^ 2', 512],
    ['(2 ^ 3) ^ 2', 64],
    ['-2 ^ 2', -4],
    ['(-2) ^ 2', 4],
    ['2 ^ -1', 0.5],
    ['--3', 3],
    ['+-+3', -3],
    ['-(1 + 2) * 3', -9],
    ['3 * -2', -6],
    ['1.5 + .5', 2],
    ['1e3', 1000],
    ['2.5E-1', 0.25],
    ['1e+2 * 2', 200],
    ['5.', 5],
    ['  4\t*\n2 ', 8],
    ['sqrt(16) + abs(-3)', 7],
    ['round(2.5) + floor(2.9) + ceil(2.1)', 8],
    ['round(3.14159, 2)', 3.14],
    ['min(3, 1, 2) + max(3, 1, 2)', 4],
    ['max(5)', 5],
    ['log(1000)', 3],
    ['ln(e)', 1],
    ['exp(0)', 1],
    ['sin(0) + cos(0) + tan(0)', 1],
    ['cos(pi)', -1],
    ['PI * 0 + SQRT(9)', 3],
    ['-0 * 5', 0],
    ['sqrt(sqrt(sqrt(256)))', 2],
    ['2 * (3 + 4) ^ 2 / sqrt(16)', 24.5],
  ])('%s = %d', (expression, expected) => {
    expect(calc(expression)).toBeCloseTo(expected, 12);
  });

  it('returns a clean 0 for negative zero', () => {
    expect(Object.is(calc('-0 * 5'), 0)).toBe(true);
  });

  it('echoes the expression with the result', () => {
    expect(tool.execute({ expression: '6*7' }, testToolContext())).toEqual({ expression: '6*7', result: 42 });
  });
});

describe('calculator refusals', () => {
  it.each([
    ['(1 + 2))', "unexpected ')' at 7"],
    ['1 +', 'unexpected end of expression at 3'],
    ['(1 + 2', "expected ')' but the expression ended at 6"],
    ['max(1 2)', "expected ')' but found '2' at 6"],
    ['', 'unexpected end of expression at 0'],
    ['2 3', "unexpected '3' at 2"],
    ['1.2.3', "unexpected '.3' at 3"],
    ['2pi', "unexpected 'pi' at 1"],
    ['*2', "unexpected '*' at 0"],
    ['2 ** 3', "unexpected '**' (use ^ for powers) at 2"],
    ['1 / 0', 'division by zero at 2'],
    ['5 % (2 - 2)', 'remainder by zero at 2'],
    ['10 ^ 400', "the result of '^' is too large (not finite) at 3"],
    ['sqrt(-1)', 'the result of sqrt() is not a real number at 0'],
    ['log(0)', 'the result of log() is too large'],
    ['1e999', "number '1e999' is too large at 0"],
    ['sqrt(1, 2)', 'sqrt() takes 1 argument, got 2 at 0'],
    ['min()', 'min() takes 1 to 100 arguments, got 0'],
    ['round(1.5, 0.5)', 'round(x, digits) needs a whole number of digits'],
    ['sqrt', "function 'sqrt' needs arguments in parentheses"],
    ['pi(2)', "'pi' is a constant, not a function at 0"],
    ['foo(1)', "unknown name 'foo' at 0"],
    ['x + 1', "unknown name 'x' at 0"],
    ['constructor', "unknown name 'constructor' at 0"],
    ['__proto__', "unknown name '__proto__' at 0"],
    ['toString()', "unknown name 'toString' at 0"],
    ['process.exit()', "unknown name 'process' at 0"],
    ['require("fs")', "unknown name 'require' at 0"],
    ['this', "unknown name 'this' at 0"],
    ['1; process.exit(1)', "unexpected character ';' at 1"],
    ['[1] + 1', "unexpected character '[' at 0"],
    ['"a" + 1', `unexpected character '"' at 0`],
    ['2 = 2', "unexpected character '=' at 2"],
  ])('refuses %j: %s', (expression, message) => {
    const error = errorOf(expression);

    expect(error.code).toBe('TOOL_INPUT_INVALID');
    expect(error.message).toContain(message);
    expect(error.message).toContain('Fix the expression');
  });

  it('refuses an expression longer than maxLength before parsing it', () => {
    const error = errorOf('1+'.repeat(600), { maxLength: 1000 });

    expect(error.message).toContain('1200 characters long; at most 1000');
  });

  it('refuses nesting deeper than maxDepth for parentheses, signs, calls and powers', () => {
    const parens = `${'('.repeat(65)}1${')'.repeat(65)}`;

    expect(errorOf(parens).message).toContain('nested deeper than 64 levels');
    expect(errorOf(`${'-'.repeat(65)}1`).message).toContain('nested deeper than 64');
    expect(errorOf(`${'abs('.repeat(65)}1${')'.repeat(65)}`).message).toContain('nested deeper');
    expect(errorOf(Array.from({ length: 66 }, () => '1').join('^')).message).toContain('nested deeper');
    expect(calc(`${'('.repeat(60)}1${')'.repeat(60)}`)).toBe(1);
  });

  it('rejects bad options with a ConfigError naming the option', () => {
    expect(() => calculator({ maxDepth: 0 })).toThrow(ConfigError);
    expect(() => calculator({ maxDepth: 0 })).toThrow('tools.options.calculator.maxDepth');
  });
});

describe('calculator tokenizer', () => {
  it('keeps positions and splits numbers, names, operators and punctuation', () => {
    expect(tokenize('max(1e3, x)^2').map((token) => [token.kind, token.text, token.position])).toEqual([
      ['name', 'max', 0],
      ['punctuation', '(', 3],
      ['number', '1e3', 4],
      ['punctuation', ',', 7],
      ['name', 'x', 9],
      ['punctuation', ')', 10],
      ['operator', '^', 11],
      ['number', '2', 12],
      ['end', '', 13],
    ]);
  });

  it('leaves a dangling exponent marker to the parser ("2e" is 2 then the name e)', () => {
    expect(tokenize('2e').map((token) => token.text)).toEqual(['2', 'e', '']);
  });
});

describe('calculator in an agent', () => {
  it('answers the model, and turns a bad expression into an error message it can act on', async () => {
    const model = new ScriptedModel([
      toolCallResponse('calculator', { expression: '(1 + 2))' }),
      toolCallResponse('calculator', { expression: '(1 + 2) * 3' }),
      textResponse('9'),
    ]);
    const agent = new Agent({ name: 'math', model, tools: [calculator()] });

    const result = await agent.run('what is (1+2)*3?');

    expect(result.output).toBe('9');
    const refused = model.calls[1]?.messages.at(-1);
    const answered = model.calls[2]?.messages.at(-1);
    expect(refused).toMatchObject({ role: 'tool', content: expect.stringContaining("unexpected ')' at 7") });
    expect(answered).toMatchObject({ role: 'tool', content: '{"expression":"(1 + 2) * 3","result":9}' });
    model.assertComplete();
  });
});
