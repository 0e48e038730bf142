/** A source of time. Inject one to make time-dependent code testable. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The wall clock (`Date.now`). */
export const systemClock: Clock = { now: () => Date.now() };

/** Makes unique ids. Inject one for deterministic ids in tests. */
export type IdGenerator = () => string;

/** Random UUID v4 ids (Web Crypto, available on Node 20 and in browsers). */
export const randomId: IdGenerator = () => globalThis.crypto.randomUUID();
