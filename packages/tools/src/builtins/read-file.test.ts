import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@agent/core';
import { testToolContext } from '@agent/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf } from './__fixtures__/rejection-of.js';
import { makeSandboxTree, type SandboxTree } from './__fixtures__/sandbox-tree.js';
import { readFile } from './read-file.js';
import { descriptorIsInside, isInside, printable } from './sandbox-path.js';

let tree: SandboxTree;

beforeAll(() => {
  tree = makeSandboxTree();
});

afterAll(() => {
  tree.remove();
});

async function read(path: string, maxBytes?: number) {
  const tool = readFile({ root: tree.root, ...(maxBytes === undefined ? {} : { maxBytes }) });
  return await tool.execute(tool.input.parse({ path }), testToolContext());
}

describe('read_file: what it reads', () => {
  it.each([
    ['a.txt', 'a.txt', 'hello'],
    ['./sub/b.txt', 'sub/b.txt', 'bee'],
    ['sub/../a.txt', 'a.txt', 'hello'],
    ['sub/deeper/../../a.txt', 'a.txt', 'hello'],
    ['link-in', 'link-in', 'bee'],
    ['link-dir-in/deeper/c.txt', 'link-dir-in/deeper/c.txt', 'sea'],
    ['chain-in1', 'chain-in1', 'hello'],
    ['%2e%2e', '%2e%2e', 'literal'],
  ])('reads %s (a path that stays inside the root)', async (path, relative, content) => {
    expect(await read(path)).toEqual({
      path: relative,
      content,
      bytes: content.length,
      size: content.length,
      truncated: false,
    });
  });

  it('cuts at maxBytes without leaving half a UTF-8 character', async () => {
    const four = await read('utf8.txt', 4);
    const two = await read('utf8.txt', 2);

    expect(four).toMatchObject({ content: 'hél', bytes: 4, size: 6, truncated: true });
    expect(two).toMatchObject({ content: 'h', bytes: 2, truncated: true });
  });

  it('reads latin1 when asked', async () => {
    const tool = readFile({ root: tree.root });

    const output = await tool.execute({ path: 'utf8.txt', encoding: 'latin1' }, testToolContext());

    expect(output.content).toBe('hÃ©llo');
  });
});

describe('read_file: what it refuses', () => {
  it.each([
    ['/etc/passwd', 'absolute paths are not allowed'],
    ['C:\\Windows\\win.ini', 'absolute paths are not allowed'],
    ['..', 'leaves the root'],
    ['../outside/secret.txt', 'leaves the root'],
    ['a/../../x', 'leaves the root'],
    ['sub/../../a.txt', 'leaves the root'],
    ['a.txt\0.png', 'NUL byte'],
    ['link-out-file', 'points outside the root'],
    ['link-out-absolute', 'points outside the root'],
    ['link-out-dir/secret.txt', 'points outside the root'],
    ['chain1', 'points outside the root'],
    ['dangling-out', 'a symlink on the way points outside the root'],
    ['link-out-dir/nothing-here.txt', 'a symlink on the way points outside the root'],
    ['bin.dat', 'looks like a binary file'],
  ])('refuses %j', async (path, why) => {
    const error = await rejectionOf(read(path));

    expect(error).toMatchObject({ code: 'TOOL_REFUSED', toolName: 'read_file' });
    expect(error.message).toContain(why);
    expect(error.message).not.toContain('top secret');
  });

  it('refuses the absolute path of a file that is inside the root', async () => {
    const error = await rejectionOf(read(join(tree.root, 'a.txt')));

    expect(error).toMatchObject({ code: 'TOOL_REFUSED' });
  });

  it('refuses a FIFO without hanging on it', async (context) => {
    if (!tree.hasFifo) context.skip();

    const error = await rejectionOf(read('fifo'));

    expect(error).toMatchObject({ code: 'TOOL_REFUSED' });
    expect(error.message).toContain('not a regular file');
  });

  it('reports a directory and a missing file as input problems, not refusals', async () => {
    const directory = await rejectionOf(read('sub'));
    const missing = await rejectionOf(read('missing.txt'));
    const encoded = await rejectionOf(read('%2e%2e/%2e%2e/etc/passwd'));

    expect(directory).toMatchObject({ code: 'TOOL_INPUT_INVALID' });
    expect(directory.message).toContain('Use list_files');
    expect(missing).toMatchObject({ code: 'TOOL_FAILED' });
    expect(missing.message).toContain('"missing.txt" does not exist');
    expect(encoded).toMatchObject({ code: 'TOOL_FAILED' });
  });

  it('refuses to be created on a missing root, a file root, or without a root', () => {
    expect(() => readFile({ root: join(tree.root, 'nope') })).toThrow(ConfigError);
    expect(() => readFile({ root: join(tree.root, 'nope') })).toThrow('tools.options.read_file.root');
    expect(() => readFile({ root: join(tree.root, 'a.txt') })).toThrow('is not a directory');
    expect(() => readFile({} as { root: string })).toThrow('Invalid option "root"');
  });
});

describe('sandbox-path helpers', () => {
  it('compares paths by segment, not by string prefix', () => {
    expect(isInside('/srv/data', '/srv/data')).toBe(true);
    expect(isInside('/srv/data', '/srv/data/x/y')).toBe(true);
    expect(isInside('/srv/data', '/srv/database')).toBe(false);
    expect(isInside('/srv/data', '/srv')).toBe(false);
    expect(isInside('/srv/data', '/srv/data/..foo')).toBe(true);
  });

  it('checks where an open descriptor really points', async () => {
    const inside = await open(join(tree.root, 'a.txt'), 'r');
    const outside = await open(join(tree.outside, 'secret.txt'), 'r');
    try {
      expect(await descriptorIsInside(tree.root, inside.fd)).toBe(true);
      expect(await descriptorIsInside(tree.root, outside.fd)).toBe(process.platform !== 'linux');
    } finally {
      await inside.close();
      await outside.close();
    }
  });

  it('escapes control characters in paths shown in messages', () => {
    expect(printable('a\nb\0')).toBe('a\\x0ab\\x00');
    expect(printable('x'.repeat(300))).toHaveLength(201);
  });
});
