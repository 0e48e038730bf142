/** Who a run is: the ids an ambient context (logs, spans) attaches to everything done inside it. */
export interface RunIdentity {
  runId: string;
  agent: string;
  tenant: string | undefined;
}

/**
 * A tracer-like hook around each run. The runtime calls `enter` once per run, with the run's
 * identity, and does all of the run's work inside `fn`, so an implementation can set async
 * context there: `@agent/observability` puts the ids in `AsyncLocalStorage` (every log line made
 * anywhere in the run carries them) and makes the run's `invoke_agent` span the active one (HTTP
 * calls made by model SDKs nest under it). Core stays runtime-neutral: it never touches either.
 *
 * @example
 * ```ts
 * const scope: RunScope = { enter: (run, fn) => storage.run(run, fn) };
 * new Agent({ name: 'assistant', model, scope });
 * ```
 */
export interface RunScope {
  /** Runs `fn` inside the run's context and returns its promise. Must call `fn` exactly once. */
  enter<T>(run: RunIdentity, fn: () => Promise<T>): Promise<T>;
}

/**
 * Runs `fn` inside `scope` when one is set. Observability must never stop a run: a scope that
 * throws before calling `fn` is reported to `onScopeError` and the run goes on without it.
 */
export function enterRunScope<T>(
  scope: RunScope | undefined,
  run: RunIdentity,
  fn: () => Promise<T>,
  onScopeError: (error: unknown) => void,
): Promise<T> {
  if (scope === undefined) return fn();
  let called = false;
  const once = (): Promise<T> => {
    called = true;
    return fn();
  };
  try {
    return scope.enter(run, once);
  } catch (error) {
    if (called) return Promise.reject(error);
    onScopeError(error);
    return fn();
  }
}
