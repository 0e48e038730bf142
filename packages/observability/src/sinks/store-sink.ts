import {
  AgentError,
  type AgentEvent,
  ConfigError,
  type EventStore,
  isTerminalEvent,
  sleep as realSleep,
  type Sleep,
} from '@agent/core';
import type { Redactor } from '../redact/redactor.js';
import type { EventSink, SinkDropHandler, SinkErrorHandler } from './event-sink.js';
import { safeCall } from './safe-call.js';
import { describe, functionOption, integerOption, redactorOption } from './sink-options.js';

/** How a failed append is retried: capped exponential backoff, then the batch is given up. */
export interface StoreSinkRetryOptions {
  /** Append calls per batch, the first included; 1 turns retrying off. @default 5 */
  attempts?: number;
  /** Wait before the first retry, in ms; doubled for each further retry. @default 100 */
  initialDelayMs?: number;
  /** Longest wait between two attempts, in ms. @default 5000 */
  maxDelayMs?: number;
}

/** Options of {@link createStoreSink}. */
export interface StoreSinkOptions {
  /** Most events in one `append` call. @default 256 */
  maxBatchEvents?: number;
  /**
   * Events held while the store is slow or down. Past it the oldest non-terminal events are
   * dropped (and counted); a run's terminal event goes last, as it holds the run's final state.
   * @default 50_000
   */
  maxBufferedEvents?: number;
  /** Applied to every event before it is stored. @default none (the wiring layer passes one) */
  redactor?: Redactor;
  /** Retrying of failed appends. @default { attempts: 5, initialDelayMs: 100, maxDelayMs: 5000 } */
  retry?: StoreSinkRetryOptions;
  /** Waits between attempts; injectable so tests control time. @default a real timer */
  sleep?: Sleep;
  /** Called when a batch is given up after its last failed attempt, or an event cannot be redacted. */
  onError?: SinkErrorHandler;
  /** Called with the number of events just dropped (buffer full, append given up, sink closed). */
  onDrop?: SinkDropHandler;
}

/** Counts since the sink was made. */
export interface StoreSinkStats {
  /** Events the store accepted. */
  appended: number;
  /** Events dropped: buffer full, append given up, unredactable, or handled after close. */
  dropped: number;
  /** Events waiting for the store, the batch in flight included. */
  pending: number;
  /** Append calls that rejected (each attempt counts). */
  failedAppends: number;
}

const OWNER = 'createStoreSink';

interface Entry {
  /** `undefined` once dropped from the buffer (a tombstone, skipped when batches are taken). */
  event: AgentEvent | undefined;
  /** Position in handling order, for flush. */
  ordinal: number;
  terminal: boolean;
}

/**
 * A sink that appends events to an {@link EventStore} in batches: one append in flight at a
 * time (so each run's events stay in order), the next batch taking everything that arrived
 * meanwhile (up to `maxBatchEvents`), so batches grow under load and latency stays low when
 * quiet. Failed appends are retried with backoff, then dropped and reported. It never closes
 * the store: the caller owns it.
 *
 * @example
 * ```ts
 * const store = new MemoryEventStore();
 * const sinks = attachSinks(bus, [createStoreSink(store, { redactor: createRedactor() })]);
 * ```
 */
export class StoreSink implements EventSink {
  private readonly maxBatchEvents: number;
  private readonly maxBufferedEvents: number;
  private readonly attempts: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: Sleep;
  private readonly redactor: Redactor | undefined;
  private readonly onError: SinkErrorHandler | undefined;
  private readonly onDrop: SinkDropHandler | undefined;
  private entries: Entry[] = [];
  private head = 0;
  /** Entries before this index (and from `head`) are terminal or tombstones: where eviction looks first. */
  private scan = 0;
  private live = 0;
  private tombstones = 0;
  private handled = 0;
  private inFlight: Entry[] | undefined;
  private pumping = false;
  private closing: Promise<void> | undefined;
  private waiters: { target: number; resolve: () => void }[] = [];
  private readonly counts = { appended: 0, dropped: 0, failedAppends: 0 };

  constructor(
    private readonly store: EventStore,
    options: StoreSinkOptions = {},
  ) {
    if (typeof store !== 'object' || store === null || typeof store.append !== 'function') {
      throw new ConfigError(
        `${OWNER} needs an EventStore as its first argument, got ${describe(store)}. Pass a MemoryEventStore, SQLite or Postgres store.`,
      );
    }
    this.maxBatchEvents = integerOption(OWNER, 'maxBatchEvents', options.maxBatchEvents, 256);
    this.maxBufferedEvents = integerOption(OWNER, 'maxBufferedEvents', options.maxBufferedEvents, 50_000);
    const retry = options.retry ?? {};
    if (typeof retry !== 'object' || retry === null) {
      throw new ConfigError(
        `${OWNER} option "retry" must be an object like { attempts: 5, initialDelayMs: 100, maxDelayMs: 5000 }, got ${describe(retry)}.`,
      );
    }
    this.attempts = integerOption(OWNER, 'retry.attempts', retry.attempts, 5);
    this.initialDelayMs = integerOption(OWNER, 'retry.initialDelayMs', retry.initialDelayMs, 100, 0);
    this.maxDelayMs = integerOption(OWNER, 'retry.maxDelayMs', retry.maxDelayMs, 5000, 0);
    this.sleep = functionOption(OWNER, 'sleep', options.sleep) ?? realSleep;
    this.redactor = redactorOption(OWNER, options.redactor);
    this.onError = functionOption(OWNER, 'onError', options.onError);
    this.onDrop = functionOption(OWNER, 'onDrop', options.onDrop);
  }

