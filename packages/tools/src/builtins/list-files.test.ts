import { join } from 'node:path';
import { ConfigError } from '@agent/core';
import { testToolContext } from '@agent/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf } from './__fixtures__/rejection-of.js';
import { makeSandboxTree, type SandboxTree } from './__fixtures__/sandbox-tree.js';
import { type ListFilesOptions, listFiles } from './list-files.js';

let tree: SandboxTree;

beforeAll(() => {
  tree = makeSandboxTree();
});

afterAll(() => {
  tree.remove();
});

async function list(input: Record<string, unknown> = {}, options: Partial<ListFilesOptions> = {}) {
  const tool = listFiles({ root: tree.root, ...options });
  return await tool.execute(tool.input.parse(input), testToolContext());
}

const SYMLINKS = [
  'chain-in1',
  'chain-in2',
  'chain1',
  'chain2',
  'dangling-out',
  'link-dir-in',
  'link-in',
  'link-out-absolute',
  'link-out-dir',
  'link-out-file',
];

describe('list_files', () => {
  it('lists the root sorted by name, with types and file sizes, symlinks as symlinks', async () => {
    const { entries, truncated } = await list();

    expect(truncated).toBe(false);
    expect(entries).toEqual(
      [
        { path: '%2e%2e', type: 'file', size: 7 },
        { path: 'a.txt', type: 'file', size: 5 },
        { path: 'bin.dat', type: 'file', size: 6 },
        ...SYMLINKS.map((path) => ({ path, type: 'symlink' })),
        { path: 'sub', type: 'directory' },
        { path: 'utf8.txt', type: 'file', size: 6 },
      ].sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
  });

  it('recurses depth-first without following any symlink out (or in)', async () => {
    const { entries } = await list({ recursive: true });
    const paths = entries.map((entry) => entry.path);

    expect(paths).toContain('sub/deeper/c.txt');
    expect(paths.indexOf('sub')).toBeLessThan(paths.indexOf('sub/b.txt'));
    expect(paths.indexOf('sub/b.txt')).toBeLessThan(paths.indexOf('sub/deeper'));
    expect(paths.some((path) => path.startsWith('link-out-dir/'))).toBe(false);
    expect(paths.some((path) => path.startsWith('link-dir-in/'))).toBe(false);
    expect(JSON.stringify(entries)).not.toContain('secret');
  });

  it('stops at maxDepth', async () => {
    const two = await list({ recursive: true, maxDepth: 2 });
    const capped = await list({ recursive: true, maxDepth: 50 }, { maxDepth: 1 });

    expect(two.entries.map((entry) => entry.path)).toContain('sub/deeper');
    expect(two.entries.map((entry) => entry.path)).not.toContain('sub/deeper/c.txt');
    expect(capped.entries.map((entry) => entry.path)).not.toContain('sub/b.txt');
  });

  it('stops at maxEntries and marks the listing truncated', async () => {
    const three = await list({ recursive: true }, { maxEntries: 3 });
    const exact = await list({ path: 'sub/deeper' }, { maxEntries: 1 });

    expect(three).toEqual({
      entries: [
        { path: '%2e%2e', type: 'file', size: 7 },
        { path: 'a.txt', type: 'file', size: 5 },
        { path: 'bin.dat', type: 'file', size: 6 },
      ],
      truncated: true,
    });
    expect(exact).toEqual({
      entries: [{ path: 'sub/deeper/c.txt', type: 'file', size: 3 }],
      truncated: false,
    });
  });

  it('lists a subdirectory, and a directory symlink that stays inside, with root-relative paths', async () => {
    const sub = await list({ path: 'sub' });
    const viaLink = await list({ path: 'link-dir-in/' });

    expect(sub.entries).toEqual([
      { path: 'sub/b.txt', type: 'file', size: 3 },
      { path: 'sub/deeper', type: 'directory' },
    ]);
    expect(viaLink.entries.map((entry) => entry.path)).toEqual(['link-dir-in/b.txt', 'link-dir-in/deeper']);
  });

  it.each([
    ['link-out-dir', 'points outside the root'],
    ['..', 'leaves the root'],
    ['a/../../x', 'leaves the root'],
    ['/tmp', 'absolute paths are not allowed'],
    ['sub\0', 'NUL byte'],
  ])('refuses %j', async (path, why) => {
    const error = await rejectionOf(list({ path }));

    expect(error).toMatchObject({ code: 'TOOL_REFUSED', toolName: 'list_files' });
    expect(error.message).toContain(why);
  });

  it('says to use read_file on a file, and reports a missing directory', async () => {
    const file = await rejectionOf(list({ path: 'a.txt' }));
    const missing = await rejectionOf(list({ path: '%2e%2e/x' }));

    expect(file).toMatchObject({ code: 'TOOL_INPUT_INVALID' });
    expect(file.message).toContain('Use read_file');
    expect(missing).toMatchObject({ code: 'TOOL_FAILED' });
  });

  it('refuses to be created on a missing root or with bad options', () => {
    expect(() => listFiles({ root: join(tree.root, 'nope') })).toThrow(ConfigError);
    expect(() => listFiles({ root: tree.root, maxEntries: 0 })).toThrow(
      'tools.options.list_files.maxEntries',
    );
  });
});
