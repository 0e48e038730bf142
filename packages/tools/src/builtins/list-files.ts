import { lstat, opendir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { defineTool, type Tool, ToolError } from '@agent/core';
import { z } from 'zod';
import { isInside, printable, resolveInsideRoot, resolveSandboxRoot } from './sandbox-path.js';
import { parseToolOptions } from './tool-options.js';

/** Options of {@link listFiles}. */
export interface ListFilesOptions {
  /** The directory the tool may list below; must exist. Relative paths resolve against the process's cwd. */
  root: string;
  /** Entries returned at most; the listing stops there and is marked `truncated`. @default 1000 */
  maxEntries?: number;
  /** Deepest recursion allowed, and the default depth of a recursive listing. @default 10 */
  maxDepth?: number;
}

/** The options of `list_files`, as `tools.options.list_files` in the config file. */
export const listFilesOptionsSchema = z
  .object({
    root: z.string().min(1),
    maxEntries: z.number().int().positive().max(100_000).default(1000),
    maxDepth: z.number().int().positive().max(64).default(10),
  })
  .strict();

/** One entry of a listing. Symlinks are reported as such and never followed. */
export interface FileEntry {
  /** Relative to the root, `/`-separated: pass it to `read_file` as is. */
  path: string;
  type: 'file' | 'directory' | 'symlink';
  /** Size in bytes, for files. */
  size?: number;
}

/** What `list_files` returns. */
export interface ListFilesOutput {
  entries: FileEntry[];
  /** True when the listing stopped at `maxEntries`. */
  truncated: boolean;
}

/** The input of `list_files`. */
export interface ListFilesInput {
  path: string;
  recursive: boolean;
  maxDepth?: number | undefined;
}

const TOOL = 'list_files';
// Names read from one directory at most (memory stays bounded on a directory of millions).
const MAX_NAMES_PER_DIRECTORY = 100_000;

/**
 * The `list_files` tool: lists a directory below `root`, optionally recursively, sorted by name.
 * Refuses the same paths as `read_file`. Symlinks are listed with type `symlink` and never
 * followed, so a link out of the root (or a link cycle) cannot widen the listing.
 *
 * @example
 * ```ts
 * const tools = [listFiles({ root: './docs' }), readFile({ root: './docs' })];
 * ```
 */
export function listFiles(options: ListFilesOptions): Tool<ListFilesInput, ListFilesOutput> {
  const settings = parseToolOptions(TOOL, listFilesOptionsSchema, options, {
    root: 'set tools.options.list_files.root to the directory the tool may list, e.g. "./data"',
    maxEntries: 'use a positive whole number up to 100000, e.g. 1000',
    maxDepth: 'use a positive whole number up to 64, e.g. 10',
  });
  const root = resolveSandboxRoot(settings.root, TOOL);
  return defineTool({
    name: TOOL,
    description: `Lists files and directories below the sandbox root, sorted by name; paths are relative to the root and can be passed to read_file. Symlinks are shown, not followed. At most ${settings.maxEntries} entries.`,
    input: z.object({
      path: z
        .string()
        .min(1)
        .max(4096)
        .default('.')
        .describe('Directory relative to the root; "." is the root.'),
      recursive: z.boolean().default(false).describe('Also list subdirectories.'),
      maxDepth: z
        .number()
        .int()
        .positive()
        .optional()
        .describe(
          `With recursive, how many levels to descend (1 = this directory only; at most ${settings.maxDepth}).`,
        ),
    }),
    output: z.object({
      entries: z.array(
        z.object({
          path: z.string(),
          type: z.enum(['file', 'directory', 'symlink']),
          size: z.number().int().nonnegative().optional(),
        }),
      ),
      truncated: z.boolean(),
    }),
    execute: async ({ path, recursive, maxDepth }) => {
      const target = await resolveInsideRoot(root, path, TOOL);
      const stat = await lstat(target.real);
      if (!stat.isDirectory()) {
        throw new ToolError(
          'TOOL_INPUT_INVALID',
          TOOL,
          `list_files: "${printable(path)}" is not a directory. Use read_file on it.`,
        );
      }
      const depth = recursive ? Math.min(maxDepth ?? settings.maxDepth, settings.maxDepth) : 1;
      const listing: ListFilesOutput = { entries: [], truncated: false };
      await walk(
        root,
        target.real,
        target.relative === '.' ? '' : `${target.relative}/`,
        depth,
        settings.maxEntries,
        listing,
      );
      return listing;
    },
  });
}

/** Depth-first, pre-order, names sorted within each directory; stops at `maxEntries`. */
async function walk(
  root: string,
  directory: string,
  prefix: string,
  depth: number,
  maxEntries: number,
  listing: ListFilesOutput,
): Promise<void> {
  // Re-checked per directory: one could have been swapped for a symlink since it was listed.
  if (!isInside(root, await realpath(directory))) return;
  const names = await readNames(directory);
  if (names.length >= MAX_NAMES_PER_DIRECTORY) listing.truncated = true;
  for (const name of names) {
    if (listing.entries.length >= maxEntries) {
      listing.truncated = true;
      return;
    }
    const full = join(directory, name);
    const info = await lstat(full).catch(() => undefined);
    if (!info) continue;
    const path = `${prefix}${name}`;
    if (info.isSymbolicLink()) {
      listing.entries.push({ path, type: 'symlink' });
    } else if (info.isDirectory()) {
      listing.entries.push({ path, type: 'directory' });
      if (depth > 1) await walk(root, full, `${path}/`, depth - 1, maxEntries, listing);
    } else if (info.isFile()) {
      listing.entries.push({ path, type: 'file', size: info.size });
    }
    // Sockets, FIFOs and devices are left out: there is nothing in them for read_file.
  }
}

/**
 * The names of a directory, sorted, up to {@link MAX_NAMES_PER_DIRECTORY}. All of them are read
 * (not just `maxEntries`) so that a truncated listing is the first entries by name, not whichever
 * the file system returned first.
 */
async function readNames(directory: string): Promise<string[]> {
  const names: string[] = [];
  const handle = await opendir(directory);
  try {
    for (
      let entry = await handle.read();
      entry !== null && names.length < MAX_NAMES_PER_DIRECTORY;
      entry = await handle.read()
    ) {
      names.push(entry.name);
    }
  } finally {
    await handle.close();
  }
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
