import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentError, type AgentEvent, ConfigError } from '@agent/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Redactor } from '../redact/redactor.js';
import { makeEvent, makeRun, stubRedactor } from './__fixtures__/events.js';
import { createJsonlFileSink, type JsonlFileSink, type JsonlFileSinkOptions } from './jsonl-file-sink.js';

let directory: string;
const opened: JsonlFileSink[] = [];

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'jsonl-sink-'));
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((sink) => sink.close()));
  await rm(directory, { recursive: true, force: true });
});

async function readLines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

/** The events in path.<n> ... path.1, path, oldest first, each line parsed. */
async function readRotated(path: string, files: number): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for (let index = files; index >= 0; index--) {
    const file = index === 0 ? path : `${path}.${index}`;
    if (!existsSync(file)) continue;
    for (const line of await readLines(file)) events.push(JSON.parse(line) as AgentEvent);
  }
  return events;
}

/** Step events whose JSON lines all have the same length (3-digit seqs). */
function sameSizeEvents(count: number): AgentEvent[] {
  return Array.from({ length: count }, (_, index) =>
    makeEvent('step.started', { runId: 'r', seq: 100 + index }),
  );
}

const lineBytes = (event: AgentEvent): number => Buffer.byteLength(`${JSON.stringify(event)}\n`);

function sinkAt(path: string, options: Omit<JsonlFileSinkOptions, 'path'> = {}) {
  const errors: unknown[] = [];
  const sink = createJsonlFileSink({ path, onError: (error) => errors.push(error), ...options });
  opened.push(sink);
  return { sink, errors };
}

describe('JsonlFileSink: writing', () => {
  it('writes one JSON line per event, in order, creating the directory', async () => {
    const path = join(directory, 'nested', 'deeper', 'events.jsonl');
    const { sink, errors } = sinkAt(path);
    const events = makeRun('r-1', 5);

    for (const event of events) sink.handle(event);
    await sink.flush();

    const lines = await readLines(path);
    expect(lines.map((line) => JSON.parse(line))).toEqual(events);
    expect(sink.stats()).toMatchObject({ written: 5, dropped: 0, failed: 0, pending: 0, rotations: 0 });
    expect(errors).toEqual([]);
  });

  it('appends to an existing file across sinks', async () => {
    const path = join(directory, 'events.jsonl');
    const first = createJsonlFileSink({ path });
    first.handle(makeEvent('run.started', { seq: 0 }));
    await first.close();

    const second = createJsonlFileSink({ path });
    second.handle(makeEvent('step.started', { seq: 1 }));
    await second.close();

    expect((await readLines(path)).map((line) => JSON.parse(line).seq)).toEqual([0, 1]);
  });

  it('redacts every event when given a redactor', async () => {
    const path = join(directory, 'events.jsonl');
    const { sink } = sinkAt(path, { redactor: stubRedactor });

    sink.handle(makeEvent('run.started'));
    sink.handle(makeEvent('tool.called'));
    sink.handle(makeEvent('run.completed'));
    await sink.flush();

    const text = await readFile(path, 'utf8');
    expect(text).not.toMatch(/private|alice@example\.com/);
    expect(text).toContain('hello [REDACTED:email]');
    expect(text).toContain('"text":"[REDACTED] words"');
  });

  it('skips a redactor that is switched off', async () => {
    const path = join(directory, 'events.jsonl');
    const off: Redactor = {
      enabled: false,
      redactString: () => 'x',
      redact: () => {
        throw new Error('should not be called');
      },
    };
    const { sink, errors } = sinkAt(path, { redactor: off });

    sink.handle(makeEvent('run.started'));
    await sink.flush();

    expect(await readFile(path, 'utf8')).toContain('alice@example.com');
    expect(errors).toEqual([]);
  });

  it('writes bigints as strings, and an unserialisable event as its identity only', async () => {
    const path = join(directory, 'events.jsonl');
    const { sink, errors } = sinkAt(path);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    sink.handle({ ...makeEvent('tool.succeeded', { seq: 0 }), output: 12n });
    sink.handle({ ...makeEvent('tool.succeeded', { seq: 1, tenant: 't' }), output: cyclic });
    await sink.flush();

    const [first, second] = (await readLines(path)).map((line) => JSON.parse(line));
    expect(first.output).toBe('12');
    expect(second).toEqual({
      runId: 'run-1',
      seq: 1,
      timestamp: 1_700_000_000_000,
      agent: 'helper',
      tenant: 't',
      type: 'tool.succeeded',
      unserializable: true,
    });
    expect(errors).toHaveLength(1);
    expect(String((errors[0] as Error).message)).toMatch(
      /serialise event tool.succeeded \(run run-1, seq 1\)/,
    );
    expect(sink.stats()).toMatchObject({ written: 2, errors: 1 });
  });

  it('resolves flush at once when nothing is pending, and after the events handled before it', async () => {
    const path = join(directory, 'events.jsonl');
    const { sink } = sinkAt(path);
    await sink.flush();

    for (const event of makeRun('r', 3)) sink.handle(event);
    const flushed = sink.flush();
    sink.handle(makeEvent('step.started', { runId: 'later', seq: 0 }));
    await flushed;

    expect(sink.stats().written).toBeGreaterThanOrEqual(3);
    expect((await readLines(path)).slice(0, 3).map((line) => JSON.parse(line).seq)).toEqual([0, 1, 2]);
  });
});

