import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real temp directory tree for the file tools, with symlinks that stay in and that escape. */
export interface SandboxTree {
  /** The sandbox root. */
  root: string;
  /** A second temp directory, outside the root, holding `secret.txt`. */
  outside: string;
  /** Whether a FIFO could be made (needs `mkfifo`). */
  hasFifo: boolean;
  remove(): void;
}

/**
 * Builds:
 * ```
 * root/a.txt  sub/b.txt  sub/deeper/c.txt  %2e%2e  utf8.txt  bin.dat  fifo
 *      link-in -> sub/b.txt        link-dir-in -> sub        chain-in1 -> chain-in2 -> a.txt
 *      link-out-file -> <outside>/secret.txt     link-out-dir -> <outside>
 *      link-out-absolute -> /etc/hostname        chain1 -> chain2 -> <outside>/secret.txt
 *      dangling-out -> <outside>/nope/missing.txt
 * ```
 */
export function makeSandboxTree(): SandboxTree {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'agent-tools-root-')));
  const outside = realpathSync(mkdtempSync(join(tmpdir(), 'agent-tools-outside-')));
  writeFileSync(join(outside, 'secret.txt'), 'top secret');
  writeFileSync(join(root, 'a.txt'), 'hello');
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(root, 'sub', 'b.txt'), 'bee');
  writeFileSync(join(root, 'sub', 'deeper', 'c.txt'), 'sea');
  writeFileSync(join(root, '%2e%2e'), 'literal');
  writeFileSync(join(root, 'utf8.txt'), 'héllo');
  writeFileSync(join(root, 'bin.dat'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]));
  symlinkSync('sub/b.txt', join(root, 'link-in'));
  symlinkSync('sub', join(root, 'link-dir-in'));
  symlinkSync('a.txt', join(root, 'chain-in2'));
  symlinkSync('chain-in2', join(root, 'chain-in1'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'link-out-file'));
  symlinkSync(outside, join(root, 'link-out-dir'));
  symlinkSync('/etc/hostname', join(root, 'link-out-absolute'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'chain2'));
  symlinkSync('chain2', join(root, 'chain1'));
  symlinkSync(join(outside, 'nope', 'missing.txt'), join(root, 'dangling-out'));
  let hasFifo = true;
  try {
    execFileSync('mkfifo', [join(root, 'fifo')], { stdio: 'ignore', timeout: 5000 });
  } catch {
    hasFifo = false;
  }
  return {
    root,
    outside,
    hasFifo,
    remove() {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    },
  };
}
