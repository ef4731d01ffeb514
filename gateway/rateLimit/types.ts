/**
 * Shared types and argument checks of the per-partner token-bucket rate limiter.
 * `index.ts` re-exports the public ones; the two bucket implementations import
 * them from here so there is no import cycle through `index.ts`.
 */

export interface RateDecision {
  allowed: boolean;
  /** Whole tokens left in the bucket after this call (floored). */
  remaining: number;
  /** Whole seconds (rounded up) until `cost` tokens will be available; 0 when allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /**
   * Takes `cost` tokens (default 1) from `key`'s bucket if it holds that many.
   * Rejects with a RangeError when `cost` is negative, not finite or larger than
   * the capacity (such a request could never be allowed: a caller bug).
   */
  take(key: string, cost?: number): Promise<RateDecision>;
  /** Releases timers / connections. Idempotent; `take` after `close` rejects. */
  close(): Promise<void>;
}

export interface BucketConfig {
  /** Largest number of tokens a bucket holds (burst size); > 0. */
  capacity: number;
  /** Tokens added per second (sustained rate); > 0. */
  refillPerSecond: number;
}

/** Where an error reported to `onError` came from. */
export interface RateLimitErrorContext {
  /** "take": a `take` call failed and was let through; "connection": the Redis client reported a connection error. */
  phase: "take" | "connection";
  /** The partner key of the failed `take` (phase "take" only). */
  key?: string;
}

export type RateLimitErrorHandler = (error: Error, context: RateLimitErrorContext) => void;

/** Tokens accepted as "enough" despite floating-point dust (e.g. 0.1 + 0.2 refills). */
export const EPSILON = 1e-9;

export function checkBucketConfig(cfg: BucketConfig): void {
  if (!Number.isFinite(cfg.capacity) || cfg.capacity <= 0) {
    throw new RangeError(`rate limit capacity must be a positive number, got ${cfg.capacity}`);
  }
  if (!Number.isFinite(cfg.refillPerSecond) || cfg.refillPerSecond <= 0) {
    throw new RangeError(`rate limit refillPerSecond must be a positive number, got ${cfg.refillPerSecond}`);
  }
}

export function checkCost(cost: number, capacity: number): void {
  if (!Number.isFinite(cost) || cost < 0) {
    throw new RangeError(`rate limit cost must be a finite number >= 0, got ${cost}`);
  }
  if (cost > capacity) {
    throw new RangeError(`rate limit cost ${cost} exceeds the bucket capacity ${capacity}: it could never be allowed`);
  }
}

/** Milliseconds an untouched bucket needs to refill from empty to full. */
export function fullAfterMs(cfg: BucketConfig): number {
  return Math.ceil((cfg.capacity / cfg.refillPerSecond) * 1000);
}

export function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
