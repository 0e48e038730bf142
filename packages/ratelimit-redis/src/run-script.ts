import type { Cluster, Redis } from 'ioredis';
import type { LuaScript } from './lua-scripts.js';

/** A Redis connection the limiter can run scripts on: a single node or a cluster. */
export type RedisConnection = Redis | Cluster;

/** Thrown when Redis does not answer within the limiter's `commandTimeoutMs`. */
export class StoreTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(
      `Redis did not answer within ${timeoutMs} ms. Check that Redis is reachable and not paused, or raise commandTimeoutMs.`,
    );
    this.name = 'StoreTimeoutError';
  }
}

/**
 * Runs `script` with EVALSHA, one round trip when Redis has it cached. After a restart or a
 * `SCRIPT FLUSH` Redis answers NOSCRIPT; then the script is sent once with EVAL (which caches it
 * again) and the call retried in the same step. The whole call is bounded by `timeoutMs` even on
 * a caller-owned connection that queues commands while offline.
 */
export async function runScript(
  redis: RedisConnection,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[],
  timeoutMs: number,
): Promise<unknown> {
  let expired = false;
  const run = async (): Promise<unknown> => {
    // Without an offline queue a command sent while the first connection is still being made
    // fails at once; waiting for it (within the same bound) keeps a new limiter from falling back.
    if (CONNECTING.has(redis.status)) await nextReady(redis);
    // The caller has had its answer from the failure policy; counting the call now would be wrong.
    if (expired) return undefined;
    try {
      return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScriptError(error)) throw error;
      return await redis.eval(script.source, keys.length, ...keys, ...args);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true;
      reject(new StoreTimeoutError(timeoutMs));
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const CONNECTING: ReadonlySet<string> = new Set(['connecting', 'connect']);

// One listener per connection however many acquires wait, so a burst does not pile them up.
const readyWaits = new WeakMap<RedisConnection, Promise<void>>();

function nextReady(redis: RedisConnection): Promise<void> {
  let wait = readyWaits.get(redis);
  if (wait === undefined) {
    wait = new Promise<void>((resolve) => {
      redis.once('ready', () => {
        readyWaits.delete(redis);
        resolve();
      });
    });
    readyWaits.set(redis, wait);
  }
  return wait;
}

function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
