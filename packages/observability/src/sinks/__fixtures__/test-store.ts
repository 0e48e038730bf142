import { type AgentEvent, type EventStore, MemoryEventStore } from '@agent/core';
import { deferred } from './events.js';

/**
 * A MemoryEventStore with a controllable `append`: records each call's batch, can fail the next
 * calls, and can hold calls until released (a slow or stalled store).
 */
export class TestStore extends MemoryEventStore implements EventStore {
  /** The batch of every append call, failed ones included. */
  readonly batches: AgentEvent[][] = [];
  /** Append calls running right now, and the most ever at once. */
  running = 0;
  maxRunning = 0;
  private failures: unknown[] = [];
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  /** The next `count` appends reject with `error` (before storing anything). */
  failNext(count: number, error: unknown = new Error('database is down')): this {
    for (let index = 0; index < count; index++) this.failures.push(error);
    return this;
  }

  /** Holds every append until {@link release}. */
  hold(): this {
    const { promise, resolve } = deferred();
    this.gate = promise;
    this.openGate = resolve;
    return this;
  }

  /** Lets held appends through. */
  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  override async append(events: readonly AgentEvent[]): Promise<void> {
    this.batches.push([...events]);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      if (this.gate) await this.gate;
      if (this.failures.length > 0) throw this.failures.shift();
      await super.append(events);
    } finally {
      this.running--;
    }
  }
}
