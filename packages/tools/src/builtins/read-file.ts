import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { defineTool, type Tool, ToolError } from '@agent/core';
import { z } from 'zod';
import { descriptorIsInside, printable, resolveInsideRoot, resolveSandboxRoot } from './sandbox-path.js';
import { parseToolOptions } from './tool-options.js';

/** Options of {@link readFile}. */
export interface ReadFileOptions {
  /** The directory the tool may read below; must exist. Relative paths resolve against the process's cwd. */
  root: string;
  /** Bytes returned at most; longer files are cut and marked `truncated`. @default 262144 */
  maxBytes?: number;
}

/** The options of `read_file`, as `tools.options.read_file` in the config file. */
export const readFileOptionsSchema = z
  .object({
    root: z.string().min(1),
    maxBytes: z
      .number()
      .int()
      .positive()
      .max(64 * 1024 * 1024)
      .default(256 * 1024),
  })
  .strict();

/** What `read_file` returns. */
export interface ReadFileOutput {
  /** The path relative to the root, `/`-separated. */
  path: string;
  content: string;
  /** Bytes of the file returned in `content`. */
  bytes: number;
  /** The file's size in bytes. */
  size: number;
  /** True when the file is longer than `maxBytes` and was cut there. */
  truncated: boolean;
}

const TOOL = 'read_file';
const CHUNK_BYTES = 64 * 1024;
const BINARY_SNIFF_BYTES = 8192;

/**
 * The `read_file` tool: reads a text file below `root`. Refuses (`TOOL_REFUSED`) absolute paths,
 * `..` out of the root, NUL bytes, symlinks whose real path is outside the root, non-regular
 * files and binary files (a NUL byte in the first 8 KiB). Reads at most `maxBytes`.
 *
 * @example
 * ```ts
 * const agent = new Agent({ name: 'docs', model, tools: [readFile({ root: './docs' }), listFiles({ root: './docs' })] });
 * ```
 */
export function readFile(
  options: ReadFileOptions,
): Tool<{ path: string; encoding: 'utf8' | 'latin1' }, ReadFileOutput> {
  const settings = parseToolOptions(TOOL, readFileOptionsSchema, options, {
    root: 'set tools.options.read_file.root to the directory the tool may read, e.g. "./data"',
    maxBytes: 'use a positive whole number of bytes up to 67108864, e.g. 262144',
  });
  const root = resolveSandboxRoot(settings.root, TOOL);
  return defineTool({
    name: TOOL,
    description: `Reads a text file. The path is relative to the sandbox root (use list_files to find files); absolute paths, ".." out of the root and binary files are refused. At most ${settings.maxBytes} bytes are returned.`,
    input: z.object({
      path: z.string().min(1).max(4096).describe('File path relative to the root, e.g. "notes/todo.md".'),
      encoding: z.enum(['utf8', 'latin1']).default('utf8').describe('Text encoding of the file.'),
    }),
    output: z.object({
      path: z.string(),
      content: z.string(),
      bytes: z.number().int().nonnegative(),
      size: z.number().int().nonnegative(),
      truncated: z.boolean(),
    }),
    execute: async ({ path, encoding }) => {
      const target = await resolveInsideRoot(root, path, TOOL);
      // O_NOFOLLOW: the resolved path must not have become a symlink since; O_NONBLOCK: a FIFO
      // cannot hang the open (it is refused just below as not a regular file).
      const handle = await open(
        target.real,
        constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
      ).catch((error: unknown) => {
        throw new ToolError(
          'TOOL_FAILED',
          TOOL,
          `read_file could not open "${printable(path)}": ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      });
      try {
        const stat = await handle.stat();
        if (stat.isDirectory()) {
          throw new ToolError(
            'TOOL_INPUT_INVALID',
            TOOL,
            `read_file: "${printable(path)}" is a directory. Use list_files on it.`,
          );
        }
        if (!stat.isFile() || !(await descriptorIsInside(root, handle.fd))) {
          throw new ToolError(
            'TOOL_REFUSED',
            TOOL,
            `read_file refused "${printable(path)}": it is not a regular file inside the root.`,
          );
        }
        const { buffer, truncated } = await readCapped(handle, settings.maxBytes);
        if (buffer.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
          throw new ToolError(
            'TOOL_REFUSED',
            TOOL,
            `read_file refused "${printable(path)}": it looks like a binary file (it contains NUL bytes); only text files can be read.`,
          );
        }
        const content = encoding === 'latin1' ? buffer.toString('latin1') : decodeUtf8(buffer);
        return { path: target.relative, content, bytes: buffer.length, size: stat.size, truncated };
      } finally {
        await handle.close();
      }
    },
  });
}

/** Reads up to `maxBytes` (plus one byte to learn whether there is more), in chunks. */
async function readCapped(
  handle: Awaited<ReturnType<typeof open>>,
  maxBytes: number,
): Promise<{ buffer: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total <= maxBytes) {
    const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
  }
  const buffer = Buffer.concat(chunks, total);
  return total > maxBytes
    ? { buffer: buffer.subarray(0, maxBytes), truncated: true }
    : { buffer, truncated: false };
}

/** UTF-8 text; a character cut in half at the byte cap is left out rather than shown as U+FFFD. */
function decodeUtf8(buffer: Buffer): string {
  return new TextDecoder('utf-8').decode(buffer, { stream: true });
}