describe('JsonlFileSink: rotation', () => {
  it('rotates exactly at maxBytes: a file holds as many whole lines as fit', async () => {
    const path = join(directory, 'events.jsonl');
    const events = sameSizeEvents(10);
    const size = lineBytes(events[0] as AgentEvent);
    const { sink, errors } = sinkAt(path, { maxBytes: 3 * size, maxFiles: 10 });

    for (const event of events) sink.handle(event);
    await sink.flush();

    expect((await stat(path)).size).toBe(size);
    for (const index of [1, 2, 3]) expect((await stat(`${path}.${index}`)).size).toBe(3 * size);
    expect(existsSync(`${path}.4`)).toBe(false);
    expect((await readRotated(path, 10)).map((event) => event.seq)).toEqual(events.map((event) => event.seq));
    expect(sink.stats()).toMatchObject({ written: 10, rotations: 3 });
    expect(errors).toEqual([]);
  });

  it('loses and splits no line over many rotations, keeping order across files', async () => {
    const path = join(directory, 'events.jsonl');
    const events: AgentEvent[] = [];
    for (let run = 0; run < 20; run++) events.push(...makeRun(`run-${run}`, 15, { tenant: `t${run % 3}` }));
    const maxBytes = 2000;
    const { sink, errors } = sinkAt(path, { maxBytes, maxFiles: 100 });

    // In several batches, so rotation also happens between writes, not only inside one.
    for (let start = 0; start < events.length; start += 70) {
      for (const event of events.slice(start, start + 70)) sink.handle(event);
      await sink.flush();
    }

    const files = (await readdir(directory)).filter((name) => name.startsWith('events.jsonl'));
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) expect((await stat(join(directory, name))).size).toBeLessThanOrEqual(maxBytes);
    expect(await readRotated(path, 100)).toEqual(events);
    expect(sink.stats()).toMatchObject({ written: 300, rotations: files.length - 1, failed: 0 });
    expect(errors).toEqual([]);
  });

  it('keeps maxFiles old files, deleting the oldest, and the newest lines survive intact', async () => {
    const path = join(directory, 'events.jsonl');
    const events = sameSizeEvents(40);
    const size = lineBytes(events[0] as AgentEvent);
    const { sink } = sinkAt(path, { maxBytes: 4 * size, maxFiles: 2 });

    for (const event of events) sink.handle(event);
    await sink.flush();

    expect((await readdir(directory)).sort()).toEqual(['events.jsonl', 'events.jsonl.1', 'events.jsonl.2']);
    const kept = await readRotated(path, 5);
    expect(kept.map((event) => event.seq)).toEqual(events.slice(-12).map((event) => event.seq));
    expect(sink.stats().rotations).toBe(9);
  });

  it('deletes the full file when maxFiles is 0', async () => {
    const path = join(directory, 'events.jsonl');
    const events = sameSizeEvents(5);
    const { sink } = sinkAt(path, { maxBytes: 2 * lineBytes(events[0] as AgentEvent), maxFiles: 0 });

    for (const event of events) sink.handle(event);
    await sink.flush();

    expect(await readdir(directory)).toEqual(['events.jsonl']);
    expect((await readLines(path)).map((line) => JSON.parse(line).seq)).toEqual([104]);
  });

  it('gives a line longer than maxBytes a file of its own rather than splitting it', async () => {
    const path = join(directory, 'events.jsonl');
    const { sink } = sinkAt(path, { maxBytes: 50, maxFiles: 5 });
    const events = makeRun('r', 3);

    for (const event of events) sink.handle(event);
    await sink.flush();

    expect(await readRotated(path, 5)).toEqual(events);
    expect((await readLines(path)).length).toBe(1);
    expect((await readLines(`${path}.1`)).length).toBe(1);
    expect((await readLines(`${path}.2`)).length).toBe(1);
  });

  it('rotates an existing file that is already past maxBytes before writing to it', async () => {
    const path = join(directory, 'events.jsonl');
    await writeFile(path, `${'x'.repeat(300)}\n`);
    const { sink } = sinkAt(path, { maxBytes: 200 });

    sink.handle(makeEvent('run.started'));
    await sink.flush();

    expect((await readFile(`${path}.1`, 'utf8')).startsWith('xxx')).toBe(true);
    expect(JSON.parse((await readLines(path))[0] as string).type).toBe('run.started');
  });
});

