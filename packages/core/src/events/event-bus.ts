import { ConfigError } from '../errors/errors.js';
import type { AgentEvent } from './agent-event.js';

/** Receives events. May be async; the bus never waits for it on the publishing side. */
export type EventHandler = (event: AgentEvent) => void | Promise<void>;

/** Options of {@link EventBus.subscribe}. */
export interface SubscribeOptions {
  /** Events buffered for this subscriber before the oldest are dropped. @default the bus's `maxQueue` */
  maxQueue?: number;
  /** Only events for which this returns true are queued. */
  filter?: (event: AgentEvent) => boolean;
  /** Called when a handler throws or rejects; the subscriber keeps receiving events. */
  onError?: (error: unknown, event: AgentEvent) => void;
}

/** A live subscription. */
export interface Subscription {
  /** Events dropped because this subscriber's queue was full. */
  readonly dropped: number;
  /** Events waiting to be handled. */
  readonly pending: number;
  /** Stops delivery; queued events are discarded. */
  unsubscribe(): void;
}

/** Options of {@link EventBus.tap}. */
export interface TapOptions {
  /** Called when the observer throws; the observer stays attached. */
  onError?: (error: unknown, event: AgentEvent) => void;
}

/** A synchronous observer attached with {@link EventBus.tap}. */
export interface Tap {
  /** Detaches the observer. Calling it twice is harmless. */
  untap(): void;
}

/** Options of {@link EventBus}. */
export interface EventBusOptions {
  /** Default per-subscriber queue bound. @default 10_000 */
  maxQueue?: number;
  /** Called once per dropped event (feed a metric from it). */
  onDrop?: (event: AgentEvent) => void;
}

class Subscriber implements Subscription {
  dropped = 0;
  private readonly queue: AgentEvent[] = [];
  private head = 0;
  private draining = false;
  private active = true;

  constructor(
    private readonly handler: EventHandler,
    private readonly maxQueue: number,
    private readonly options: SubscribeOptions,
    private readonly onDrop: ((event: AgentEvent) => void) | undefined,
    private readonly remove: (subscriber: Subscriber) => void,
  ) {}

  get pending(): number {
    return this.queue.length - this.head;
  }

  offer(event: AgentEvent): void {
    try {
      if (this.options.filter && !this.options.filter(event)) return;
    } catch (error) {
      // A throwing filter must not make publish throw or starve the subscribers after this one.
      this.reportError(error, event);
      return;
    }
    if (this.pending >= this.maxQueue) {
      // Drop the oldest: a live view wants the newest events, and a run must never wait.
      const droppedEvent = this.queue[this.head] as AgentEvent;
      this.head++;
      this.dropped++;
      // A stuck handler never returns to drain(), so compact here too or the array grows forever.
      this.compact();
      try {
        this.onDrop?.(droppedEvent);
      } catch {
        // A failing metrics hook must not make publish throw.
      }
    }
    this.queue.push(event);
    if (!this.draining) {
      this.draining = true;
      queueMicrotask(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    while (this.active && this.head < this.queue.length) {
      const event = this.queue[this.head] as AgentEvent;
      this.head++;
      this.compact();
      try {
        const result = this.handler(event);
        if (result !== undefined) await result;
      } catch (error) {
        this.reportError(error, event);
      }
    }
    this.queue.length = 0;
    this.head = 0;
    this.draining = false;
  }

  // Compact now and then so the array does not grow with everything ever queued.
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  private reportError(error: unknown, event: AgentEvent): void {
    try {
      this.options.onError?.(error, event);
    } catch {
      // A throwing onError would reject drain(): an unhandled rejection, and a subscriber stuck for good.
    }
  }

  unsubscribe(): void {
    if (!this.active) return;
    this.active = false;
    this.queue.length = 0;
    this.head = 0;
    this.remove(this);
  }
}

/**
 * Fans events out to subscribers. Publishing is synchronous and never waits for a subscriber:
 * each has its own bounded queue, drained asynchronously in order; when a queue is full the
 * oldest event is dropped and counted. One bus per app (no global bus).
 *
 * @example
 * ```ts
 * const events = new EventBus();
 * events.subscribe((event) => console.log(event.seq, event.type));
 * await new Agent({ name: 'a', model, events }).run('hi');
 * ```
 */
export class EventBus {
  private subscribers: Subscriber[] = [];
  private taps: TapEntry[] = [];
  private readonly maxQueue: number;
  private readonly onDrop: ((event: AgentEvent) => void) | undefined;
  private publishedCount = 0;
  private droppedCount = 0;

  constructor(options: EventBusOptions = {}) {
    this.maxQueue = queueBound(options.maxQueue ?? 10_000);
    this.onDrop = options.onDrop;
  }

  /** Calls every tap, then delivers `event` to every subscriber's queue. Never throws, never blocks. */
  publish(event: AgentEvent): void {
    this.publishedCount++;
    const taps = this.taps;
    for (let index = 0; index < taps.length; index++) callTap(taps[index] as TapEntry, event);
    const subscribers = this.subscribers;
    for (let index = 0; index < subscribers.length; index++) (subscribers[index] as Subscriber).offer(event);
  }

  /** Adds a subscriber with its own bounded queue. */
  subscribe(handler: EventHandler, options: SubscribeOptions = {}): Subscription {
    const subscriber = new Subscriber(
      handler,
      options.maxQueue === undefined ? this.maxQueue : queueBound(options.maxQueue),
      options,
      (event) => {
        this.droppedCount++;
        this.onDrop?.(event);
      },
      (removed) => {
        this.subscribers = this.subscribers.filter((candidate) => candidate !== removed);
      },
    );
    // Copy on write: publish iterates a stable array even if a handler subscribes meanwhile.
    this.subscribers = [...this.subscribers, subscriber];
    return subscriber;
  }

  /**
   * Attaches a synchronous observer: it is called inside `publish`, in publish order, in the
   * publisher's async context, and never misses an event. That is what metrics and span
   * bookkeeping need (a run's counters and spans must not lose its terminal event, and a span
   * must find its parent in the run's context). The price is that it runs on the run's time:
   * keep it to in-memory work; anything that does I/O belongs in {@link subscribe}.
   */
  tap(observer: (event: AgentEvent) => void, options: TapOptions = {}): Tap {
    const entry: TapEntry = { observer, onError: options.onError };
    this.taps = [...this.taps, entry];
    return {
      untap: () => {
        this.taps = this.taps.filter((candidate) => candidate !== entry);
      },
    };
  }

  /** Counts since the bus was made. */
  stats(): { published: number; dropped: number; subscribers: number; taps: number } {
    return {
      published: this.publishedCount,
      dropped: this.droppedCount,
      subscribers: this.subscribers.length,
      taps: this.taps.length,
    };
  }
}

// Below 1 the drop path would "drop" a missing event (onDrop(undefined)) and deliver nothing.
function queueBound(maxQueue: number): number {
  if (!Number.isSafeInteger(maxQueue) || maxQueue < 1) {
    throw new ConfigError(`EventBus maxQueue must be a positive integer, got ${String(maxQueue)}.`);
  }
  return maxQueue;
}

interface TapEntry {
  observer: (event: AgentEvent) => void;
  onError: ((error: unknown, event: AgentEvent) => void) | undefined;
}

// A throwing observer (or onError) must never make publish throw: the run would fail for it.
function callTap(entry: TapEntry, event: AgentEvent): void {
  try {
    entry.observer(event);
  } catch (error) {
    try {
      entry.onError?.(error, event);
    } catch {
      // Nothing left to tell; the run goes on.
    }
  }
}
