import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type AgentEvent, isTerminalEvent, type RunSummary } from '@agent/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDirectory } from './__fixtures__/temp-files.js';
import { SqliteEventStore } from './sqlite-event-store.js';

// The child runs the compiled store (dist/), which turbo's `test` task builds first. Killing a
// process is the point, so this cannot run in-process.
const sourceDirectory = fileURLToPath(new URL('.', import.meta.url));
const builtDirectory = fileURLToPath(new URL('../../../dist/stores/sqlite/', import.meta.url));
const writer = fileURLToPath(new URL('./__fixtures__/crash-writer.mjs', import.meta.url));
const { fileIn } = useTempDirectory('sqlite-crash-');

/** Acknowledgements to wait for before killing: enough that the kill lands mid-stream, between batches or inside one. */
const KILL_AFTER_ACKS = 400;

beforeAll(() => {
  const stale = readdirSync(sourceDirectory)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .filter((file) => {
      const built = `${builtDirectory}${file.replace(/\.ts$/, '.js')}`;
      return !existsSync(built) || statSync(built).mtimeMs < statSync(`${sourceDirectory}${file}`).mtimeMs;
    });
  if (stale.length > 0) {
    throw new Error(
      `The crash test runs the built store, but dist/stores/sqlite is missing or older than ${stale.join(', ')}. Run "pnpm --filter @agent/observability build" first (turbo's test task does).`,
    );
  }
});

/** Runs the writer on `path` until it has acknowledged KILL_AFTER_ACKS events, kills it, and returns every ack. */
async function writeUntilKilled(path: string, prefix: string): Promise<Map<string, number[]>> {
  const child = spawn(process.execPath, [writer, path, prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked = new Map<string, number[]>();
  let ackCount = 0;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [word, runId, seq] = line.split(' ');
    if (word !== 'ack' || runId === undefined) return;
    acked.set(runId, [...(acked.get(runId) ?? []), Number(seq)]);
    if (++ackCount === KILL_AFTER_ACKS) child.kill('SIGKILL');
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  if (signal !== 'SIGKILL') {
    throw new Error(
      `The writer was meant to be killed mid-stream but exited with code ${code} after ${ackCount} acks. Its stderr:\n${stderr}`,
    );
  }
  return acked;
}

/** Every run in the store, through listRuns pages (bounded). */
async function allRuns(store: SqliteEventStore): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await store.listRuns({ limit: 500, ...(cursor !== undefined ? { cursor } : {}) });
    runs.push(...result.runs);
    cursor = result.nextCursor;
    if (cursor === undefined) return runs;
  }
  throw new Error('listRuns did not reach its last page in 100 pages');
}

/** The summary the events imply, derived here without the store's code. */
function expectedSummaryOf(events: AgentEvent[]): Partial<RunSummary> {
  const terminal = events.find(isTerminalEvent);
  const usage = { inputTokens: 0, outputTokens: 0 };
  for (const event of events) {
    if (event.type !== 'model.responded') continue;
    usage.inputTokens += event.usage.inputTokens;
    usage.outputTokens += event.usage.outputTokens;
  }
  return {
    status: terminal ? 'completed' : 'running',
    startedAt: events[0]?.timestamp ?? Number.NaN,
    eventCount: events.length,
    usage: terminal ? terminal.usage : usage,
    ...(terminal ? { endedAt: terminal.timestamp } : {}),
  };
}

describe('SqliteEventStore after a SIGKILL', () => {
  it('has every acknowledged event, and summaries that match the events, after two writers were killed mid-stream', async () => {
    const path = fileIn('crash.db');

    const first = await writeUntilKilled(path, 'first');
    const second = await writeUntilKilled(path, 'second');
    const store = new SqliteEventStore({ path });

    const lost: string[] = [];
    for (const [runId, seqs] of [...first, ...second]) {
      const stored = new Set((await store.readRun(runId)).map((event) => event.seq));
      for (const seq of seqs) if (!stored.has(seq)) lost.push(`${runId}#${seq}`);
    }
    expect(lost, 'acknowledged events missing after the kill').toEqual([]);
    const runs = await allRuns(store);
    expect(runs.length).toBeGreaterThanOrEqual(first.size + second.size);
    for (const summary of runs) {
      const events = await store.readRun(summary.runId);
      expect(
        events.map((event) => event.seq),
        `${summary.runId}: seqs have no holes`,
      ).toEqual(events.map((_, index) => index));
      expect(summary, `${summary.runId}: summary matches its events`).toMatchObject(
        expectedSummaryOf(events),
      );
      expect(summary.missingEvents, `${summary.runId}: missingEvents`).toBeUndefined();
    }
    await store.close();
  });
});
