import {
  type AgentConfig,
  type Logger,
  MemoryRateLimiter,
  type RateLimiter,
  type RateLimitRule,
} from '@agent/core';
import { RedisRateLimiter } from '@agent/ratelimit-redis';
import { Redis } from 'ioredis';

/** The configured limiter, and the Redis connection behind it (for readiness checks). */
export interface BuiltLimiter {
  limiter: RateLimiter;
  /** Set when the backend is Redis: the connection the limiter uses; the runtime owns it. */
  redis: Redis | undefined;
  /**
   * Another limiter on the same backend with its own rules and key space (`purpose` goes into
   * the Redis key prefix), e.g. the server's HTTP limits: a limiter decides every call against
   * all of its rules, so separate limits need a separate limiter.
   */
  limiterFor(rules: readonly RateLimitRule[], purpose: string): RateLimiter;
  close(): Promise<void>;
}

/**
 * Builds the limiter of `rateLimits`: in memory, or on Redis. For Redis the runtime opens the
 * connection itself (fail fast: no offline queue, one retry, the command timeout) and hands it to
 * the limiter, so readiness can PING the same connection.
 */
export function buildLimiter(config: AgentConfig, logger: Logger): BuiltLimiter {
  const limits = config.rateLimits;
  const rules = limits.rules;
  if (limits.backend !== 'redis' || limits.redis === undefined) {
    const limiter = new MemoryRateLimiter({ rules });
    return {
      limiter,
      redis: undefined,
      limiterFor: (otherRules) => new MemoryRateLimiter({ rules: [...otherRules] }),
      close: async () => {},
    };
  }
  const redisConfig = limits.redis;
  const commandTimeoutMs = redisConfig.commandTimeoutMs ?? 200;
  const redis = new Redis(redisConfig.url, {
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  });
  let lastError = '';
  redis.on('error', (error: Error) => {
    // ioredis reports every reconnect attempt; log each distinct problem once.
    if (error.message === lastError) return;
    lastError = error.message;
    logger.warn('Redis connection problem; the rate limiter applies its failure policy', {
      error: error.message,
      failurePolicy: redisConfig.failurePolicy,
    });
  });
  redis.on('ready', () => {
    lastError = '';
  });
  const keyPrefix = redisConfig.keyPrefix ?? 'agent:rl:';
  const onRedis = (limiterRules: readonly RateLimitRule[], prefix: string) =>
    new RedisRateLimiter({
      redis,
      rules: [...limiterRules],
      commandTimeoutMs,
      failurePolicy: redisConfig.failurePolicy,
      keyPrefix: prefix,
    });
  const limiter = onRedis(rules, keyPrefix);
  let closing: Promise<void> | undefined;
  return {
    limiter,
    redis,
    // The shared connection stays the runtime's: a limiter given a connection never closes it.
    limiterFor: (otherRules, purpose) => onRedis(otherRules, `${keyPrefix}${purpose}:`),
    close() {
      closing ??= (async () => {
        await limiter.close();
        try {
          await redis.quit();
        } catch {
          redis.disconnect();
        }
      })();
      return closing;
    },
  };
}
