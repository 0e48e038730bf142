import { type AgentEvent, isTerminalEvent } from '@agent/core';
import type { SinkDropHandler, SinkErrorHandler } from './event-sink.js';
import { safeCall } from './safe-call.js';
import { functionOption, integerOption } from './sink-options.js';

/** Options of {@link LiveEvents}. */
export interface LiveEventsOptions {
  /** Events queued per subscriber before the oldest are dropped. @default 1000 */
  maxQueue?: number;
  /** Called with the number of events a subscriber just dropped (feed a metric from it). */
  onDrop?: SinkDropHandler;
  /** Called when a subscriber's `filter` throws; that event is skipped for it. */
  onError?: SinkErrorHandler;
}

/** What one subscriber receives; everything given must match. */
export interface LiveSubscribeOptions {
  /** Only this run's events; the iterator ends after the run's terminal event. */
  runId?: string;
  /** Only this tenant's events. */
  tenant?: string;
  /** Only events for which this returns true. Keep it cheap: it runs inside `publish`. */
  filter?: (event: AgentEvent) => boolean;
  /** Ends the iterator when aborted (e.g. the HTTP request's signal). */
  signal?: AbortSignal;
  /** This subscriber's queue bound. @default the LiveEvents' `maxQueue` */
  maxQueue?: number;
}

/** A live feed of events: iterate it with `for await`. */
export interface LiveSubscription extends AsyncIterableIterator<AgentEvent> {
  /** Events dropped because this subscriber read too slowly. */
  readonly dropped: number;
  /** Events queued and not yet read (at most the queue bound). */
  readonly pending: number;
  /** Ends the iteration; queued events are discarded. Calling it twice is harmless. */
  close(): void;
}

/**
 * Fans events out to live readers such as the server's SSE streams. `publish` is synchronous,
 * costs O(matching subscribers) and never waits for a reader, so it can be attached with
 * `bus.tap(...)`; each reader has its own bounded queue that drops its oldest events when the
 * reader falls behind. A stalled reader therefore costs at most `maxQueue` events of memory and
 * never slows a run.
 *
 * @example
 * ```ts
 * const live = new LiveEvents();
 * bus.tap((event) => live.publish(event));
 * for await (const event of live.subscribe({ runId, signal: request.signal })) send(event);
 * ```
 */
export class LiveEvents {
  private readonly maxQueue: number;
  private readonly onDrop: SinkDropHandler | undefined;
  private readonly onError: SinkErrorHandler | undefined;
  /** Subscribers of one run, by runId: publish only looks at the event's run. */
  private readonly byRun = new Map<string, Set<LiveSubscriber>>();
  private readonly unscoped = new Set<LiveSubscriber>();
  private droppedCount = 0;
  private closed = false;

  constructor(options: LiveEventsOptions = {}) {
    this.maxQueue = integerOption('LiveEvents', 'maxQueue', options.maxQueue, 1000);
    this.onDrop = functionOption('LiveEvents', 'onDrop', options.onDrop);
    this.onError = functionOption('LiveEvents', 'onError', options.onError);
  }

  /** Queues the event for every matching subscriber. Never throws, never blocks. */
  publish(event: AgentEvent): void {
    if (this.closed) return;
    for (const subscriber of this.unscoped) subscriber.offer(event);
    const ofRun = this.byRun.get(event.runId);
    if (ofRun) for (const subscriber of ofRun) subscriber.offer(event);
  }

  /** A new live feed; see {@link LiveSubscribeOptions}. */
  subscribe(options: LiveSubscribeOptions = {}): LiveSubscription {
    const maxQueue =
      options.maxQueue === undefined
        ? this.maxQueue
        : integerOption('LiveEvents', 'maxQueue', options.maxQueue, 1000);
    const subscriber = new LiveSubscriber(options, maxQueue, {
      dropped: (count) => {
        this.droppedCount += count;
        safeCall(this.onDrop, count);
      },
      error: (error) => safeCall(this.onError, error),
      remove: (removed) => this.remove(removed, options.runId),
    });
    if (this.closed || options.signal?.aborted) {
      subscriber.close();
      return subscriber;
    }
    if (options.runId === undefined) {
      this.unscoped.add(subscriber);
    } else {
      let ofRun = this.byRun.get(options.runId);
      if (!ofRun) {
        ofRun = new Set();
        this.byRun.set(options.runId, ofRun);
      }
      ofRun.add(subscriber);
    }
    subscriber.listen();
    return subscriber;
  }

  /** Ends every subscription; later `publish` calls do nothing and new subscriptions end at once. */
  close(): void {
    this.closed = true;
    for (const subscriber of [...this.unscoped]) subscriber.close();
    for (const ofRun of [...this.byRun.values()]) for (const subscriber of [...ofRun]) subscriber.close();
  }

  /** Current subscribers, and events dropped for slow ones since the start. */
  stats(): { subscribers: number; dropped: number } {
    let subscribers = this.unscoped.size;
    for (const ofRun of this.byRun.values()) subscribers += ofRun.size;
    return { subscribers, dropped: this.droppedCount };
  }

  private remove(subscriber: LiveSubscriber, runId: string | undefined): void {
    if (runId === undefined) {
      this.unscoped.delete(subscriber);
      return;
    }
    const ofRun = this.byRun.get(runId);
    ofRun?.delete(subscriber);
    if (ofRun?.size === 0) this.byRun.delete(runId);
  }
}

interface SubscriberHooks {
  dropped(count: number): void;
  error(error: unknown): void;
  remove(subscriber: LiveSubscriber): void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

class LiveSubscriber implements LiveSubscription {
  dropped = 0;
  private queue: AgentEvent[] = [];
  private head = 0;
  private waiting: ((result: IteratorResult<AgentEvent>) => void) | undefined;
  /** No more events will be queued (closed, aborted, or the run ended); the queue may still hold some. */
  private ended = false;
  private readonly onAbort = (): void => this.close();

  constructor(
    private readonly options: LiveSubscribeOptions,
    private readonly maxQueue: number,
    private readonly hooks: SubscriberHooks,
  ) {}

  get pending(): number {
    return this.queue.length - this.head;
  }

  listen(): void {
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  offer(event: AgentEvent): void {
    if (this.ended || !this.matches(event)) return;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting({ done: false, value: event });
    } else {
      if (this.pending >= this.maxQueue) {
        // Drop the oldest: a live view wants the newest, and a publisher must never wait.
        this.head++;
        this.dropped++;
        this.hooks.dropped(1);
        this.compact();
      }
      this.queue.push(event);
    }
    // A one-run feed is over once the run is: the reader gets what is queued, then done.
    if (this.options.runId !== undefined && isTerminalEvent(event)) this.end();
  }

  next(): Promise<IteratorResult<AgentEvent>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head] as AgentEvent;
      this.head++;
      this.compact();
      return Promise.resolve({ done: false, value });
    }
    if (this.ended) return Promise.resolve(DONE);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<AgentEvent>> {
    this.close();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  close(): void {
    this.queue = [];
    this.head = 0;
    this.end();
  }

  // Stops intake: detaches from the fan-out and the signal, and wakes a waiting reader.
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.hooks.remove(this);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(DONE);
  }

  private matches(event: AgentEvent): boolean {
    // runId needs no check: LiveEvents only offers a one-run subscriber that run's events.
    const { tenant, filter } = this.options;
    if (tenant !== undefined && event.tenant !== tenant) return false;
    if (!filter) return true;
    try {
      return filter(event);
    } catch (error) {
      this.hooks.error(error);
      return false;
    }
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
