import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_CONFIG, EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE } from '../src/exit-codes.js';
import { colorsFor } from '../src/io.js';
import { run } from '../src/run.js';
import { cli, collector, project, VALID_CONFIG } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
async function dir(files?: Record<string, string>) {
  const created = await project(files);
  cleanups.push(created.remove);
  return created.path;
}

const parseLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('usage', () => {
  it('shows help with examples and exits 0', async () => {
    const result = await cli(['--help'], { cwd: '/' });
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toContain('Usage: agent');
    expect(result.stdout).toContain('Examples:');
  });

  it('lists exactly the commands whose help is checked below', async () => {
    const { stdout } = await cli(['--help'], { cwd: '/' });
    const section = stdout.split('Commands:\n')[1]?.split('\n\n')[0] ?? '';
    const names = section
      .split('\n')
      .map((line) => /^ {2}(\S+)/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined && name !== 'help');
    expect(names.sort()).toEqual([
      'agents',
      'config',
      'doctor',
      'events',
      'init',
      'mcp',
      'run',
      'serve',
      'tools',
    ]);
  });

  // Every command and command group of the CLI.
  it.each([
    ['init'],
    ['run'],
    ['serve'],
    ['agents'],
    ['agents', 'list'],
    ['tools'],
    ['tools', 'list'],
    ['tools', 'call'],
    ['config'],
    ['config', 'validate'],
    ['events'],
    ['events', 'tail'],
    ['events', 'replay'],
    ['doctor'],
    ['mcp'],
    ['mcp', 'serve'],
  ])('%s %s --help has an example', async (...command) => {
    const result = await cli([...command, '--help'], { cwd: '/' });
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toMatch(/Examples:\n {2}\$ agent /);
  });

  it('prints the version', async () => {
    const result = await cli(['--version'], { cwd: '/' });
    expect(result).toMatchObject({ code: EXIT_SUCCESS, stdout: '0.1.0\n' });
  });

  it('suggests the nearest command for an unknown one and exits 2', async () => {
    const result = await cli(['agnets', 'list'], { cwd: '/' });
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toContain("unknown command 'agnets'");
    expect(result.stderr).toContain('Did you mean agents?');
    expect(result.stdout).toBe('');
  });

  it('suggests the nearest flag for an unknown one and exits 2', async () => {
    const result = await cli(['agents', 'list', '--jsno'], { cwd: '/' });
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toContain("unknown option '--jsno'");
    expect(result.stderr).toContain('Did you mean --json?');
  });

  it('exits 2 with help on stderr when no command is given', async () => {
    const result = await cli([], { cwd: '/' });
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toContain('Usage: agent');
  });

  it('exits 2 when the agent argument is missing', async () => {
    const result = await cli(['run'], { cwd: '/' });
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toContain("missing required argument 'agent'");
  });
});

