import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, ToolError } from '../errors/errors.js';
import { defineTool } from './define-tool.js';
import { ToolRegistry } from './tool-registry.js';

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its input.',
  input: z.object({ text: z.string().describe('What to echo') }),
  execute: ({ text }) => text,
});

describe('defineTool', () => {
  it('refuses a name that providers would reject', () => {
    expect(() =>
      defineTool({ name: 'has space', description: 'x', input: z.object({}), execute: () => 1 }),
    ).toThrow(ConfigError);
  });

  it('refuses an empty description, because the model needs it', () => {
    expect(() => defineTool({ name: 'a', description: '  ', input: z.object({}), execute: () => 1 })).toThrow(
      /empty description/,
    );
  });

  it('refuses an input schema that is not an object', () => {
    expect(() => defineTool({ name: 'a', description: 'x', input: z.string(), execute: () => 1 })).toThrow(
      /must be a z.object/,
    );
  });

  it('refuses a non-positive timeout', () => {
    expect(() =>
      defineTool({ name: 'a', description: 'x', input: z.object({}), timeoutMs: 0, execute: () => 1 }),
    ).toThrow(/timeoutMs must be a positive number/);
  });

  it('computes the input JSON Schema once, without $schema', () => {
    expect(echo.inputJsonSchema).toEqual({
      type: 'object',
      properties: { text: { type: 'string', description: 'What to echo' } },
      required: ['text'],
    });
  });

  it('normalises deprecated: true to an empty notice and keeps a replacement', () => {
    const old = defineTool({
      name: 'a',
      description: 'x',
      input: z.object({}),
      deprecated: true,
      execute: () => 1,
    });
    const replaced = defineTool({
      name: 'b',
      description: 'x',
      input: z.object({}),
      deprecated: { replacement: 'c' },
      version: '1.0.0',
      execute: () => 1,
    });

    expect(old.deprecated).toEqual({});
    expect(replaced.deprecated).toEqual({ replacement: 'c' });
    expect(replaced.version).toBe('1.0.0');
  });
});

describe('ToolRegistry', () => {
  it('throws a clear TOOL_DUPLICATE error when a name is registered twice', () => {
    const registry = new ToolRegistry([echo]);
    const other = defineTool({
      name: 'echo',
      description: 'Another.',
      input: z.object({}),
      execute: () => 1,
    });

    expect(() => registry.register(other)).toThrow(ToolError);
    expect(() => registry.register(other)).toThrow(/A tool named "echo" is already registered/);
    expect(() => registry.register(echo)).toThrow(/the same tool was added twice/);
  });

  it('throws TOOL_NOT_FOUND with the registered names for an unknown schema lookup', () => {
    const registry = new ToolRegistry([echo]);

    expect(() => registry.jsonSchema('nope')).toThrow(/No tool named "nope". Registered tools: echo/);
    expect(() => new ToolRegistry().jsonSchema('x')).toThrow(/\(none\)/);
  });

  it('registers, gets, lists and unregisters tools', () => {
    const registry = new ToolRegistry();

    registry.register(echo);

    expect(registry.get('echo')).toBe(echo);
    expect(registry.has('echo')).toBe(true);
    expect(registry.list()).toEqual([echo]);
    expect(registry.size).toBe(1);
    expect(registry.unregister('echo')).toBe(true);
    expect(registry.unregister('echo')).toBe(false);
    expect(registry.size).toBe(0);
  });

  it('gives the JSON Schema of each tool and caches the definitions until it changes', () => {
    const registry = new ToolRegistry([echo]);

    const first = registry.definitions();

    expect(registry.jsonSchema('echo')).toBe(echo.inputJsonSchema);
    expect(first).toEqual([
      { name: 'echo', description: 'Echoes its input.', inputSchema: echo.inputJsonSchema },
    ]);
    expect(registry.definitions()).toBe(first);
    registry.register(defineTool({ name: 'two', description: 'x', input: z.object({}), execute: () => 2 }));
    expect(registry.definitions()).toHaveLength(2);
  });

  it('keeps two registries apart', () => {
    const first = new ToolRegistry([echo]);
    const second = new ToolRegistry();

    expect(second.has('echo')).toBe(false);
    expect(first.has('echo')).toBe(true);
  });
});
