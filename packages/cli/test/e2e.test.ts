import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The built binary, run as a user runs it: `agent init demo`, then `agent run` inside the project.
// `init` links @agent/* to this checkout (the CLI runs from it) and installs with pnpm.
const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'agent.js');
// CI=true, as in CI: init and its install must work there too.
const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: 'true' };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'agent-e2e-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// Built from a string: a control character in a regex literal is a lint error.
const SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const plain = (text: string) => text.replace(SGR, '');

const agent = (args: string[], cwd: string) =>
  exec(process.execPath, [BIN, ...args], { cwd, env, timeout: 120_000 }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe('the built agent binary', () => {
  it('agent init demo, then agent run assistant "hello" inside it, as the README shows', async () => {
    const init = await agent(['init', 'demo'], root);
    expect(init.stderr).not.toMatch(/error/i);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Next:\n  cd demo\n  agent run assistant "hello"\n');

    const demo = join(root, 'demo');
    const hello = await agent(['run', 'assistant', 'hello'], demo);
    expect(hello.code).toBe(0);
    expect(hello.stdout).toContain('You said: "hello"');
    expect(hello.stdout).toMatch(/completed · 1 step\(s\)/);
    expect(hello.stderr).toContain('No API key for model "main"');

    const time = await agent(['run', 'assistant', 'What time is it?'], demo);
    expect(time.code).toBe(0);
    expect(time.stdout).toContain('→ current_time({})');

    // The project's own tool is loaded from tools/index.ts (a TypeScript plugin).
    const tools = await agent(['tools', 'list'], demo);
    expect(tools.code).toBe(0);
    expect(tools.stdout).toContain('order_status');
    expect(tools.stdout).toContain('calculator');

    // Runs are recorded in the project's SQLite store.
    const json = await agent(['run', 'assistant', 'hi', '--json'], demo);
    const runId = (JSON.parse(json.stdout.split('\n')[0] ?? '{}') as { runId: string }).runId;
    const replay = await agent(['events', 'replay', runId], demo);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('You said: "hi"');
  });

  it("runs the generated project's own tests and type check", async () => {
    const demo = join(root, 'demo');
    const pnpm = (args: string[]) => exec('pnpm', args, { cwd: demo, env, timeout: 120_000 });

    const test = await pnpm(['test']);
    expect(plain(test.stdout)).toMatch(/Tests\s+2 passed/);
    await expect(pnpm(['typecheck'])).resolves.toBeDefined();
  });

  it('scaffolds a tool plugin whose tests pass and whose agent uses the tool', async () => {
    const init = await agent(['init', 'units', '--template', 'tool-plugin'], root);
    expect(init.code).toBe(0);
    const units = join(root, 'units');
    const manifest = JSON.parse(await readFile(join(units, 'package.json'), 'utf8')) as { name: string };
    expect(manifest.name).toBe('agent-tools-units');

    const test = await exec('pnpm', ['test'], { cwd: units, env, timeout: 120_000 });
    expect(plain(test.stdout)).toMatch(/Tests\s+4 passed/);
    await exec('pnpm', ['typecheck'], { cwd: units, env, timeout: 120_000 });
    const tools = await agent(['tools', 'list', '--json'], units);
    expect(tools.stdout).toContain('"unit_convert"');
  });

  it('scaffolds a planner-executor project whose agent plans, runs the plan and answers', async () => {
    const init = await agent(['init', 'planner', '--template', 'planner-executor'], root);
    expect(init.code).toBe(0);
    const planner = join(root, 'planner');

    const run = await agent(['run', 'assistant', 'What time is it?'], planner);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('plan: What time is it? (1 step(s))');
    expect(run.stdout).toContain('▸ 1. Use current_time');
    expect(run.stdout).toContain('completed');

    const test = await exec('pnpm', ['test'], { cwd: planner, env, timeout: 120_000 });
    expect(plain(test.stdout)).toMatch(/Tests\s+1 passed/);
  });

  it('refuses to init over the project without --force', async () => {
    const again = await agent(['init', 'demo', '--no-install'], root);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already has package.json');
  });
});
