export type { IdempotencyCacheOptions, IdempotencyEntry } from './idempotency-cache.js';
export { IdempotencyCache, requestFingerprint } from './idempotency-cache.js';
export type { RunManagerOptions, RunnableAgent } from './run-manager.js';
export { createRunManager } from './run-manager.js';
