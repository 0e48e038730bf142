import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_SUCCESS, EXIT_USAGE } from '../src/exit-codes.js';
import { run } from '../src/run.js';
import { cli, collector, project } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
async function dir() {
  const created = await project();
  cleanups.push(created.remove);
  return created.path;
}

describe('agent run --file', () => {
  it('reads the task, conversation id and metadata from a YAML file', async () => {
    const cwd = await dir();
    await writeFile(
      join(cwd, 'task.yaml'),
      'input: |\n  How many words are in "one two three"?\nconversationId: c-42\nmetadata: { channel: cli }\n',
    );

    const result = await cli(['run', 'assistant', '--file', 'task.yaml', '--json'], { cwd });

    expect(result.code).toBe(EXIT_SUCCESS);
    const started = JSON.parse(result.stdout.split('\n')[0] ?? '') as Record<string, unknown>;
    expect(started).toMatchObject({
      type: 'run.started',
      input: 'How many words are in "one two three"?',
      conversationId: 'c-42',
      metadata: { channel: 'cli' },
    });
    expect(result.stdout).toContain('"words":3');
  });

  it('lists every problem of a bad task file, and refuses two sources of the task', async () => {
    const cwd = await dir();
    await writeFile(join(cwd, 'bad.yaml'), 'inpt: hi\nconversationId: 7\nmetadata: [1]\n');
    await writeFile(join(cwd, 'list.yaml'), '- a\n');
    await writeFile(join(cwd, 'broken.yaml'), 'input: "unclosed\n');

    const bad = await cli(['run', 'assistant', '--file', 'bad.yaml'], { cwd });
    expect(bad.code).toBe(EXIT_USAGE);
    expect(bad.stderr).toContain('unknown key "inpt"');
    expect(bad.stderr).toContain('"input" must be the task');
    expect(bad.stderr).toContain('"conversationId" must be text');
    expect(bad.stderr).toContain('"metadata" must be a mapping');

    expect((await cli(['run', 'assistant', '--file', 'list.yaml'], { cwd })).stderr).toContain(
      'must be a mapping',
    );
    expect((await cli(['run', 'assistant', '--file', 'broken.yaml'], { cwd })).stderr).toContain(
      'not valid YAML',
    );
    expect((await cli(['run', 'assistant', '--file', 'missing.yaml'], { cwd })).stderr).toContain('ENOENT');
    const both = await cli(['run', 'assistant', 'hi', '--file', 'bad.yaml'], { cwd });
    expect(both.code).toBe(EXIT_USAGE);
    expect(both.stderr).toContain('one way');
  });
});

describe('agent run on a terminal', () => {
  it('shows a spinner with the step and tool on stderr, never on stdout, and erases it', async () => {
    const cwd = await dir();
    const stdout = collector(true);
    const stderr = collector(true);

    const code = await run(['run', 'assistant', 'What time is it?'], { stdout, stderr, env: {}, cwd });

    expect(code).toBe(EXIT_SUCCESS);
    expect(stderr.text).toContain('step 1 · waiting for the model');
    expect(stderr.text).toContain('running current_time');
    expect(stderr.text.endsWith('\r\u001b[2K')).toBe(true);
    expect(stdout.text).not.toContain('⠋');
    // Colour on a terminal...
    expect(stdout.text).toContain('\u001b[');
  });

  it('uses no colour with NO_COLOR and no spinner in CI', async () => {
    const cwd = await dir();
    const stdout = collector(true);
    const stderr = collector(true);

    await run(['run', 'assistant', 'What time is it?'], {
      stdout,
      stderr,
      env: { NO_COLOR: '1', CI: 'true' },
      cwd,
    });

    expect(stdout.text).not.toContain('\u001b[');
    expect(stderr.text).toContain('No API key'); // the demo-model warning, and nothing else
    expect(stderr.text).not.toContain('\u001b[');
    expect(stderr.text).not.toContain('\r');
  });
});
