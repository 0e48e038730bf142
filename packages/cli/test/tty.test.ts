import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { project } from './helpers.js';

// The built binary in a real pseudo-terminal (tmux): colour and the spinner appear there, the
// spinner is erased, and NO_COLOR turns colour off. A private tmux socket keeps it away from any
// user's sessions.
const exec = promisify(execFile);
// An SGR (colour) sequence; built from a string, as a control character in a regex literal is a lint error.
const SGR = new RegExp(`${String.fromCharCode(27)}\\[\\d+(;\\d+)*m`);
const BIN = join(import.meta.dirname, '..', 'bin', 'agent.js');
const SOCKET = `agent-cli-test-${process.pid}`;
const tmux = (...args: string[]) => exec('tmux', ['-L', SOCKET, ...args], { timeout: 10_000 });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
});

/** Runs the command in a new tmux window, records the raw bytes, and returns them and the screen. */
async function inTerminal(name: string, command: string, cwd: string) {
  const log = join(cwd, `${name}.log`);
  // The shell waits for the pipe to be attached before starting, then keeps the pane open.
  const script = `sleep 0.5; ${command}; echo "EXIT=$?"; sleep 60`;
  await tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '30', '-c', cwd, 'sh', '-c', script);
  await tmux('pipe-pane', '-t', name, '-o', `cat >> '${log}'`);
  const deadline = Date.now() + 30_000;
  let screen = '';
  while (!/EXIT=\d+/.test(screen)) {
    if (Date.now() > deadline) throw new Error(`no EXIT line in time; screen:\n${screen}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    screen = (await tmux('capture-pane', '-p', '-t', name)).stdout;
  }
  const styled = (await tmux('capture-pane', '-p', '-e', '-t', name)).stdout;
  await tmux('kill-session', '-t', name);
  return { raw: await readFile(log, 'utf8'), screen, styled };
}

describe('agent run in a pseudo-terminal', () => {
  it('shows colour and a spinner with the current step and tool, then erases the spinner', async () => {
    const dir = await project();
    cleanups.push(dir.remove);

    const { raw, screen, styled } = await inTerminal(
      'colour',
      `env -u CI -u NO_COLOR node ${BIN} run assistant "What time is it?"`,
      dir.path,
    );

    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('→ current_time({})');
    expect(screen).toMatch(/completed · 2 step\(s\)/);
    // The spinner was drawn (raw bytes) with the step and the tool...
    expect(raw).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] .*step 1 · waiting for the model/);
    expect(raw).toContain('running current_time');
    // ...and is gone from the final screen.
    expect(screen).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    expect(screen).not.toContain('waiting for the model');
    expect(styled).toMatch(SGR);
  });

  it('prints no colour with NO_COLOR, and no spinner in CI', async () => {
    const dir = await project();
    cleanups.push(dir.remove);

    const { raw, screen } = await inTerminal(
      'plain',
      `env NO_COLOR=1 CI=true node ${BIN} run assistant "What time is it?"`,
      dir.path,
    );

    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('→ current_time({})');
    expect(raw).not.toMatch(SGR);
    expect(raw).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
  });
});
