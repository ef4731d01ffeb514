import { checkBucketConfig, checkCost, EPSILON, fullAfterMs, type BucketConfig, type RateDecision, type RateLimiter } from "./types.js";

export interface MemoryBucketOptions extends BucketConfig {
  /** Clock in milliseconds; monotonic by default (`performance.now()`). Tests inject a fake one. */
  now?: () => number;
}

interface BucketState {
  tokens: number;
  /** Clock reading (ms) of the last `take` on this key. */
  last: number;
}

/**
 * In-process token bucket per key: one instance limits only the process it runs
 * in (use the Redis bucket when several gateway instances must share a limit).
 *
 * Bounded memory: a bucket left alone for `capacity / refillPerSecond` seconds is
 * full again, and a full bucket behaves exactly like a key never seen (which
 * starts full), so such entries can be dropped without changing any decision.
 * Every `take` deletes and re-inserts its key, which keeps the Map in order of
 * last use (a Map iterates in insertion order); each `take` then evicts from the
 * front of the Map while the oldest entry has been idle that long. That costs
 * amortised O(1) per call (each key is evicted at most once per insertion) and
 * keeps at most the keys used within the last refill-to-full interval. The order
 * argument needs a clock that never goes backwards (the default is monotonic);
 * with a clock that does, eviction is merely delayed, decisions stay correct.
 */
export class MemoryBucket implements RateLimiter {
  private readonly buckets = new Map<string, BucketState>();
  private readonly now: () => number;
  private readonly idleEvictMs: number;
  private closed = false;

  constructor(private readonly cfg: MemoryBucketOptions) {
    checkBucketConfig(cfg);
    this.now = cfg.now ?? (() => performance.now());
    this.idleEvictMs = fullAfterMs(cfg);
  }

  /** Number of keys currently held (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  async take(key: string, cost = 1): Promise<RateDecision> {
    return this.takeSync(key, cost);
  }

  /** Synchronous form of `take` (the in-process bucket never waits). */
  takeSync(key: string, cost = 1): RateDecision {
    if (this.closed) throw new Error("rate limiter is closed");
    checkCost(cost, this.cfg.capacity);
    const now = this.now();
    const { capacity, refillPerSecond } = this.cfg;

    const state = this.buckets.get(key);
    let tokens = capacity;
    if (state) {
      // A clock that went backwards refills nothing (and never removes tokens).
      const elapsedMs = Math.max(0, now - state.last);
      tokens = Math.min(capacity, state.tokens + (elapsedMs * refillPerSecond) / 1000);
      this.buckets.delete(key); // re-inserted below: moves the key to the back (most recent)
    }

    let decision: RateDecision;
    if (tokens + EPSILON >= cost) {
      tokens = Math.max(0, tokens - cost);
      decision = { allowed: true, remaining: Math.floor(tokens + EPSILON), retryAfterSeconds: 0 };
    } else {
      decision = {
        allowed: false,
        remaining: Math.floor(tokens + EPSILON),
        retryAfterSeconds: Math.ceil((cost - tokens) / refillPerSecond),
      };
    }
    this.buckets.set(key, { tokens, last: now });
    this.evictIdle(now);
    return decision;
  }

  private evictIdle(now: number): void {
    for (const [key, state] of this.buckets) {
      if (now - state.last < this.idleEvictMs) break; // the rest were used more recently
      this.buckets.delete(key);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.buckets.clear();
  }
}

export function createMemoryBucket(cfg: MemoryBucketOptions): MemoryBucket {
  return new MemoryBucket(cfg);
}