describe('JsonlFileSink: pressure and failures', () => {
  it('drops and counts new events past maxBufferedEvents', async () => {
    const path = join(directory, 'events.jsonl');
    const drops: number[] = [];
    const { sink } = sinkAt(path, { maxBufferedEvents: 10, onDrop: (count) => drops.push(count) });
    const events = sameSizeEvents(25);

    for (const event of events) sink.handle(event);
    await sink.flush();

    expect(sink.stats()).toMatchObject({ written: 10, dropped: 15, pending: 0 });
    expect(drops).toEqual(Array(15).fill(1));
    expect((await readLines(path)).map((line) => JSON.parse(line).seq)).toEqual(
      events.slice(0, 10).map((event) => event.seq),
    );
  });

  it('reports a directory that is a file to onError, never throws, and recovers once it is fixed', async () => {
    const blocker = join(directory, 'logs');
    await writeFile(blocker, 'not a directory');
    const path = join(blocker, 'events.jsonl');
    const { sink, errors } = sinkAt(path);

    expect(() => sink.handle(makeEvent('run.started', { seq: 0 }))).not.toThrow();
    sink.handle(makeEvent('step.started', { seq: 1 }));
    await sink.flush();

    expect(sink.stats()).toMatchObject({ written: 0, failed: 2, errors: 1, pending: 0 });
    expect(errors[0]).toBeInstanceOf(AgentError);
    expect((errors[0] as AgentError).message).toMatch(/could not open .*events\.jsonl; 2 event\(s\) lost/);
    expect(['EEXIST', 'ENOTDIR']).toContain(((errors[0] as AgentError).cause as NodeJS.ErrnoException).code);

    await rm(blocker);
    sink.handle(makeEvent('step.started', { seq: 2 }));
    await sink.close();

    expect((await readLines(path)).map((line) => JSON.parse(line).seq)).toEqual([2]);
  });

  it.skipIf(!existsSync('/dev/full'))(
    'reports a full disk (ENOSPC) per failed write and keeps going',
    async () => {
      const { sink, errors } = sinkAt('/dev/full');

      sink.handle(makeEvent('run.started', { seq: 0 }));
      await sink.flush();
      sink.handle(makeEvent('step.started', { seq: 1 }));
      await sink.flush();

      expect(sink.stats()).toMatchObject({ written: 0, failed: 2, errors: 2 });
      expect(((errors[1] as AgentError).cause as NodeJS.ErrnoException).code).toBe('ENOSPC');
      expect((errors[1] as AgentError).message).toMatch(/could not write \/dev\/full; 1 event\(s\) lost/);
    },
  );

  it('reports a path the file system refuses (a name too long) as an open failure', async () => {
    const { sink, errors } = sinkAt(join(directory, `${'x'.repeat(300)}.jsonl`));

    sink.handle(makeEvent('run.started'));
    await sink.flush();

    expect(sink.stats()).toMatchObject({ failed: 1, errors: 1 });
    expect(((errors[0] as AgentError).cause as NodeJS.ErrnoException).code).toBe('ENAMETOOLONG');
  });

  it('recreates a directory removed underneath it at the next rotation', async () => {
    const logs = join(directory, 'logs');
    const path = join(logs, 'events.jsonl');
    const events = sameSizeEvents(4);
    const { sink, errors } = sinkAt(path, { maxBytes: 2 * lineBytes(events[0] as AgentEvent) });
    sink.handle(events[0] as AgentEvent);
    sink.handle(events[1] as AgentEvent);
    await sink.flush();

    await rm(logs, { recursive: true });
    sink.handle(events[2] as AgentEvent);
    sink.handle(events[3] as AgentEvent);
    await sink.flush();

    expect(errors).toEqual([]);
    expect((await readLines(path)).map((line) => JSON.parse(line).seq)).toEqual([102, 103]);
  });

  it('reports a failed rotation and drops that batch rather than outgrowing maxBytes', async () => {
    const path = join(directory, 'events.jsonl');
    const events = sameSizeEvents(3);
    const { sink, errors } = sinkAt(path, { maxBytes: lineBytes(events[0] as AgentEvent), maxFiles: 1 });
    sink.handle(events[0] as AgentEvent);
    await sink.flush();
    // A non-empty directory where the oldest rotated file is deleted makes the rotation fail.
    await mkdir(`${path}.1`);
    await writeFile(join(`${path}.1`, 'keep'), 'x');

    sink.handle(events[1] as AgentEvent);
    sink.handle(events[2] as AgentEvent);
    await sink.flush();

    expect(sink.stats()).toMatchObject({ written: 1, failed: 2, errors: 1 });
    expect((errors[0] as AgentError).message).toMatch(/could not rotate/);
    expect((errors[0] as AgentError).cause).toBeInstanceOf(Error);
    expect((await readLines(path)).map((line) => JSON.parse(line).seq)).toEqual([100]);
  });

  it('swallows a throwing onError or onDrop', async () => {
    const blocker = join(directory, 'file');
    await writeFile(blocker, '');
    const sink = createJsonlFileSink({
      path: join(blocker, 'events.jsonl'),
      maxBufferedEvents: 1,
      onError: () => {
        throw new Error('hook');
      },
      onDrop: () => {
        throw new Error('hook');
      },
    });

    sink.handle(makeEvent('run.started'));
    sink.handle(makeEvent('step.started'));
    await sink.flush();

    expect(sink.stats()).toMatchObject({ failed: 1, dropped: 1, errors: 1 });
  });

  it('close flushes, closes, drops later events, and is idempotent', async () => {
    const path = join(directory, 'events.jsonl');
    const { sink } = sinkAt(path);
    for (const event of makeRun('r', 4)) sink.handle(event);

    const closing = sink.close();
    sink.handle(makeEvent('step.started', { runId: 'late' }));
    await closing;
    await sink.close();

    expect(await readLines(path)).toHaveLength(4);
    expect(sink.stats()).toMatchObject({ written: 4, dropped: 1 });
  });

  it('rejects bad options with a ConfigError that says what to pass', () => {
    expect(() => createJsonlFileSink({ path: '' })).toThrow(/needs a "path"/);
    expect(() => createJsonlFileSink(undefined as unknown as JsonlFileSinkOptions)).toThrow(ConfigError);
    expect(() => createJsonlFileSink({ path: 'x', maxBytes: 0 })).toThrow(
      /"maxBytes" must be an integer >= 1, got 0/,
    );
    expect(() => createJsonlFileSink({ path: 'x', maxFiles: -1 })).toThrow(
      /"maxFiles" must be an integer >= 0/,
    );
    expect(() => createJsonlFileSink({ path: 'x', maxBufferedEvents: 1.5 })).toThrow(/maxBufferedEvents/);
    expect(() => createJsonlFileSink({ path: 'x', maxBytes: '10MB' as unknown as number })).toThrow(
      /got "10MB"/,
    );
    expect(() => createJsonlFileSink({ path: 'x', redactor: {} as Redactor })).toThrow(/must be a Redactor/);
    expect(() => createJsonlFileSink({ path: 'x', onError: 'log' as unknown as () => void })).toThrow(
      /"onError" must be a function/,
    );
  });
});