  /** Buffers the event for the next batch; never waits for the store. */
  handle(event: AgentEvent): void {
    if (this.closing !== undefined) {
      this.drop(1);
      return;
    }
    this.entries.push({ event, ordinal: this.handled++, terminal: isTerminalEvent(event) });
    this.live++;
    if (this.live > this.maxBufferedEvents) this.evictOne();
    if (!this.pumping) {
      this.pumping = true;
      // Start on a microtask so a synchronous burst of events becomes one batch.
      queueMicrotask(() => void this.pump());
    }
  }

  /** Resolves when every event handled before the call is stored, or dropped and reported. */
  flush(): Promise<void> {
    const target = this.handled;
    if (this.firstUnsettled() >= target) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ target, resolve }));
  }

  /** Flushes; later events are dropped. Does not close the store. Calling it twice is harmless. */
  close(): Promise<void> {
    this.closing ??= this.flush();
    return this.closing;
  }

  /** Counts since the sink was made. */
  stats(): StoreSinkStats {
    return { ...this.counts, pending: this.live + (this.inFlight?.length ?? 0) };
  }

  private async pump(): Promise<void> {
    while (this.live > 0) {
      const batch = this.take();
      this.inFlight = batch;
      const events = this.redactBatch(batch);
      if (events.length > 0) await this.appendWithRetry(events);
      this.inFlight = undefined;
      this.notify();
    }
    this.pumping = false;
  }

  private async appendWithRetry(events: AgentEvent[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.store.append(events);
        this.counts.appended += events.length;
        return;
      } catch (error) {
        this.counts.failedAppends++;
        if (attempt >= this.attempts) {
          this.drop(events.length);
          safeCall(
            this.onError,
            new AgentError(
              'INTERNAL',
              `StoreSink dropped ${events.length} event(s) after ${attempt} failed append attempt(s): ${messageOf(error)}. Check the store; later events are still sent.`,
              {
                cause: error,
                details: { events: events.length, attempts: attempt, runIds: runIdsOf(events) },
              },
            ),
          );
          return;
        }
        const delay = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (attempt - 1));
        try {
          await this.sleep(delay);
        } catch {
          // A failing sleep only shortens the wait.
        }
      }
    }
  }

  private redactBatch(batch: Entry[]): AgentEvent[] {
    const events = batch.map((entry) => entry.event as AgentEvent);
    const redactor = this.redactor;
    if (!redactor || redactor.enabled === false) return events;
    const redacted: AgentEvent[] = [];
    for (const event of events) {
      try {
        redacted.push(redactor.redact(event));
      } catch (error) {
        // Storing it unredacted would leak what the redactor is there to remove.
        this.drop(1);
        safeCall(
          this.onError,
          new AgentError(
            'INTERNAL',
            `StoreSink dropped event ${event.type} (run ${event.runId}, seq ${event.seq}): the redactor threw: ${messageOf(error)}.`,
            { cause: error },
          ),
        );
      }
    }
    return redacted;
  }

  /** Takes up to maxBatchEvents live entries from the front. */
  private take(): Entry[] {
    const batch: Entry[] = [];
    while (this.head < this.entries.length && batch.length < this.maxBatchEvents) {
      const entry = this.entries[this.head++] as Entry;
      if (entry.event === undefined) {
        this.tombstones--;
        continue;
      }
      batch.push(entry);
      this.live--;
    }
    this.compactIfWasteful();
    return batch;
  }

  /** Drops the oldest non-terminal buffered event, or the oldest terminal one when only those are left. */
  private evictOne(): void {
    let index = Math.max(this.scan, this.head);
    while (index < this.entries.length) {
      const entry = this.entries[index] as Entry;
      if (entry.event !== undefined && !entry.terminal) break;
      index++;
    }
    if (index < this.entries.length) {
      this.scan = index + 1;
    } else {
      // Only terminal events are left: the oldest of them has to go.
      this.scan = index;
      index = this.head;
      while ((this.entries[index] as Entry).event === undefined) index++;
    }
    (this.entries[index] as Entry).event = undefined;
    this.live--;
    this.tombstones++;
    this.drop(1);
    this.compactIfWasteful();
  }

  // Taken entries and tombstones are dead weight; a stalled store would otherwise grow the array forever.
  private compactIfWasteful(): void {
    const waste = this.head + this.tombstones;
    if (waste > 1024 && waste * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head).filter((entry) => entry.event !== undefined);
      this.head = 0;
      this.scan = 0;
      this.tombstones = 0;
    }
  }

  /** The ordinal of the oldest event not yet stored or given up; `handled` when there is none. */
  private firstUnsettled(): number {
    if (this.inFlight && this.inFlight.length > 0) return (this.inFlight[0] as Entry).ordinal;
    // Leading tombstones are settled for good: step past them once instead of on every call.
    while (this.head < this.entries.length && (this.entries[this.head] as Entry).event === undefined) {
      this.head++;
      this.tombstones--;
    }
    return (this.entries[this.head] as Entry | undefined)?.ordinal ?? this.handled;
  }

  private notify(): void {
    if (this.waiters.length === 0) return;
    const settled = this.firstUnsettled();
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.target > settled) return true;
      waiter.resolve();
      return false;
    });
  }

  private drop(count: number): void {
    this.counts.dropped += count;
    safeCall(this.onDrop, count);
  }
}

/**
 * Creates a {@link StoreSink}: batched, ordered, retried appends to an {@link EventStore}.
 *
 * @example
 * ```ts
 * const sink = createStoreSink(store, { maxBatchEvents: 500, onError: (error) => logger.error('store', { error }) });
 * ```
 */
export function createStoreSink(store: EventStore, options?: StoreSinkOptions): StoreSink {
  return new StoreSink(store, options);
}

function runIdsOf(events: readonly AgentEvent[]): string[] {
  return [...new Set(events.map((event) => event.runId))].slice(0, 10);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