describe('colour', () => {
  it('is used only on a TTY without NO_COLOR', () => {
    expect(colorsFor({ write() {}, isTTY: true }, {}).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(colorsFor({ write() {}, isTTY: true }, { NO_COLOR: '1' }).red('x')).toBe('x');
    expect(colorsFor({ write() {} }, {}).bold('x')).toBe('x');
  });

  it('colours list output on a TTY', async () => {
    const cwd = await dir();
    const result = await cli(['agents', 'list'], { cwd, stdout: { write() {}, isTTY: true } });
    expect(result.stdout).toContain('\u001b[1massistant\u001b[22m');
  });
});

describe('config lookup', () => {
  it('says clearly that no config file exists and exits 3', async () => {
    const cwd = await dir({});
    const result = await cli(['agents', 'list'], { cwd });
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toContain(`no config file at ${cwd}/agent.config.yaml`);
    expect(result.stderr).toContain('--config');
  });

  it('uses AGENT_CONFIG, and --config over it', async () => {
    const cwd = await dir({ 'custom.yaml': VALID_CONFIG });
    const fromEnv = await cli(['agents', 'list'], { cwd, env: { AGENT_CONFIG: 'custom.yaml' } });
    expect(fromEnv.code).toBe(EXIT_SUCCESS);
    const fromFlag = await cli(['agents', 'list', '--config', 'missing.yaml'], {
      cwd,
      env: { AGENT_CONFIG: 'custom.yaml' },
    });
    expect(fromFlag.code).toBe(EXIT_CONFIG);
    expect(fromFlag.stderr).toContain('missing.yaml');
  });
});

describe('agent agents list', () => {
  it('lists agents with model and tools', async () => {
    const cwd = await dir();
    const result = await cli(['agents', 'list'], { cwd });
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toContain('assistant');
    expect(result.stdout).toContain('openai/gpt-4o-mini (demo model: no API key)');
    expect(result.stdout).toContain('current_time, word_count');
    expect(result.stdout).toContain('Helps with small things.');
  });

  it('prints one JSON object per line with --json', async () => {
    const cwd = await dir();
    const result = await cli(['agents', 'list', '--json'], { cwd });
    expect(parseLines(result.stdout)).toEqual([
      expect.objectContaining({ name: 'assistant', kind: 'agent', tools: ['current_time', 'word_count'] }),
    ]);
  });

  it('says when no agents are configured', async () => {
    const cwd = await dir({ 'agent.config.yaml': 'observability:\n  logLevel: error\n' });
    const result = await cli(['agents', 'list'], { cwd });
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toContain('No agents configured');
  });
});

describe('agent tools list', () => {
  it('lists the tools', async () => {
    const cwd = await dir();
    const result = await cli(['tools', 'list'], { cwd });
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toMatch(/current_time {2}\S/);
    expect(result.stdout).toContain('word_count');
  });

  it('prints JSON Schemas with --json, one object per line', async () => {
    const cwd = await dir();
    const result = await cli(['tools', 'list', '--json'], { cwd });
    const tools = parseLines(result.stdout);
    const wordCount = tools.find((tool) => tool.name === 'word_count');
    expect(wordCount?.inputSchema).toMatchObject({
      type: 'object',
      properties: { text: expect.any(Object) },
    });
  });
});

describe('agent config validate', () => {
  it('reports a valid config', async () => {
    const cwd = await dir();
    const result = await cli(['config', 'validate'], { cwd });
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toContain('agent.config.yaml is valid: 1 model(s), 1 agent(s)');
  });

  it('reports every error with file, line, path and fix, and exits 3', async () => {
    const invalid = `models:
  main:
    provider: openai
    model: gpt-4o-mini
agents:
  assistant:
    model: main
    maxSteps: -1
    instructions: Be brief.
server:
  port: not-a-port
  colour: blue
`;
    const cwd = await dir({ 'agent.config.yaml': invalid });
    const result = await cli(['config', 'validate'], { cwd });
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toContain('invalid config (3 problems)');
    expect(result.stderr).toMatch(/agent\.config\.yaml:8:\d+ agents\.assistant\.maxSteps:/);
    expect(result.stderr).toMatch(/agent\.config\.yaml:11:\d+ server\.port:/);
    expect(result.stderr).toMatch(/agent\.config\.yaml:12:\d+ server\.colour:/);
    expect(result.stderr.match(/ {4}fix: /g)).toHaveLength(3);
  });

  it('applies the overlay of --env', async () => {
    const cwd = await dir({
      'agent.config.yaml': VALID_CONFIG,
      'agent.config.production.yaml': 'server:\n  port: 9000\n',
    });
    const result = await cli(['config', 'validate', '--env', 'production'], { cwd });
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toContain(
      'agent.config.yaml + agent.config.production.yaml is valid for environment "production"',
    );
  });

  it('exits 3 when the overlay of --env is missing', async () => {
    const cwd = await dir();
    const result = await cli(['config', 'validate', '--env', 'staging'], { cwd });
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toContain('agent.config.staging.yaml');
    expect(result.stderr).toContain('fix:');
  });

  it('reports an invalid environment name', async () => {
    const cwd = await dir();
    const result = await cli(['config', 'validate', '--env', '../x'], { cwd });
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toContain('environment name "../x" is not valid');
  });
});

describe('agent serve', () => {
  it('serves the config until stopped', async () => {
    const cwd = await dir();
    const controller = new AbortController();
    const stdout = collector();
    const running = run(['serve', '--port', '0', '--host', '127.0.0.1'], {
      cwd,
      env: {},
      stdout,
      stderr: { write() {} },
      signal: controller.signal,
    });
    await expect.poll(() => stdout.text, { timeout: 10_000 }).toContain('listening on http://127.0.0.1:');
    const url = /listening on (\S+)/.exec(stdout.text)?.[1];
    const response = await fetch(`${url}/health`);
    expect(response.status).toBeLessThan(500);
    controller.abort();
    expect(await running).toBe(EXIT_SUCCESS);
    expect(stdout.text).toContain('demo model');
  });

  it('says clearly that no config file exists and exits 3', async () => {
    const cwd = await dir({});
    const result = await cli(['serve'], { cwd });
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toContain('no config file at');
  });

  it('refuses a non-loopback host without auth: config error', async () => {
    const cwd = await dir();
    const result = await cli(['serve', '--host', '0.0.0.0', '--port', '0'], { cwd });
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toContain('Refusing to listen on 0.0.0.0');
  });

  it('rejects a bad port as a usage error', async () => {
    const result = await cli(['serve', '--port', 'abc'], { cwd: '/' });
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toContain('--port must be a number');
  });
});

describe('agent run', () => {
  it('streams the answer of the demo model, with usage at the end', async () => {
    const cwd = await dir();
    const result = await cli(['run', 'assistant', 'hello'], { cwd });
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toContain('You said: "hello"');
    expect(result.stdout).toMatch(/completed · 1 step\(s\) · \d+ in \/ \d+ out tokens · \$0\.0000/);
    expect(result.stderr).toContain('No API key for model "main"');
  });

  it('shows tool calls compactly, one line each', async () => {
    const cwd = await dir();
    const result = await cli(['run', 'assistant', 'How many words are in "to be or not"?'], { cwd });
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toMatch(/^→ word_count\(\{"text":"to be or not"\}\)$/m);
    expect(result.stdout).toMatch(/^✓ word_count \d+ms → /m);
  });

  it('prints one valid JSON event per line with --json', async () => {
    const cwd = await dir();
    const result = await cli(['run', 'assistant', 'hello', '--json'], { cwd });
    expect(result.code).toBe(EXIT_SUCCESS);
    const events = parseLines(result.stdout);
    expect(events[0]?.type).toBe('run.started');
    expect(events.at(-1)?.type).toBe('run.completed');
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
  });

  it('reads the task from stdin with --input -', async () => {
    const cwd = await dir();
    const result = await cli(['run', 'assistant', '--input', '-'], {
      cwd,
      stdin: Readable.from([Buffer.from('from stdin\n')]),
    });
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toContain('You said: "from stdin"');
  });

  it('reads the task from a file with --input', async () => {
    const cwd = await dir({ 'agent.config.yaml': VALID_CONFIG, 'task.txt': 'from a file' });
    const result = await cli(['run', 'assistant', '--input', 'task.txt'], { cwd });
    expect(result.stdout).toContain('You said: "from a file"');
  });

  it('is a usage error without a task, or with two', async () => {
    const none = await cli(['run', 'assistant'], { cwd: '/' });
    expect(none.code).toBe(EXIT_USAGE);
    expect(none.stderr).toContain('missing the task');
    const both = await cli(['run', 'assistant', 'x', '--input', '-'], { cwd: '/' });
    expect(both.code).toBe(EXIT_USAGE);
  });

  it('names the nearest agent for an unknown one and exits 2', async () => {
    const cwd = await dir();
    const result = await cli(['run', 'assistent', 'hello'], { cwd });
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toContain('unknown agent "assistent" (Did you mean assistant?)');
    expect(result.stderr).toContain('Available agents: assistant');
    const far = await cli(['run', 'zzz', 'hello'], { cwd });
    expect(far.stderr).not.toContain('Did you mean');
  });

  it('exits 1 when the run fails', async () => {
    const failing = VALID_CONFIG.replace(
      '    tools: [current_time, word_count]\n',
      '    maxSteps: 1\n    tools: [current_time, word_count]\n',
    );
    const cwd = await dir({ 'agent.config.yaml': failing });
    const result = await cli(['run', 'assistant', 'What time is it?'], { cwd });
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toContain('run failed:');
  });

  it('exits 3 for an invalid config', async () => {
    const cwd = await dir({ 'agent.config.yaml': 'agents:\n  a:\n    model: nope\n' });
    const result = await cli(['run', 'a', 'hi'], { cwd });
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toMatch(/agent\.config\.yaml:\d+/);
  });
});
