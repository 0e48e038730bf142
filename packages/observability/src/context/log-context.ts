import { AsyncLocalStorage } from 'node:async_hooks';
import { ValidationError } from '@agent/core';

/**
 * The ids every log line made inside a request or run carries. Set once at the edge (the server
 * sets `requestId` and `tenant`, the run scope adds `runId` and `agent`), never passed by hand.
 * Extra string fields (`sessionId`, `traceId`, ...) are allowed and travel the same way.
 */
export interface LogContextFields {
  /** The id of the incoming request. */
  requestId?: string;
  /** The id of the agent run. */
  runId?: string;
  /** The tenant the work is done for. */
  tenant?: string;
  /** The name of the agent. */
  agent?: string;
  /** Any further id, e.g. `sessionId`. */
  [field: string]: string | undefined;
}

/**
 * Ambient ids for log lines, carried through async continuations (`await`, timers, callbacks)
 * by `AsyncLocalStorage`. Most code uses {@link defaultLogContext}; make an instance of your own
 * only to isolate a subsystem (or a test) from the process-wide one.
 *
 * @example
 * ```ts
 * await defaultLogContext.run({ requestId: 'req-1', tenant: 'acme' }, () => handle(request));
 * // anywhere inside handle(), even after awaits:
 * defaultLogContext.get(); // { requestId: 'req-1', tenant: 'acme' }
 * ```
 */
export class LogContext {
  readonly #storage = new AsyncLocalStorage<Readonly<LogContextFields>>();

  /**
   * Runs `fn` with `fields` merged over the current fields and returns what `fn` returns (a
   * promise stays a promise). Nested calls merge: an inner `run({ runId })` keeps the outer
   * `requestId`. A field given as `undefined` leaves the current value as it is, so a run without
   * a tenant does not erase the tenant the request set.
   *
   * @throws ValidationError when a field is neither a string nor undefined.
   */
  run<T>(fields: LogContextFields, fn: () => T): T {
    return this.#enter({ ...this.#storage.getStore() }, fields, fn);
  }

  /**
   * Runs `fn` with exactly `fields`, ignoring the current ones. For work that is done on behalf
   * of someone else than the caller: a sink handling an event of run B in an async chain that run
   * A started must log B's ids, never A's request id.
   *
   * @throws ValidationError when a field is neither a string nor undefined.
   */
  runAlone<T>(fields: LogContextFields, fn: () => T): T {
    return this.#enter({}, fields, fn);
  }

  #enter<T>(base: LogContextFields, fields: LogContextFields, fn: () => T): T {
    const merged = base;
    for (const [name, value] of Object.entries(fields)) {
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string') {
        throw new ValidationError(
          `Log context field "${name}" must be a string, got ${typeof value}. Pass ids as strings, e.g. String(${name}).`,
        );
      }
      merged[name] = value;
    }
    // Frozen so that a caller holding the result of get() cannot change the ids of other lines.
    return this.#storage.run(Object.freeze(merged), fn);
  }

  /** The fields of the innermost `run` around the caller, or `undefined` outside every run. */
  get(): Readonly<LogContextFields> | undefined {
    return this.#storage.getStore();
  }
}

/**
 * The process-wide log context that loggers read and `createLogScope()` writes by default.
 * Async context is process-wide by nature (like OpenTelemetry's context manager), so one shared
 * instance is what lets the server, the runtime and the logger meet without passing it around.
 */
export const defaultLogContext: LogContext = new LogContext();
