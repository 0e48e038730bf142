import { Writable } from 'node:stream';
import winston from 'winston';

/** A winston transport that keeps every written line in memory, for tests. */
export interface MemoryTransport {
  /** Give this to `createLogger({ transports: [transport] })`. */
  readonly transport: winston.transport;
  /** Every line written so far, without the line break. */
  readonly lines: string[];
  /** The lines parsed as JSON (for the `json` format). */
  records(): Record<string, unknown>[];
}

/**
 * An in-memory transport: winston's own Stream transport over a Writable that collects lines,
 * so the test goes through the same write path as a file or stdout.
 */
export function createMemoryTransport(): MemoryTransport {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      lines.push(chunk.toString().replace(/\r?\n$/, ''));
      callback();
    },
  });
  return {
    transport: new winston.transports.Stream({ stream }),
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
