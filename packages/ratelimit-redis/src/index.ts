/**
 * `@agent/ratelimit-redis`: a `RateLimiter` on Redis whose limits on calls and tokens hold
 * across processes and machines, decided atomically in one Lua script per acquire.
 * @module
 */

export type { RedisRateLimiterStats } from './redis-rate-limiter.js';
export { RedisRateLimiter } from './redis-rate-limiter.js';
export type { FailurePolicy, RedisRateLimiterOptions } from './redis-rate-limiter-options.js';
export { STORE_UNAVAILABLE_RULE } from './redis-rate-limiter-options.js';
export type { RedisConnection } from './run-script.js';
export { StoreTimeoutError } from './run-script.js';
