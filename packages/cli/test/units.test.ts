import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentEvent } from '@agent/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { humanPrinter } from '../src/commands/run-agent.js';
import { closest } from '../src/context.js';
import { EXIT_SUCCESS } from '../src/exit-codes.js';
import { colorsFor } from '../src/io.js';
import { main } from '../src/main.js';
import { stderrLogger } from '../src/runtime.js';
import { cli, collector, project, VALID_CONFIG } from './helpers.js';

const base = { runId: 'r1', timestamp: 0, agent: 'assistant' };
const usage = { inputTokens: 3, outputTokens: 4 };

function printer() {
  const stdout = collector();
  const stderr = collector();
  const io = { stdout, stderr, env: {}, cwd: '/' };
  const colors = colorsFor(stdout, {});
  return { print: humanPrinter({ io, out: colors, err: colors }), stdout, stderr };
}

describe('humanPrinter', () => {
  it('ends a streamed line before a tool line, and reports tool failures', () => {
    const { print, stdout } = printer();
    print({ ...base, seq: 1, type: 'model.text-delta', step: 1, delta: 'Thinking' } as AgentEvent);
    print({
      ...base,
      seq: 2,
      type: 'tool.failed',
      step: 1,
      toolCallId: 'c1',
      toolName: 'word_count',
      durationMs: 1,
      error: { name: 'ToolError', code: 'TOOL_FAILED', message: 'boom', retryable: false },
    } as AgentEvent);
    print({ ...base, seq: 3, type: 'step.started', step: 2 } as AgentEvent);
    expect(stdout.text).toBe('Thinking\n✗ word_count: boom\n');
  });

  it('prints structured output as JSON, with the cost when known', () => {
    const { print, stdout } = printer();
    print({
      ...base,
      seq: 1,
      type: 'run.completed',
      output: { answer: 42 },
      usage: { ...usage, costUsd: 0.5 },
      steps: 1,
      durationMs: 1500,
    } as AgentEvent);
    expect(stdout.text).toContain('"answer": 42');
    expect(stdout.text).toContain('1 step(s) · 3 in / 4 out tokens · $0.5000 · 1.5s');
  });

  it('reports a cancelled run on stderr', () => {
    const { print, stdout, stderr } = printer();
    print({
      ...base,
      seq: 1,
      type: 'run.cancelled',
      reason: 'shutdown',
      usage,
      steps: 0,
      durationMs: 0,
    } as AgentEvent);
    expect(stdout.text).toContain('cancelled · 0 step(s)');
    expect(stderr.text).toBe('error: run cancelled: shutdown\n');
  });
});

describe('stderrLogger', () => {
  it('writes lines at or above its level, with fields', () => {
    const stderr = collector();
    const io = { stdout: collector(), stderr, env: {}, cwd: '/' };
    const logger = stderrLogger(io, colorsFor(stderr, {}), 'info');
    logger.debug('hidden');
    logger.child({}).info('shown', { a: 1 });
    logger.error('bad');
    expect(stderr.text).toBe('info: shown {"a":1}\nerror: bad\n');
  });
});

describe('closest', () => {
  it('finds a near name and ignores far ones', () => {
    expect(closest('asistant', ['assistant', 'planner'])).toBe('assistant');
    expect(closest('xyz', ['assistant'])).toBeUndefined();
    expect(closest('a', [])).toBeUndefined();
  });
});

describe('main', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  it('runs the CLI on the process streams and sets the exit code', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await main(['--version']);
    expect(process.exitCode).toBe(EXIT_SUCCESS);
    expect(write).toHaveBeenCalledWith('0.1.0\n');
  });
});

describe('stores and models', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  it('agent run keeps events in memory when the config names no store', async () => {
    const noStore = VALID_CONFIG.replace('  events:\n    store: memory\n', '');
    const { path: cwd, remove } = await project({ 'agent.config.yaml': noStore });
    cleanups.push(remove);
    const result = await cli(['run', 'assistant', 'hello'], { cwd });
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it('serve without a dashboard and with an API key says nothing about them', async () => {
    const config = `${VALID_CONFIG.replace('    model: gpt-4o-mini\n', '    model: gpt-4o-mini\n    apiKey: sk-test\n')}server:\n  dashboard:\n    enabled: false\n`;
    const { path: cwd, remove } = await project({ 'agent.config.yaml': config });
    cleanups.push(remove);
    const controller = new AbortController();
    controller.abort();
    const result = await cli(['serve', '--port', '0'], { cwd, signal: controller.signal });
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(result.stdout).toContain('listening on');
    expect(result.stdout).not.toContain('dashboard');
    expect(result.stdout).not.toContain('demo model');
    const list = await cli(['agents', 'list'], { cwd });
    expect(list.stdout).not.toContain('demo model');
  });
});
