import { join } from 'node:path';
import { testToolContext } from '@agent/core/testing';
import { mcpTools } from '@agent/tools/mcp';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_SUCCESS, EXIT_USAGE } from '../src/exit-codes.js';
import { run } from '../src/run.js';
import { cli, collector, project, VALID_CONFIG } from './helpers.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'agent.js');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
async function dir(files?: Record<string, string>) {
  const created = await project(files);
  cleanups.push(created.remove);
  return created.path;
}

describe('agent mcp serve', () => {
  it('serves the config tools over streamable HTTP until stopped', async () => {
    const cwd = await dir();
    const controller = new AbortController();
    const stdout = collector();
    const done = run(['mcp', 'serve', '--http', '--port', '0'], {
      stdout,
      stderr: collector(),
      env: {},
      cwd,
      signal: controller.signal,
    });
    const deadline = Date.now() + 20_000;
    while (!stdout.text.includes('/mcp')) {
      if (Date.now() > deadline) throw new Error(`not serving: ${stdout.text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const url = /(http:\/\/\S+\/mcp)/.exec(stdout.text)?.[1] as string;

    const set = await mcpTools({ transport: 'http', url });
    try {
      expect(set.tools.map((tool) => tool.name).sort()).toEqual(['current_time', 'word_count']);
      const wordCount = set.tools.find((tool) => tool.name === 'word_count');
      expect(await wordCount?.execute({ text: 'a b c' }, testToolContext())).toEqual({
        words: 3,
        characters: 5,
      });
    } finally {
      await set.close();
      controller.abort();
    }
    expect(await done).toBe(EXIT_SUCCESS);
  });

  it('serves over stdio from the built binary, as a desktop client spawns it, one agent only', async () => {
    const cwd = await dir();
    const set = await mcpTools({
      transport: 'stdio',
      command: process.execPath,
      args: [BIN, 'mcp', 'serve', '--agent', 'assistant', '--config', join(cwd, 'agent.config.yaml')],
    });
    try {
      expect(set.tools.map((tool) => tool.name).sort()).toEqual(['current_time', 'word_count']);
      const output = await set.tools
        .find((tool) => tool.name === 'current_time')
        ?.execute({ timezone: 'UTC' }, testToolContext());
      expect(output).toMatchObject({ timezone: 'UTC' });
    } finally {
      await set.close();
    }
  });

  it("lets another project's config use these tools through tools.mcp, namespaced", async () => {
    const served = await dir();
    const using = await dir({
      'agent.config.yaml': `${VALID_CONFIG}tools:\n  mcp:\n    other:\n      transport: stdio\n      command: ${process.execPath}\n      args: [${JSON.stringify(BIN)}, mcp, serve, --config, ${JSON.stringify(join(served, 'agent.config.yaml'))}]\n      namespace: other\n      allow: [word_*]\n`,
    });

    const result = await cli(['tools', 'list', '--json'], { cwd: using });

    expect(result.stderr).toBe('');
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string; source: string });
    expect(lines.find((line) => line.name === 'other_word_count')).toMatchObject({ source: 'mcp other' });
    expect(lines.some((line) => line.name === 'other_current_time')).toBe(false);
  });

  it('refuses --port without --http, an unknown agent, and stdio without process streams', async () => {
    const cwd = await dir();
    const port = await cli(['mcp', 'serve', '--port', '3001'], { cwd });
    expect(port.code).toBe(EXIT_USAGE);
    expect(port.stderr).toContain('--http only');

    const agent = await cli(['mcp', 'serve', '--http', '--agent', 'asistant'], { cwd });
    expect(agent.code).toBe(EXIT_USAGE);
    expect(agent.stderr).toContain('Did you mean assistant?');

    const stdio = await cli(['mcp', 'serve'], { cwd });
    expect(stdio.code).toBe(EXIT_USAGE);
    expect(stdio.stderr).toContain('use --http');
  });
});

describe('agent tools list', () => {
  it('shows each version with its source and deprecation', async () => {
    const cwd = await dir({
      'agent.config.yaml': VALID_CONFIG.replace(
        'tools: [current_time, word_count]',
        'tools: [current_time, word_count, calculator]',
      ),
    });

    const result = await cli(['tools', 'list'], { cwd });

    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toMatch(/^calculator .*\(builtin\)$/m);
    expect(result.stdout).toMatch(/^word_count .*\(demo\)$/m);
  });
});
