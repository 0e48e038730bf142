import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE } from '../src/exit-codes.js';
import { packageNameFor } from '../src/init/package-json.js';
import { cli, project } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
async function emptyDir() {
  const created = await project({});
  cleanups.push(created.remove);
  return created.path;
}
/** The parts of a package.json the tests read. */
interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  files?: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
}
const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as Manifest;

describe('agent init', () => {
  it('writes the basic template: package.json, config, a tool, .env.example, a test', async () => {
    const cwd = await emptyDir();
    const result = await cli(['init', 'demo', '--no-install'], { cwd });

    expect(result.code).toBe(EXIT_SUCCESS);
    for (const file of [
      'package.json',
      'agent.config.yaml',
      'tools/order-status.ts',
      'tools/index.ts',
      '.env.example',
      '.gitignore',
      'test/assistant.test.ts',
      'tsconfig.json',
      'README.md',
    ]) {
      expect(result.stdout).toContain(`  ${file}\n`);
      await expect(readFile(join(cwd, 'demo', file), 'utf8')).resolves.not.toBe('');
    }
    const manifest = await readJson(join(cwd, 'demo', 'package.json'));
    expect(manifest).toMatchObject({ name: 'demo', private: true, type: 'module' });
    expect(Object.keys(manifest.dependencies)).toEqual(['@agent/core', '@agent/tools', 'zod']);
    expect(Object.keys(manifest.devDependencies)).toContain('@agent/cli');
    const plugin = await readFile(join(cwd, 'demo', 'tools', 'index.ts'), 'utf8');
    expect(plugin).toContain("name: 'demo-tools'");
    expect(plugin).not.toContain('{{');
    expect(result.stdout).toContain('Next:\n  cd demo\n');
    expect(result.stdout).toContain('agent run assistant "hello"');
  });

  it('links @agent/* to the checkout the CLI runs from, or to --link, or takes the registry with --no-link', async () => {
    const cwd = await emptyDir();
    await cli(['init', 'linked', '--no-install'], { cwd });
    const checkout = join(import.meta.dirname, '..', '..', '..');
    const linked = await readJson(join(cwd, 'linked', 'package.json'));
    expect(linked.dependencies['@agent/core']).toBe(`link:${checkout}/packages/core`);

    await cli(['init', 'explicit', '--no-install', '--link', checkout], { cwd });
    const explicit = await readJson(join(cwd, 'explicit', 'package.json'));
    expect(explicit.dependencies['@agent/tools']).toBe(`link:${checkout}/packages/tools`);

    await cli(['init', 'registry', '--no-install', '--no-link'], { cwd });
    const registry = await readJson(join(cwd, 'registry', 'package.json'));
    const core = await readJson(join(checkout, 'packages', 'core', 'package.json'));
    expect(registry.dependencies['@agent/core']).toBe(`^${core.version}`);
  });

  it('refuses a --link that is not a checkout', async () => {
    const cwd = await emptyDir();
    const result = await cli(['init', 'x', '--no-install', '--link', cwd], { cwd });

    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toContain('is not an Agent SDK checkout');
  });

  it('writes the planner-executor template with a planner agent', async () => {
    const cwd = await emptyDir();
    const result = await cli(['init', 'planner', '--template', 'planner-executor', '--no-install'], { cwd });

    expect(result.code).toBe(EXIT_SUCCESS);
    const config = await readFile(join(cwd, 'planner', 'agent.config.yaml'), 'utf8');
    expect(config).toContain('planner:');
    const test = await readFile(join(cwd, 'planner', 'test', 'assistant.test.ts'), 'utf8');
    expect(test).toContain('PlannerExecutor');
    // The basic template's tool comes along; its test and README are replaced.
    await expect(readFile(join(cwd, 'planner', 'tools', 'order-status.ts'), 'utf8')).resolves.toContain(
      'order_status',
    );
    expect(result.stdout.match(/test\/assistant\.test\.ts/g)).toHaveLength(1);
  });

  it('writes the tool-plugin template as a publishable package named agent-tools-*', async () => {
    const cwd = await emptyDir();
    const result = await cli(['init', 'units', '-t', 'tool-plugin', '--no-install', '--no-link'], { cwd });

    expect(result.code).toBe(EXIT_SUCCESS);
    const manifest = await readJson(join(cwd, 'units', 'package.json'));
    expect(manifest.name).toBe('agent-tools-units');
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.peerDependencies)).toEqual(['@agent/core', '@agent/tools', 'zod']);
    expect(manifest.files).toEqual(['dist']);
    const plugin = await readFile(join(cwd, 'units', 'src', 'index.ts'), 'utf8');
    expect(plugin).toMatch(/sdk: '\^\d+\.\d+\.\d+'/);
    expect(result.stdout).toContain('agent run assistant "Convert 5 km to miles"');
  });

  it('refuses to overwrite existing files without --force, and names them', async () => {
    const cwd = await emptyDir();
    await writeFile(join(cwd, 'agent.config.yaml'), 'mine: true\n');

    const refused = await cli(['init', '--no-install'], { cwd });
    expect(refused.code).toBe(EXIT_USAGE);
    expect(refused.stderr).toContain('already has agent.config.yaml');
    expect(refused.stderr).toContain('--force');
    await expect(readFile(join(cwd, 'agent.config.yaml'), 'utf8')).resolves.toBe('mine: true\n');
    await expect(readFile(join(cwd, 'package.json'), 'utf8')).rejects.toThrow();

    const forced = await cli(['init', '.', '--no-install', '--force'], { cwd });
    expect(forced.code).toBe(EXIT_SUCCESS);
    await expect(readFile(join(cwd, 'agent.config.yaml'), 'utf8')).resolves.toContain('agents:');
    expect(forced.stdout).not.toContain('cd .');
  });

  it('suggests the nearest template for a misspelt one', async () => {
    const cwd = await emptyDir();
    const result = await cli(['init', 'x', '--template', 'planer-executor'], { cwd });

    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toContain('Did you mean planner-executor?');
  });

  it('reports a failed install and says how to finish by hand', async () => {
    const cwd = await emptyDir();
    // No PATH: the package manager cannot even start.
    const result = await cli(['init', 'demo', '--no-link'], { cwd, env: { PATH: '' } });

    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toMatch(/cannot start npm/);
    expect(result.stderr).toContain('run "npm install" in demo yourself');
  });

  it('makes npm package names from directory names', () => {
    expect(packageNameFor('My Agent!', 'basic')).toBe('my-agent');
    expect(packageNameFor('---', 'basic')).toBe('agent-project');
    expect(packageNameFor('weather', 'tool-plugin')).toBe('agent-tools-weather');
    expect(packageNameFor('agent-tools-weather', 'tool-plugin')).toBe('agent-tools-weather');
  });
});
