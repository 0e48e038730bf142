import type { AgentEvent } from '../events/agent-event.js';

/**
 * A run in progress: iterate it for events as they happen, await `result` for the outcome.
 * Stopping the iteration early (break, return, throw) cancels the run.
 */
export interface RunStream<TResult> extends AsyncIterable<AgentEvent> {
  /** Resolves with the run's result, or rejects with its typed error. */
  readonly result: Promise<TResult>;
  /** Cancels the run. */
  cancel(reason?: string): void;
}

/**
 * Buffers events between the run (producer) and the caller's `for await` (consumer). The buffer
 * holds only this run's events, and the run stops producing when the consumer stops iterating.
 */
export class EventChannel implements AsyncIterator<AgentEvent> {
  private readonly buffer: AgentEvent[] = [];
  private head = 0;
  private waiting: ((result: IteratorResult<AgentEvent>) => void) | undefined;
  private closed = false;

  constructor(private readonly onReturn: () => void) {}

  push(event: AgentEvent): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: event, done: false });
      return;
    }
    this.buffer.push(event);
  }

  close(): void {
    this.closed = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<AgentEvent>> {
    if (this.head < this.buffer.length) {
      const value = this.buffer[this.head++] as AgentEvent;
      if (this.head === this.buffer.length) {
        this.buffer.length = 0;
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<AgentEvent>> {
    if (!this.closed) this.onReturn();
    this.closed = true;
    this.buffer.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }
}
