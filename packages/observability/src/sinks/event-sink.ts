import type { AgentEvent } from '@agent/core';

/**
 * Somewhere run events go: a log, a file, a store. `handle` is called once per event, in
 * order; it should return quickly and queue any I/O, because {@link attachSinks} waits for
 * it before handing over the next event.
 */
export interface EventSink {
  /** Takes one event. Should not throw; errors are the sink's to report. */
  handle(event: AgentEvent): void | Promise<void>;
  /** Resolves when every event handled so far is written (or given up). */
  flush?(): Promise<void>;
  /** Flushes, then releases what the sink holds. Events handled afterwards are dropped. */
  close?(): Promise<void>;
}

/** Receives what a sink could not do (a failed write, an append given up); never throws into the publisher. */
export type SinkErrorHandler = (error: unknown) => void;

/** Receives how many events a sink just dropped; feed a counter from it. */
export type SinkDropHandler = (count: number) => void;
