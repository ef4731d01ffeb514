/**
 * Per-partner rate limiting with a token bucket: `capacity` is the burst a partner
 * may send at once, `refillPerSecond` the sustained rate. Without `redisUrl` the
 * buckets live in this process; with it they live in Redis and are shared by every
 * gateway instance (one bucket per partner key, one clock: the Redis server's).
 *
 * Ours rather than rate-limiter-flexible: its limiters count points per duration from a
 * key's first use (a window), so a partner can spend a whole window's points at its end and
 * again at the start of the next, while the hub promises a token bucket (steady refill,
 * an exact Retry-After) in one atomic Lua call per request, as the library would take.
 */
import { MemoryBucket } from "./memoryBucket.js";
import { RedisBucket } from "./redisBucket.js";
import type { BucketConfig, RateLimitErrorHandler, RateLimiter } from "./types.js";

export type { BucketConfig, RateDecision, RateLimiter, RateLimitErrorContext, RateLimitErrorHandler } from "./types.js";
export { MemoryBucket, createMemoryBucket, type MemoryBucketOptions } from "./memoryBucket.js";
export { RedisBucket, createRedisBucket, DEFAULT_KEY_PREFIX, type RedisBucketOptions } from "./redisBucket.js";

export interface RateLimiterConfig extends BucketConfig {
  /** Shared limits through Redis when set; in-process limits otherwise. */
  redisUrl?: string;
  /** Redis key prefix (default `hub:rl:`); unused by the in-process limiter. */
  keyPrefix?: string;
  /** Redis limiter only: errors of requests let through (fail-open) and connection errors. */
  onError?: RateLimitErrorHandler;
  /** In-process limiter only: clock in milliseconds (default `performance.now()`). */
  now?: () => number;
}

export function createRateLimiter(cfg: RateLimiterConfig): RateLimiter {
  if (cfg.redisUrl) {
    return new RedisBucket({
      capacity: cfg.capacity,
      refillPerSecond: cfg.refillPerSecond,
      redisUrl: cfg.redisUrl,
      keyPrefix: cfg.keyPrefix,
      onError: cfg.onError,
    });
  }
  return new MemoryBucket({ capacity: cfg.capacity, refillPerSecond: cfg.refillPerSecond, now: cfg.now });
}
