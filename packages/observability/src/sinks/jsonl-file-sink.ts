import type { WriteStream } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AgentError, type AgentEvent, ConfigError } from '@agent/core';
import type { Redactor } from '../redact/redactor.js';
import type { EventSink, SinkDropHandler, SinkErrorHandler } from './event-sink.js';
import { rotateFiles } from './rotate-files.js';
import { safeCall } from './safe-call.js';
import { describe, functionOption, integerOption, redactorOption } from './sink-options.js';

/** Options of {@link createJsonlFileSink}. */
export interface JsonlFileSinkOptions {
  /** The file to append to, e.g. `./logs/events.jsonl`. Its directory is created when missing. */
  path: string;
  /**
   * Size at which the file is rotated: when the next line would take it past this, it becomes
   * `path.1` (and `path.1` becomes `path.2`, ...). A line is never split, so a single line longer
   * than this gets a file of its own. @default 10 MiB
   */
  maxBytes?: number;
  /** Rotated files kept (`path.1` ... `path.<maxFiles>`); older ones are deleted. 0 keeps none. @default 5 */
  maxFiles?: number;
  /** Applied to every event before it is written. @default none */
  redactor?: Redactor;
  /** Events waiting to be written before new ones are dropped (and counted). @default 10_000 */
  maxBufferedEvents?: number;
  /** Called with the number of events just dropped because the buffer was full or the sink closed. */
  onDrop?: SinkDropHandler;
  /** Called with each write, rotation or serialisation failure. */
  onError?: SinkErrorHandler;
}

/** Counts since the sink was made. */
export interface JsonlFileSinkStats {
  /** Events written to a file. */
  written: number;
  /** Events refused because the buffer was full or the sink was closed. */
  dropped: number;
  /** Events lost to a failed write, open or rotation. */
  failed: number;
  /** Failures reported to `onError`. */
  errors: number;
  /** Events accepted and not yet written (or given up). */
  pending: number;
  /** Rotations done. */
  rotations: number;
}

const OWNER = 'createJsonlFileSink';
const MIB = 1024 * 1024;

interface OpenFile {
  stream: WriteStream;
  size: number;
}

/**
 * A sink that appends one JSON line per event to a file, rotated by size. `handle` only queues:
 * lines are written in the background, in order, through one write stream; `flush` waits for
 * them. Failures go to `onError` and are counted, never thrown at the publisher.
 *
 * @example
 * ```ts
 * const file = createJsonlFileSink({ path: './logs/events.jsonl', redactor: createRedactor() });
 * const sinks = attachSinks(bus, [file]);
 * // on shutdown
 * await sinks.close();
 * ```
 */
export class JsonlFileSink implements EventSink {
  readonly path: string;
  private readonly maxBytes: number;
  private readonly maxFiles: number;
  private readonly maxBufferedEvents: number;
  private readonly redactor: Redactor | undefined;
  private readonly onDrop: SinkDropHandler | undefined;
  private readonly onError: SinkErrorHandler | undefined;
  private queue: AgentEvent[] = [];
  private inFlight = 0;
  private accepted = 0;
  private settled = 0;
  private waiters: { target: number; resolve: () => void }[] = [];
  private pumping = false;
  private file: OpenFile | undefined;
  private closing: Promise<void> | undefined;
  private readonly counts = { written: 0, dropped: 0, failed: 0, errors: 0, rotations: 0 };

  constructor(options: JsonlFileSinkOptions) {
    if (
      typeof options !== 'object' ||
      options === null ||
      typeof options.path !== 'string' ||
      options.path === ''
    ) {
      throw new ConfigError(
        `${OWNER} needs a "path" (a non-empty string, e.g. './logs/events.jsonl'), got ${describe(options?.path)}.`,
      );
    }
    this.path = options.path;
    this.maxBytes = integerOption(OWNER, 'maxBytes', options.maxBytes, 10 * MIB);
    this.maxFiles = integerOption(OWNER, 'maxFiles', options.maxFiles, 5, 0);
    this.maxBufferedEvents = integerOption(OWNER, 'maxBufferedEvents', options.maxBufferedEvents, 10_000);
    this.redactor = redactorOption(OWNER, options.redactor);
    this.onDrop = functionOption(OWNER, 'onDrop', options.onDrop);
    this.onError = functionOption(OWNER, 'onError', options.onError);
  }

  /** Queues the event's line; never waits for the disk. */
  handle(event: AgentEvent): void {
    if (this.closing !== undefined || this.queue.length + this.inFlight >= this.maxBufferedEvents) {
      this.counts.dropped++;
      safeCall(this.onDrop, 1);
      return;
    }
    this.queue.push(event);
    this.accepted++;
    if (!this.pumping) {
      this.pumping = true;
      // Start on a microtask so a synchronous burst of events becomes one write.
      queueMicrotask(() => void this.pump());
    }
  }

