import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, ConfigError } from '@agent/core';
import { ScriptedModel, testToolContext, textResponse, toolCallResponse } from '@agent/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_TOOL_NAMES, builtinTools, createBuiltinTool, isBuiltinToolName } from './builtin-tools.js';

let cwd: string;

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'agent-tools-catalog-'));
  mkdirSync(join(cwd, 'data'));
  writeFileSync(join(cwd, 'data', 'note.txt'), 'from the config directory');
});

afterAll(() => {
  rmSync(cwd, { recursive: true, force: true });
});

const fullOptions = {
  http_fetch: { allow: ['api.github.com'] },
  read_file: { root: './data' },
  list_files: { root: 'data' },
};

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('createBuiltinTool', () => {
  it.each(BUILTIN_TOOL_NAMES)('builds %s with its options', (name) => {
    const tool = createBuiltinTool(name, fullOptions, { cwd });

    expect(tool.name).toBe(name);
    expect(tool.output).toBeDefined();
    expect(isBuiltinToolName(name)).toBe(true);
  });

  it('resolves a relative root against the cwd it is given', async () => {
    const tool = createBuiltinTool('read_file', fullOptions, { cwd });

    const output = await tool.execute({ path: 'note.txt', encoding: 'utf8' }, testToolContext());

    expect(output).toMatchObject({ content: 'from the config directory' });
  });

  it('passes the clock to current_time', async () => {
    const tool = createBuiltinTool('current_time', {}, { clock: { now: () => 0 } });

    expect(await tool.execute({}, testToolContext())).toMatchObject({ iso: '1970-01-01T00:00:00.000Z' });
  });

  it.each([
    ['http_fetch', {}, 'Built-in tool http_fetch is enabled but tools.options.http_fetch.allow is not set'],
    ['read_file', {}, 'tools.options.read_file.root is not set'],
    ['list_files', { list_files: { maxEntries: 5 } }, 'tools.options.list_files.root is not set'],
    ['http_fetch', { http_fetch: { allow: 'api.github.com' } }, 'tools.options.http_fetch.allow'],
    [
      'http_fetch',
      { http_fetch: { allow: ['x.com'], timeoutMs: '10s' } },
      'tools.options.http_fetch.timeoutMs',
    ],
    [
      'http_fetch',
      { http_fetch: { allow: ['x.com'], dialOverride: 'evil' } },
      'Unknown option "dialOverride"',
    ],
    ['calculator', { calculator: { precision: 2 } }, 'tools.options.calculator.precision'],
    ['current_time', { current_time: { zone: 'UTC' } }, 'this tool takes no options'],
    ['json_query', { json_query: 5 }, 'tools.options.json_query must be an object of options, got number'],
    ['json_query', { json_query: [1] }, 'got an array'],
    ['read_file', { read_file: { root: './missing' } }, 'does not exist'],
    ['list_files', { list_files: { root: 7 } }, 'tools.options.list_files.root'],
    [
      'weather',
      {},
      'Unknown built-in tool "weather" in tools.builtins. Fix: use one of http_fetch, calculator',
    ],
  ])('refuses %s with %j', (name, options, message) => {
    const error = configErrorOf(() => createBuiltinTool(name, options, { cwd }));

    expect(error.message).toContain(message);
    expect(error.message).toContain('Fix');
  });

  it('does not treat prototype names as tools or options', () => {
    expect(isBuiltinToolName('constructor')).toBe(false);
    expect(() => createBuiltinTool('toString')).toThrow(ConfigError);
    expect(
      createBuiltinTool('calculator', Object.create({ calculator: { bogus: 1 } }) as Record<string, unknown>)
        .name,
    ).toBe('calculator');
  });
});

describe('builtinTools', () => {
  it('builds the enabled tools in order', () => {
    const tools = builtinTools(['calculator', 'read_file', 'current_time'], fullOptions, { cwd });

    expect(tools.map((tool) => tool.name)).toEqual(['calculator', 'read_file', 'current_time']);
  });

  it('refuses a name listed twice', () => {
    expect(() => builtinTools(['calculator', 'calculator'])).toThrow('listed twice');
  });

  it('gives an agent an http_fetch that refuses the metadata endpoint, and tells the model why', async () => {
    const model = new ScriptedModel([
      toolCallResponse('http_fetch', { url: 'http://169.254.169.254/latest/meta-data/' }),
      textResponse('I cannot reach that.'),
    ]);
    const agent = new Agent({ name: 'fetcher', model, tools: builtinTools(['http_fetch'], fullOptions) });

    const result = await agent.run('read the metadata');

    expect(result.output).toBe('I cannot reach that.');
    expect(model.calls[1]?.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: expect.stringContaining('host "169.254.169.254" is not on the allowlist (api.github.com)'),
    });
    model.assertComplete();
  });
});
