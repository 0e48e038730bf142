import {
  AbortedError,
  type AgentEvent,
  ConfigError,
  EventBus,
  type EventBus as EventBusType,
} from '@agent/core';
import { describe, expect, it } from 'vitest';
import { deferred, makeEvent, makeRun, tick } from './__fixtures__/events.js';
import { attachSinks } from './attach-sinks.js';
import type { EventSink } from './event-sink.js';

/** A sink that records what it sees, optionally taking a tick per event. */
function recordingSink(options: { async?: boolean; log?: string[]; name?: string } = {}) {
  const events: AgentEvent[] = [];
  const log = options.log ?? [];
  const name = options.name ?? 'sink';
  const sink: EventSink = {
    handle(event) {
      if (!options.async) {
        events.push(event);
        return;
      }
      return tick().then(() => {
        events.push(event);
      });
    },
    async flush() {
      log.push(`${name}.flush after ${events.length}`);
    },
    async close() {
      log.push(`${name}.close`);
    },
  };
  return { sink, events, log };
}

describe('attachSinks', () => {
  it('delivers every event to every sink, in order', async () => {
    const bus = new EventBus();
    const first = recordingSink();
    const second = recordingSink({ async: true });
    const attached = attachSinks(bus, [first.sink, second.sink]);
    const run = makeRun('r', 50);

    for (const event of run) bus.publish(event);
    await attached.flush();

    expect(first.events).toEqual(run);
    expect(second.events).toEqual(run);
    expect(attached.stats()).toEqual([
      { dropped: 0, pending: 0 },
      { dropped: 0, pending: 0 },
    ]);
  });

  it('flush waits for queued events to reach the sink, then for the sink to flush', async () => {
    const bus = new EventBus();
    const recording = recordingSink({ async: true });
    const attached = attachSinks(bus, [recording.sink]);

    for (const event of makeRun('r', 20)) bus.publish(event);
    await attached.flush();
    await attached.flush();

    expect(recording.log).toEqual(['sink.flush after 20', 'sink.flush after 20']);
  });

  it('close flushes the sinks, then closes them, then unsubscribes', async () => {
    const bus = new EventBus();
    const log: string[] = [];
    const first = recordingSink({ async: true, log, name: 'first' });
    const second = recordingSink({ log, name: 'second' });
    const attached = attachSinks(bus, [first.sink, second.sink]);
    for (const event of makeRun('r', 5)) bus.publish(event);

    const closing = attached.close();
    expect(attached.close()).toBe(closing);
    await closing;
    bus.publish(makeEvent('run.started', { runId: 'late' }));

    expect(log).toEqual(['second.flush after 5', 'first.flush after 5', 'first.close', 'second.close']);
    expect(bus.stats().subscribers).toBe(0);
    expect(first.events).toHaveLength(5);
  });

  it('routes handle errors, thrown or rejected, to onError with the event and sink, and keeps delivering', async () => {
    const bus = new EventBus();
    const errors: [unknown, number, EventSink][] = [];
    const throwing: EventSink = {
      handle(event) {
        if (event.seq === 1) throw new Error('sync');
        if (event.seq === 2) return Promise.reject(new Error('async'));
      },
    };
    const healthy = recordingSink();
    const attached = attachSinks(bus, [throwing, healthy.sink], {
      onError: (error, event, sink) => errors.push([error, event.seq, sink]),
    });

    for (const event of makeRun('r', 4)) bus.publish(event);
    await attached.flush();

    expect(errors).toEqual([
      [new Error('sync'), 1, throwing],
      [new Error('async'), 2, throwing],
    ]);
    expect(healthy.events).toHaveLength(4);
  });

  it('treats a non-promise return value as done', async () => {
    const bus = new EventBus();
    const seen: number[] = [];
    const sink = {
      handle: (event: AgentEvent) => {
        seen.push(event.seq);
        return 42 as unknown as undefined;
      },
    };
    const attached = attachSinks(bus, [sink]);

    for (const event of makeRun('r', 3)) bus.publish(event);
    await attached.flush();

    expect(seen).toEqual([0, 1, 2]);
  });

  it('flushes and closes every sink even when one fails, then rejects with an AggregateError', async () => {
    const bus = new EventBus();
    const log: string[] = [];
    const failing: EventSink = {
      handle() {},
      flush: () => Promise.reject(new Error('flush broke')),
      close: () => {
        throw new Error('close broke');
      },
    };
    const healthy = recordingSink({ log });
    const attached = attachSinks(bus, [failing, healthy.sink]);

    const flushError = await attached.flush().catch((error: unknown) => error);
    const closeError = await attached.close().catch((error: unknown) => error);

    expect(flushError).toBeInstanceOf(AggregateError);
    expect((flushError as AggregateError).errors).toEqual([new Error('flush broke')]);
    expect((closeError as AggregateError).errors).toEqual([
      new Error('flush broke'),
      new Error('close broke'),
    ]);
    expect(log).toEqual(['sink.flush after 0', 'sink.flush after 0', 'sink.close']);
    expect(bus.stats().subscribers).toBe(0);
  });

  it('accepts sinks without flush or close', async () => {
    const bus = new EventBus();
    const seen: AgentEvent[] = [];
    const attached = attachSinks(bus, [{ handle: (event) => void seen.push(event) }]);

    bus.publish(makeEvent('run.started'));
    await attached.close();

    expect(seen).toHaveLength(1);
  });

  it('detach unsubscribes at once, discards what is queued, and releases a waiting flush', async () => {
    const bus = new EventBus();
    const stuck = deferred();
    const seen: number[] = [];
    const attached = attachSinks(bus, [
      {
        handle(event) {
          seen.push(event.seq);
          return stuck.promise;
        },
      },
    ]);
    for (const event of makeRun('r', 5)) bus.publish(event);
    await tick();
    const flushing = attached.flush();

    attached.detach();
    attached.detach();
    bus.publish(makeEvent('run.started', { runId: 'late' }));
    await flushing;

    expect(seen).toEqual([0]);
    expect(bus.stats().subscribers).toBe(0);
    await attached.flush();
  });

  it('bounds flush and close with a signal, reporting only the sinks that were still busy', async () => {
    const bus = new EventBus();
    const log: string[] = [];
    const healthy = recordingSink({ log });
    const hangingFlush: EventSink = { handle() {}, flush: () => new Promise(() => {}) };
    const hangingClose: EventSink = { handle() {}, close: () => new Promise(() => {}) };
    const failingClose: EventSink = { handle() {}, close: () => Promise.reject(new Error('close broke')) };
    const attached = attachSinks(bus, [healthy.sink, hangingFlush, hangingClose, failingClose]);
    bus.publish(makeEvent('run.started'));

    const flushError = await attached.flush({ signal: AbortSignal.abort() }).catch((error: unknown) => error);
    const controller = new AbortController();
    const closing = attached.close({ signal: controller.signal }).catch((error: unknown) => error);
    await tick();
    controller.abort();
    const closeError = await closing;

    expect((flushError as AggregateError).errors).toEqual([expect.any(AbortedError)]);
    expect(((flushError as AggregateError).errors[0] as Error).message).toMatch(
      /waiting for a sink to flush/,
    );
    expect((closeError as AggregateError).errors.map((error: Error) => error.message)).toEqual([
      expect.stringMatching(/to flush: the signal aborted/),
      expect.stringMatching(/to close: the signal aborted/),
      'close broke',
    ]);
    expect(log).toEqual(['sink.flush after 1', 'sink.flush after 1', 'sink.close']);
    expect(bus.stats().subscribers).toBe(0);
  });

  it('rejects a missing bus, bad sinks and bad options with a ConfigError', () => {
    const bus = new EventBus();

    expect(() => attachSinks(undefined as unknown as EventBusType, [])).toThrow(/needs an EventBus/);
    expect(() => attachSinks(bus, {} as unknown as EventSink[])).toThrow(/needs an array of sinks/);
    expect(() => attachSinks(bus, [{ handle() {} }, {} as EventSink])).toThrow(
      /sinks\[1\] is not an EventSink/,
    );
    expect(() => attachSinks(bus, [], { maxQueue: 0 })).toThrow(ConfigError);
    expect(() => attachSinks(bus, [], { onError: 1 as unknown as () => void })).toThrow(
      /"onError" must be a function/,
    );
  });
});
