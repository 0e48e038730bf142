// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are config text, not templates.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { loadConfig, parseConfigText } from './load-config.js';

let directory: string;
let configFile: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'load-config-'));
  configFile = join(directory, 'agent.config.yaml');
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function write(name: string, lines: readonly string[]): Promise<void> {
  await writeFile(join(directory, name), `${lines.join('\n')}\n`);
}

async function configErrorOf(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

function configErrorOfSync(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const BASE = [
  'models:', //                          1
  '  main:', //                          2
  '    provider: openai', //             3
  '    model: gpt-4o-mini', //           4
  '    apiKey: ${OPENAI_API_KEY}', //    5
  'agents:', //                          6
  '  assistant:', //                     7
  '    model: main', //                  8
  '    instructions: Be brief.', //      9
  'server:', //                          10
  '  port: ${PORT:-3000}', //            11
];

describe('loadConfig failures', () => {
  it('points an agent that references an unknown model at the line of that value', async () => {
    await write(
      'agent.config.yaml',
      BASE.map((line) => line.replace('model: main', 'model: gpt5')),
    );

    const error = await configErrorOf(
      loadConfig(configFile, { env: { OPENAI_API_KEY: 'sk' }, dotenv: false }),
    );

    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues).toEqual([
      {
        file: configFile,
        line: 8,
        column: 12,
        path: 'agents.assistant.model',
        message: 'unknown model "gpt5"; models defined: main',
        fix: 'use one of the defined model names, or add "gpt5" under models',
      },
    ]);
    expect(error.message).toContain(
      `${configFile}:8:12 agents.assistant.model: unknown model "gpt5"; models defined: main. Fix: use one of`,
    );
  });

  it('reports every unset variable at its own line, with the fix', async () => {
    await write('agent.config.yaml', [...BASE, '  host: ${HOST}']);

    const error = await configErrorOf(loadConfig(configFile, { env: {}, dotenv: false }));

    expect(error.issues.map((issue) => [issue.line, issue.path, issue.message, issue.fix])).toEqual([
      [
        5,
        'models.main.apiKey',
        'environment variable OPENAI_API_KEY is not set',
        'set it in the environment or in .env, or write ${OPENAI_API_KEY:-default}',
      ],
      [
        12,
        'server.host',
        'environment variable HOST is not set',
        'set it in the environment or in .env, or write ${HOST:-default}',
      ],
    ]);
  });

  it('names an unknown key with a spelling fix, at its line', async () => {
    await write('agent.config.yaml', [...BASE.slice(0, 9), '    maxStep: 5', ...BASE.slice(9)]);

    const error = await configErrorOf(
      loadConfig(configFile, { env: { OPENAI_API_KEY: 'sk' }, dotenv: false }),
    );

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({
      line: 10,
      column: 5,
      path: 'agents.assistant.maxStep',
      message: 'unknown key "maxStep"',
    });
    expect(error.issues[0]?.fix).toContain('did you mean "maxSteps"?');
  });

  it('reports a wrong type at the value and a missing key at its parent', async () => {
    await write('agent.config.yaml', [
      'models:',
      '  main: { provider: openai, model: m }',
      'agents:',
      '  assistant:',
      '    model: main',
      '  helper:',
      '    model: main',
      '    instructions: [not, a, string]',
    ]);

    const error = await configErrorOf(loadConfig(configFile, { env: {}, dotenv: false }));

    expect(error.issues.map((issue) => [issue.line, issue.column, issue.path, issue.message])).toEqual([
      [4, 3, 'agents.assistant.instructions', '"instructions" is required'],
      [8, 5, 'agents.helper.instructions', 'Invalid input: expected string, received array'],
    ]);
  });

  it('reports each unknown key on its own line', () => {
    const text = ['server:', '  prot: 1', '  hots: x'].join('\n');

    const error = configErrorOfSync(() => parseConfigText(text));

    expect(
      error.issues.map((issue) => [issue.line, issue.column, issue.path, issue.fix.split(';')[0]]),
    ).toEqual([
      [2, 3, 'server.prot', 'remove it or check the spelling (did you mean "port"?)'],
      [3, 3, 'server.hots', 'remove it or check the spelling (did you mean "host"?)'],
    ]);
  });

  it('reports a list that matched a union by the list item that is wrong', () => {
    const text = [
      'rateLimits:',
      '  rules:',
      '    - name: r',
      '      scope: [tenant, modle]',
      '      maxCalls: 1',
      '      windowMs: 1000',
    ];

    const error = configErrorOfSync(() => parseConfigText(text.join('\n')));

    expect(error.issues).toEqual([
      expect.objectContaining({
        line: 4,
        column: 23,
        path: 'rateLimits.rules[0].scope[1]',
        fix: 'use one of: agent, model, tenant',
      }),
    ]);
  });

  it('reports an unset variable once, not again as the invalid value it leaves behind', () => {
    const error = configErrorOfSync(() => parseConfigText('server:\n  port: ${PORT}\n'));

    expect(error.issues.map((issue) => issue.message)).toEqual(['environment variable PORT is not set']);
  });

  it('points a redis backend without a url at rateLimits', async () => {
    await write('agent.config.yaml', ['rateLimits:', '  onLimit: fail', '  backend: redis']);

    const error = await configErrorOf(loadConfig(configFile, { env: {}, dotenv: false }));

    expect(error.issues).toEqual([
      expect.objectContaining({
        line: 1,
        path: 'rateLimits.redis.url',
        message: 'backend is redis but no Redis URL is set',
      }),
    ]);
  });

  it('reports a YAML syntax error with its line, column and a fix', async () => {
    await write('agent.config.yaml', ['server:', '  host: localhost', '  port: 3000', '  host: 0.0.0.0']);

    const error = await configErrorOf(loadConfig(configFile, { env: {}, dotenv: false }));

    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues).toEqual([
      {
        file: configFile,
        line: 4,
        column: 3,
        path: '',
        message: 'Map keys must be unique',
        fix: 'remove or rename one of the duplicate keys',
      },
    ]);
    expect(error.message).toBe(
      `Invalid YAML in ${configFile} (1 problem):\n  ${configFile}:4:3 (root): Map keys must be unique. Fix: remove or rename one of the duplicate keys`,
    );
  });

  it('reports one issue per syntax mistake, even when the parser finds it twice', async () => {
    await write('agent.config.yaml', ['agents:', '  assistant:', '    instructions: Reply: briefly: please']);

    const error = await configErrorOf(loadConfig(configFile, { env: {}, dotenv: false }));

    expect(error.issues.map((issue) => [issue.line, issue.fix])).toEqual([
      [3, 'quote a value that contains ": ", or put each key on its own line'],
    ]);
  });

  it('throws CONFIG_NOT_FOUND for a missing config file', async () => {
    const error = await configErrorOf(loadConfig(join(directory, 'absent.yaml'), { env: {} }));

    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.issues).toEqual([
      {
        file: join(directory, 'absent.yaml'),
        path: '',
        message: 'file not found',
        fix: 'check the path, or create the file',
      },
    ]);
  });

  it('throws CONFIG_INVALID when the config path is not a readable file', async () => {
    await mkdir(join(directory, 'folder.yaml'));

    const error = await configErrorOf(loadConfig(join(directory, 'folder.yaml'), { env: {} }));

    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues[0]?.message).toBe('cannot read the file (EISDIR)');
  });

  it('throws CONFIG_NOT_FOUND naming the overlay expected for a chosen environment', async () => {
    await write('agent.config.yaml', ['server: { port: 1 }']);

    const error = await configErrorOf(loadConfig(configFile, { env: {}, environment: 'staging' }));

    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.issues[0]?.file).toBe(join(directory, 'agent.config.staging.yaml'));
    expect(error.message).toContain('Config overlay for environment "staging" not found');
  });

  it('rejects an environment name that could escape the directory', async () => {
    await write('agent.config.yaml', ['server: { port: 1 }']);

    const error = await configErrorOf(loadConfig(configFile, { env: { AGENT_ENV: '../etc' } }));

    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues[0]?.message).toBe('environment name "../etc" is not valid');
  });

  it('throws CONFIG_NOT_FOUND for an explicitly named .env file that is missing', async () => {
    await write('agent.config.yaml', ['server: { port: 1 }']);

    const error = await configErrorOf(
      loadConfig(configFile, { env: {}, dotenv: join(directory, 'absent.env') }),
    );

    expect(error.code).toBe('CONFIG_NOT_FOUND');
  });
});

describe('parseConfigText', () => {
  it('interpolates defaults and escapes without reading the process environment', () => {
    const config = parseConfigText(
      ['server:', '  port: ${PORT:-8080}', '  host: ${HOST:-localhost}', 'plugins: ["$${KEEP}"]'].join('\n'),
    );

    expect(config.server).toMatchObject({ host: 'localhost', port: 8080 });
    expect(config.plugins).toEqual(['${KEEP}']);
  });

  it('treats an empty text as a config of defaults', () => {
    expect(parseConfigText('', { env: {} }).server.port).toBe(3000);
  });

  it('uses the file name given for locations', () => {
    expect(() => parseConfigText('server:\n  port: x\n', { file: 'inline.yaml' })).toThrow(
      /inline\.yaml:2:9 server\.port: Invalid input: expected number, received string\. Fix: use a number$/,
    );
  });
});