  /** Resolves when every event handled so far is written, or given up and reported. */
  flush(): Promise<void> {
    if (this.settled >= this.accepted) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ target: this.accepted, resolve }));
  }

  /** Flushes, then closes the file. Later events are dropped. Calling it twice is harmless. */
  close(): Promise<void> {
    this.closing ??= this.flush().then(() => this.closeFile());
    return this.closing;
  }

  /** Counts since the sink was made. */
  stats(): JsonlFileSinkStats {
    return { ...this.counts, pending: this.accepted - this.settled };
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      this.inFlight = batch.length;
      await this.writeLines(batch.map((event) => this.serialize(event)));
      this.inFlight = 0;
      this.settled += batch.length;
      this.waiters = this.waiters.filter((waiter) => {
        if (waiter.target > this.settled) return true;
        waiter.resolve();
        return false;
      });
    }
    this.pumping = false;
  }

  // Writes lines in order, rotating between them, each file getting one write per batch.
  private async writeLines(lines: string[]): Promise<void> {
    let start = 0;
    while (start < lines.length) {
      const remaining = lines.length - start;
      let file: OpenFile;
      try {
        file = await this.openFile();
      } catch (error) {
        this.fail(error, remaining, 'open');
        return;
      }
      let bytes = 0;
      let end = start;
      while (end < lines.length) {
        const lineBytes = Buffer.byteLength(lines[end] as string);
        // A line longer than maxBytes still goes into an empty file: it is never split.
        if (file.size + bytes + lineBytes > this.maxBytes && file.size + bytes > 0) break;
        bytes += lineBytes;
        end++;
      }
      if (end === start) {
        try {
          await this.closeFile();
          await rotateFiles(this.path, this.maxFiles);
          this.counts.rotations++;
        } catch (error) {
          // Dropping beats growing the file past maxBytes; the next batch tries to rotate again.
          this.fail(error, remaining, 'rotate');
          return;
        }
        continue;
      }
      try {
        await write(file.stream, lines.slice(start, end).join(''));
        file.size += bytes;
        this.counts.written += end - start;
      } catch (error) {
        // The stream is destroyed by now; the next write opens the file afresh.
        if (this.file === file) this.file = undefined;
        this.fail(error, end - start, 'write');
      }
      start = end;
    }
  }

  private async openFile(): Promise<OpenFile> {
    if (this.file) return this.file;
    await mkdir(dirname(this.path), { recursive: true });
    // Sized before opening, so a failing stat leaves no handle to clean up; an existing file counts.
    const size = await sizeOf(this.path);
    const handle = await open(this.path, 'a');
    const stream = handle.createWriteStream();
    // Failures reach the write callbacks; this listener keeps an 'error' event from crashing the process.
    stream.on('error', () => {});
    this.file = { stream, size };
    return this.file;
  }

  private async closeFile(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    if (!file || file.stream.closed) return;
    await new Promise<void>((resolve) => {
      file.stream.once('close', resolve);
      file.stream.end();
    });
  }

  private serialize(event: AgentEvent): string {
    try {
      const value = this.redactor?.enabled === false ? event : (this.redactor?.redact(event) ?? event);
      return `${JSON.stringify(value, jsonSafe)}\n`;
    } catch (error) {
      // Keep the line (and so the run's seq sequence) with what is surely safe: no content.
      this.report(
        new AgentError(
          'INTERNAL',
          `JsonlFileSink could not serialise event ${event.type} (run ${event.runId}, seq ${event.seq}): ${messageOf(error)}. The line holds its identity only.`,
          { cause: error },
        ),
      );
      const { runId, seq, timestamp, agent, tenant, type } = event;
      return `${JSON.stringify({ runId, seq, timestamp, agent, tenant, type, unserializable: true })}\n`;
    }
  }

  private fail(error: unknown, events: number, operation: 'open' | 'write' | 'rotate'): void {
    this.counts.failed += events;
    this.report(
      new AgentError(
        'INTERNAL',
        `JsonlFileSink could not ${operation} ${this.path}; ${events} event(s) lost: ${messageOf(error)}. Check that the directory is writable and the disk has space; the next events try again.`,
        { cause: error, details: { path: this.path, events, operation } },
      ),
    );
  }

  private report(error: unknown): void {
    this.counts.errors++;
    safeCall(this.onError, error);
  }
}

/**
 * Creates a {@link JsonlFileSink}: one JSON line per event, appended in the background, rotated by size.
 *
 * @example
 * ```ts
 * const file = createJsonlFileSink({ path: './logs/events.jsonl', maxBytes: 50 * 1024 * 1024 });
 * ```
 */
export function createJsonlFileSink(options: JsonlFileSinkOptions): JsonlFileSink {
  return new JsonlFileSink(options);
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

function write(stream: WriteStream, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

// Tool outputs are `unknown`: a bigint must not cost the whole line.
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
