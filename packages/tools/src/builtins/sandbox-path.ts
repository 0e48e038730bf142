import { realpathSync, statSync } from 'node:fs';
import { lstat, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ConfigError, ToolError } from '@agent/core';

/** A path the sandbox accepted: its real location and its name relative to the root. */
export interface SandboxedPath {
  /** Absolute real path, every symlink resolved; inside the root. */
  real: string;
  /** The path as given, normalised, relative to the root, with `/` separators (`.` for the root). */
  relative: string;
}

/**
 * Resolves a tool's root directory once, at creation: its real path, so later checks compare
 * real paths with real paths. Throws `ConfigError` when it is missing or not a directory.
 */
export function resolveSandboxRoot(root: string, toolName: string): string {
  const where = `tools.options.${toolName}.root`;
  let real: string;
  try {
    real = realpathSync(resolve(root));
  } catch (error) {
    throw new ConfigError(
      `The root directory "${root}" of built-in tool ${toolName} (${where}) does not exist. Fix: create it, or set ${where} to an existing directory.`,
      { cause: error },
    );
  }
  if (!statSync(real).isDirectory()) {
    throw new ConfigError(
      `The root "${root}" of built-in tool ${toolName} (${where}) is not a directory. Fix: set ${where} to a directory.`,
    );
  }
  return real;
}

/** True when `candidate` is `root` or below it (both real, absolute paths). */
export function isInside(root: string, candidate: string): boolean {
  const fromRoot = relative(root, candidate);
  return fromRoot === '' || (!fromRoot.startsWith(`..${sep}`) && fromRoot !== '..' && !isAbsolute(fromRoot));
}

/**
 * Resolves `userPath` (relative to `root`) for a file tool, refusing (`TOOL_REFUSED`) NUL bytes,
 * absolute paths, `..` that leaves the root, and any symlink (the file or a directory on the way)
 * whose real path is outside the root. Nothing is percent-decoded: `%2e%2e` is a literal name.
 * A missing path is `TOOL_FAILED`, unless a symlink on the way to it points outside.
 */
export async function resolveInsideRoot(
  root: string,
  userPath: string,
  toolName: string,
): Promise<SandboxedPath> {
  const refuse = (why: string) =>
    new ToolError('TOOL_REFUSED', toolName, `${toolName} refused "${printable(userPath)}": ${why}`);
  if (userPath.includes('\0')) throw refuse('the path contains a NUL byte.');
  if (isAbsolute(userPath) || /^[A-Za-z]:[\\/]/.test(userPath) || userPath.startsWith('\\')) {
    throw refuse('absolute paths are not allowed. Give a path relative to the root, e.g. "docs/readme.md".');
  }
  const lexical = resolve(root, userPath);
  if (!isInside(root, lexical)) throw refuse('the path leaves the root directory. Stay inside it.');
  let real: string;
  try {
    real = await realpath(lexical);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (await escapesRoot(root, lexical, 0)) {
        throw refuse('a symlink on the way points outside the root directory.');
      }
      throw new ToolError(
        'TOOL_FAILED',
        toolName,
        `${toolName}: "${printable(userPath)}" does not exist. Use list_files to see what is there.`,
        { cause: error },
      );
    }
    throw error;
  }
  if (!isInside(root, real))
    throw refuse('it is a symlink (or goes through one) that points outside the root directory.');
  const fromRoot = relative(root, lexical);
  return { real, relative: fromRoot === '' ? '.' : fromRoot.split(sep).join('/') };
}

const MAX_SYMLINK_HOPS = 40;

/**
 * For a path that does not fully exist: whether following it would leave the root. Walks up to
 * the deepest part that exists; a symlink there (dangling, or leading to a missing name) is
 * followed by hand, hop by hop, as the kernel would.
 */
async function escapesRoot(root: string, path: string, hops: number): Promise<boolean> {
  if (!isInside(root, path)) return true;
  for (let current = path; current !== root && isInside(root, current); current = dirname(current)) {
    const info = await lstat(current).catch(() => undefined);
    if (!info) continue;
    if (!info.isSymbolicLink()) return !isInside(root, await realpath(current));
    if (hops >= MAX_SYMLINK_HOPS) return true;
    const target = resolve(await realpath(dirname(current)), await readlink(current));
    return escapesRoot(root, resolve(target, relative(current, path)), hops + 1);
  }
  return false;
}

/**
 * Checks, on Linux, that an open file descriptor really is inside the root, closing the window
 * between `realpath` and `open` in which a directory on the way could be swapped for a symlink.
 * Where `/proc` is not available it returns true (the earlier checks still hold).
 */
export async function descriptorIsInside(root: string, fd: number): Promise<boolean> {
  let target: string;
  try {
    target = await readlink(`/proc/self/fd/${fd}`);
  } catch {
    return true;
  }
  return isInside(root, target);
}

/** The path for a message: control characters escaped, long paths shortened. */
export function printable(path: string): string {
  const escaped = Array.from(path, (char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : char;
  }).join('');
  return escaped.length > 200 ? `${escaped.slice(0, 200)}…` : escaped;
}
