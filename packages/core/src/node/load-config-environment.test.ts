// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are config text, not templates.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { loadConfig } from './load-config.js';

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

describe('loadConfig overlays', () => {
  const OVERLAY = ['server:', '  host: 0.0.0.0', 'agents:', '  assistant:', '    maxSteps: 20'];

  it('deep-merges the overlay: its values win, base-only keys stay, lists replace', async () => {
    await write('agent.config.yaml', [...BASE, 'plugins: [a, b]']);
    await write('agent.config.production.yaml', [...OVERLAY, 'plugins: [c]']);

    const loaded = await loadConfig(configFile, { env: { OPENAI_API_KEY: 'sk', AGENT_ENV: 'production' } });

    expect(loaded.environment).toBe('production');
    expect(loaded.files).toEqual([configFile, join(directory, 'agent.config.production.yaml')]);
    expect(loaded.config.server).toMatchObject({ host: '0.0.0.0', port: 3000 });
    expect(loaded.config.agents.assistant).toMatchObject({
      model: 'main',
      instructions: 'Be brief.',
      maxSteps: 20,
    });
    expect(loaded.config.plugins).toEqual(['c']);
  });

  it('points an error in an overlay value at the overlay file and line', async () => {
    await write('agent.config.yaml', BASE);
    await write('agent.config.production.yaml', [...OVERLAY.slice(0, 4), '    maxSteps: 500']);

    const error = await configErrorOf(
      loadConfig(configFile, { env: { OPENAI_API_KEY: 'sk' }, environment: 'production', dotenv: false }),
    );

    expect(error.issues).toEqual([
      expect.objectContaining({
        file: join(directory, 'agent.config.production.yaml'),
        line: 5,
        column: 15,
        path: 'agents.assistant.maxSteps',
        fix: 'use a number <= 100',
      }),
    ]);
    expect(error.message).toContain(
      `Invalid config in ${configFile} + ${join(directory, 'agent.config.production.yaml')}`,
    );
  });

  it('keeps pointing base errors at the base file, listed before overlay errors', async () => {
    await write('agent.config.yaml', [...BASE, '  requestTimeoutMs: -1']);
    await write('agent.config.dev.yaml', ['server:', '  bodyLimitBytes: 0']);

    const error = await configErrorOf(
      loadConfig(configFile, { env: { OPENAI_API_KEY: 'sk' }, environment: 'dev' }),
    );

    expect(error.issues.map((issue) => [issue.file, issue.line])).toEqual([
      [configFile, 12],
      [join(directory, 'agent.config.dev.yaml'), 2],
    ]);
  });

  it('leaves the base untouched for an empty overlay', async () => {
    await write('agent.config.yaml', BASE);
    await write('agent.config.test.yaml', []);

    const loaded = await loadConfig(configFile, { env: { OPENAI_API_KEY: 'sk' }, environment: 'test' });

    expect(loaded.config.server.port).toBe(3000);
  });
});

describe('loadConfig environment', () => {
  it('loads .env next to the config, with the given env winning', async () => {
    await write('agent.config.yaml', BASE);
    await write('.env', ['OPENAI_API_KEY=from-dotenv', 'PORT=4000']);

    const loaded = await loadConfig(configFile, { env: { PORT: '5000', UNSET: undefined } });

    expect(loaded.config.models.main?.apiKey).toBe('from-dotenv');
    expect(loaded.config.server.port).toBe(5000);
    expect(loaded.environment).toBeUndefined();
    expect(loaded.files).toEqual([configFile]);
  });

  it('reads an explicitly named .env file and can skip .env entirely', async () => {
    await write('agent.config.yaml', BASE);
    await write('.env', ['OPENAI_API_KEY=default-file']);
    await write('custom.env', ['OPENAI_API_KEY=custom-file']);

    const custom = await loadConfig(configFile, { env: {}, dotenv: join(directory, 'custom.env') });
    const skipped = await configErrorOf(loadConfig(configFile, { env: {}, dotenv: false }));

    expect(custom.config.models.main?.apiKey).toBe('custom-file');
    expect(skipped.issues[0]?.message).toBe('environment variable OPENAI_API_KEY is not set');
  });

  it('reads process.env and AGENT_ENV from it by default', async () => {
    await write('agent.config.yaml', BASE);
    await write('agent.config.ci.yaml', ['server: { port: 7 }']);
    const saved = { key: process.env.OPENAI_API_KEY, environment: process.env.AGENT_ENV };
    process.env.OPENAI_API_KEY = 'from-process';
    process.env.AGENT_ENV = 'ci';

    try {
      const loaded = await loadConfig(configFile);

      expect(loaded.config.models.main?.apiKey).toBe('from-process');
      expect(loaded.config.server.port).toBe(7);
    } finally {
      if (saved.key === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved.key;
      if (saved.environment === undefined) delete process.env.AGENT_ENV;
      else process.env.AGENT_ENV = saved.environment;
    }
  });
});

describe('the documented example', () => {
  const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
  const env = { OPENAI_API_KEY: 'sk-o', ANTHROPIC_API_KEY: 'sk-a', AGENT_API_KEY: 'key' };

  it('validates as it is', async () => {
    const { config } = await loadConfig(join(fixtures, 'agent.config.yaml'), { env, dotenv: false });

    expect(config.agents.researcher?.planner).toEqual({ model: 'backup', maxReplans: 2 });
    expect(config.models.local?.baseURL).toBe('http://localhost:11434/v1');
    expect(config.rateLimits.rules[1]?.scope).toEqual(['tenant', 'model']);
    expect(config.server.port).toBe(3000);
  });

  it('validates with its production overlay', async () => {
    const { config, files } = await loadConfig(join(fixtures, 'agent.config.yaml'), {
      env: { ...env, DATABASE_URL: 'postgres://db/agent' },
      environment: 'production',
      dotenv: false,
    });

    expect(files).toHaveLength(2);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.server.auth?.apiKeys).toHaveLength(1);
    expect(config.observability.events).toMatchObject({ store: 'postgres', url: 'postgres://db/agent' });
  });
});
