import type { Principal } from '../../contract.js';

/** What the server's middleware puts on the Hono context, read with `c.get(...)` / `c.var`. */
export interface ServerVariables {
  /** Set by `requestId()`: the caller's `X-Request-Id` when well-formed, else a new UUID. */
  requestId: string;
  /** Set by `authenticate()`: who is calling. */
  principal: Principal;
  /** Set by `requestTimeout()`: aborts when the request's time is up, so handlers can stop work. */
  timeoutSignal: AbortSignal;
  /** Set by `disableRequestTimeout()`: the request timeout no longer applies (e.g. SSE streams). */
  requestTimeoutDisabled: boolean;
}

/** The Hono env of the server's apps: `new Hono<ServerEnv>()`. */
export interface ServerEnv {
  Variables: ServerVariables;
}

// Typed `c.get('requestId')` and `c.get('principal')` in every app, whichever Env it declares.
declare module 'hono' {
  interface ContextVariableMap extends ServerVariables {}
}
