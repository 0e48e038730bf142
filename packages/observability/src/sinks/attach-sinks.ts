import { AbortedError, type AgentEvent, ConfigError, type EventBus, type Subscription } from '@agent/core';
import type { EventSink } from './event-sink.js';
import { describe, functionOption, integerOption } from './sink-options.js';

/** Options of {@link attachSinks}. */
export interface AttachSinksOptions {
  /** Events queued per sink before its oldest are dropped (and counted). @default 10_000 */
  maxQueue?: number;
  /** Called when a sink's `handle` throws or rejects; the sink keeps receiving events. */
  onError?: (error: unknown, event: AgentEvent, sink: EventSink) => void;
}

/** Per-sink delivery counts, in the order the sinks were given. */
export interface AttachedSinkStats {
  /** Events dropped because this sink fell `maxQueue` events behind. */
  dropped: number;
  /** Events queued for this sink. */
  pending: number;
}

/** Sinks attached to a bus by {@link attachSinks}. */
export interface AttachedSinks {
  /** Unsubscribes every sink at once; queued events are discarded. Calling it twice is harmless. */
  detach(): void;
  /**
   * Resolves when every event queued so far has reached its sink and every sink's `flush` has
   * resolved. Rejects with an AggregateError if a sink failed (all are flushed anyway). A sink
   * whose `handle` never settles would make this wait forever: pass a `signal` to bound the wait
   * (sinks not done by then fail with an `AbortedError`).
   */
  flush(options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Flushes, closes every sink, then unsubscribes, even when some fail (then it rejects with an
   * AggregateError). `signal` bounds the waiting as in `flush`, e.g. `AbortSignal.timeout(5000)`
   * on shutdown. Later calls return the first call's promise.
   */
  close(options?: { signal?: AbortSignal }): Promise<void>;
  /** Delivery counts per sink. */
  stats(): AttachedSinkStats[];
}

const OWNER = 'attachSinks';

/**
 * Subscribes each sink to the bus with its own large bounded queue, so a slow sink never slows
 * the run nor another sink: it only drops (and counts) its own oldest events. Errors of `handle`
 * go to `onError`.
 *
 * @example
 * ```ts
 * const sinks = attachSinks(bus, [
 *   createConsoleSink(logger),
 *   createStoreSink(store, { redactor }),
 *   createJsonlFileSink({ path: './logs/events.jsonl', redactor }),
 * ]);
 * process.on('SIGTERM', () => void sinks.close());
 * ```
 */
export function attachSinks(
  bus: Pick<EventBus, 'subscribe'>,
  sinks: readonly EventSink[],
  options: AttachSinksOptions = {},
): AttachedSinks {
  if (typeof bus !== 'object' || bus === null || typeof bus.subscribe !== 'function') {
    throw new ConfigError(`${OWNER} needs an EventBus as its first argument, got ${describe(bus)}.`);
  }
  if (!Array.isArray(sinks)) {
    throw new ConfigError(`${OWNER} needs an array of sinks as its second argument, got ${describe(sinks)}.`);
  }
  sinks.forEach((sink, index) => {
    if (typeof sink !== 'object' || sink === null || typeof sink.handle !== 'function') {
      throw new ConfigError(
        `${OWNER} sinks[${index}] is not an EventSink (an object with handle(event)), got ${describe(sink)}.`,
      );
    }
  });
  const maxQueue = integerOption(OWNER, 'maxQueue', options.maxQueue, 10_000);
  const onError = functionOption(OWNER, 'onError', options.onError);
  const attachments = sinks.map((sink) => new Attachment(bus, sink, maxQueue, onError));
  let closing: Promise<void> | undefined;

  const detach = (): void => {
    for (const attachment of attachments) attachment.detach();
  };
  return {
    detach,
    async flush({ signal } = {}) {
      throwIfAny(
        await Promise.allSettled(attachments.map((attachment) => attachment.flush(signal))),
        'flush',
      );
    },
    close({ signal } = {}) {
      closing ??= (async () => {
        const flushed = await Promise.allSettled(attachments.map((attachment) => attachment.flush(signal)));
        const closed = await Promise.allSettled(attachments.map((attachment) => attachment.close(signal)));
        detach();
        throwIfAny([...flushed, ...closed], 'flush or close');
      })();
      return closing;
    },
    stats: () => attachments.map((attachment) => attachment.stats()),
  };
}

/** One sink's subscription, tracking whether its queue has drained. */
class Attachment {
  private readonly subscription: Subscription;
  private busy = false;
  private detached = false;
  private waiters: (() => void)[] = [];

  constructor(
    bus: Pick<EventBus, 'subscribe'>,
    readonly sink: EventSink,
    maxQueue: number,
    onError: AttachSinksOptions['onError'],
  ) {
    this.subscription = bus.subscribe((event) => this.handle(event), {
      maxQueue,
      onError: (error, event) => onError?.(error, event, sink),
    });
  }

  // Only wraps a promise when the sink returns one, so a synchronous sink costs no extra microtask.
  private handle(event: AgentEvent): void | Promise<void> {
    this.busy = true;
    let result: void | Promise<void>;
    try {
      result = this.sink.handle(event);
    } catch (error) {
      this.settled();
      throw error;
    }
    if (result === undefined || typeof (result as Promise<void>).then !== 'function') {
      this.settled();
      return;
    }
    return Promise.resolve(result).finally(() => this.settled());
  }

  private settled(): void {
    this.busy = false;
    if (this.subscription.pending === 0) this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves once nothing is queued for the sink nor inside its `handle` (or it is detached). */
  drained(): Promise<void> {
    if (this.detached || (!this.busy && this.subscription.pending === 0)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async flush(signal: AbortSignal | undefined): Promise<void> {
    await untilAborted(this.drained(), signal, 'reach');
    await untilAborted(this.sink.flush?.(), signal, 'flush');
  }

  async close(signal: AbortSignal | undefined): Promise<void> {
    await untilAborted(this.sink.close?.(), signal, 'close');
  }

  detach(): void {
    this.detached = true;
    this.subscription.unsubscribe();
    // Queued events are gone; nobody should wait for them.
    this.wake();
  }

  stats(): AttachedSinkStats {
    return { dropped: this.subscription.dropped, pending: this.subscription.pending };
  }
}

// Waits for `promise` unless `signal` aborts first. After the abort a sink still has until the
// end of the current event-loop turn, so one that is already done (or finishes in microtasks) is
// not reported as stuck. Only the wait stops: the sink's own work is not cancelled.
function untilAborted(
  promise: Promise<void> | undefined,
  signal: AbortSignal | undefined,
  what: 'reach' | 'flush' | 'close',
): Promise<void> | undefined {
  if (!signal || !promise) return promise;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Immediate | undefined;
    const giveUp = (): void => {
      timer = setImmediate(() =>
        reject(
          new AbortedError(
            `attachSinks stopped waiting for a sink to ${what === 'reach' ? 'take its queued events' : what}: the signal aborted.`,
            { cause: signal.reason },
          ),
        ),
      );
    };
    const settle = (): void => {
      signal.removeEventListener('abort', giveUp);
      if (timer !== undefined) clearImmediate(timer);
    };
    if (signal.aborted) giveUp();
    else signal.addEventListener('abort', giveUp, { once: true });
    promise.then(
      () => {
        settle();
        resolve();
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}

function throwIfAny(results: PromiseSettledResult<void>[], operation: string): void {
  const errors = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  if (errors.length > 0) {
    throw new AggregateError(
      errors,
      `attachSinks: ${errors.length} sink operation(s) failed to ${operation}; see .errors.`,
    );
  }
}
