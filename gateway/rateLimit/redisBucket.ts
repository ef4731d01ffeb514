import { Redis } from "ioredis";
import { createLogger } from "../../lib/logger.js";
import {
  checkBucketConfig,
  checkCost,
  fullAfterMs,
  toError,
  type BucketConfig,
  type RateDecision,
  type RateLimitErrorHandler,
  type RateLimiter,
} from "./types.js";

export const DEFAULT_KEY_PREFIX = "hub:rl:";

export interface RedisBucketOptions extends BucketConfig {
  /** e.g. `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** Prepended to every partner key; default `hub:rl:`. */
  keyPrefix?: string;
  /**
   * Called (never awaited, exceptions swallowed) for every `take` that failed and was
   * let through, and for connection errors of the Redis client. Without it such errors
   * are logged as warnings, at most one line per 10 s.
   */
  onError?: RateLimitErrorHandler;
  /** Longest wait for one Redis reply before failing open; default 500 ms. */
  commandTimeoutMs?: number;
  /** TCP connect timeout, also the longest a `take` waits for the very first connection; default 1000 ms. */
  connectTimeoutMs?: number;
}

/**
 * The token bucket as one Lua script, so read-refill-take-write is atomic on the
 * Redis server even when many gateway instances hit the same partner key at once.
 * Time comes from the server's TIME (not the callers' clocks), so every instance
 * refills the shared bucket on the same clock. State: hash {tokens, ts (ms)} with a
 * PEXPIRE of the refill-to-full time plus a margin: an expired key is simply a full
 * bucket (absent keys start full), so Redis memory stays bounded like the in-process Map.
 *
 * Redis >= 5 replicates scripts by effects, so calling TIME before writing is allowed;
 * `redis.replicate_commands()` makes that explicit for 3.2-4.x (no-op / absent later).
 *
 * KEYS[1] bucket key; ARGV capacity, refillPerSecond, cost, ttlMs.
 * Returns {allowed 0|1, remaining (floored), retryAfterSeconds (ceil, 0 when allowed)}.
 */
const TAKE_SCRIPT = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local key = KEYS[1]
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local ttl_ms = tonumber(ARGV[4])
local eps = 1e-9

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000

local state = redis.call('HMGET', key, 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
else
  local elapsed = now - ts
  if elapsed < 0 then elapsed = 0 end
  tokens = math.min(capacity, tokens + elapsed * rate / 1000)
end

local allowed = 0
local retry = 0
if tokens + eps >= cost then
  tokens = math.max(0, tokens - cost)
  allowed = 1
else
  retry = math.ceil((cost - tokens) / rate)
end

redis.call('HSET', key, 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.17g', now))
redis.call('PEXPIRE', key, ttl_ms)
return {allowed, math.floor(tokens + eps), retry}
`;

const COMMAND = "hubRateLimitTake";

/** The client with the command `defineCommand` adds (ioredis types cannot know it). */
type ScriptedRedis = Redis & {
  [COMMAND](key: string, capacity: string, rate: string, cost: string, ttlMs: string): Promise<[number, number, number]>;
};

/**
 * Token bucket shared through Redis by every gateway instance.
 *
 * FAIL-OPEN, a deliberate choice: when Redis is unreachable, slow or answers with
 * an error, `take` reports `allowed: true` (remaining as for a fresh bucket) and the
 * error goes to `onError` / the log. The limiter protects capacity; it is not an
 * access control (authentication and scopes are checked elsewhere), and partners'
 * credit look-ups must keep working through a Redis outage rather than all being
 * refused. The price is that limits are not enforced while Redis is down, which is
 * why every such error is reported.
 *
 * Never hangs: no offline queue (commands fail at once while disconnected), a command
 * timeout, one retry per request, and only the first `take`s after start wait (up to
 * `connectTimeoutMs`) for the initial connection, so a limiter created at boot does
 * not fail open merely because it has not connected yet.
 */
export class RedisBucket implements RateLimiter {
  private readonly client: ScriptedRedis;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly reportError: RateLimitErrorHandler;
  /** Pending until the first connection attempt has settled (ready, error, close or timeout). */
  private firstConnection: Promise<void> | null;
  private closed = false;

  constructor(private readonly cfg: RedisBucketOptions) {
    checkBucketConfig(cfg);
    this.prefix = cfg.keyPrefix ?? DEFAULT_KEY_PREFIX;
    // Refill-to-full time plus a second of margin; an expired key is a full bucket.
    this.ttlMs = fullAfterMs(cfg) + 1000;
    this.reportError = safeHandler(cfg.onError ?? throttledLogger());

    const connectTimeout = cfg.connectTimeoutMs ?? 1000;
    this.client = new Redis(cfg.redisUrl, {
      connectTimeout,
      commandTimeout: cfg.commandTimeoutMs ?? 500,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      // close() on a dead connection arms a timer of this length inside ioredis; keep it short
      // so a closed limiter does not hold the process (or Jest) open for the default 2 s.
      disconnectTimeout: 200,
      // Keep reconnecting in the background (capped back-off) so the limiter recovers by itself.
      retryStrategy: (times) => Math.min(times * 200, 2000),
    }) as ScriptedRedis;
    // defineCommand sends EVALSHA and falls back to EVAL (loading the script) on NOSCRIPT.
    this.client.defineCommand(COMMAND, { numberOfKeys: 1, lua: TAKE_SCRIPT });
    // A listener is required anyway: ioredis prints unhandled 'error' events to stderr.
    this.client.on("error", (err: unknown) => this.reportError(toError(err), { phase: "connection" }));

    this.firstConnection = new Promise<void>((resolve) => {
      const settle = (): void => {
        clearTimeout(timer);
        this.client.off("ready", settle).off("error", settle).off("close", settle);
        this.firstConnection = null;
        resolve();
      };
      const timer = setTimeout(settle, connectTimeout);
      timer.unref();
      this.client.once("ready", settle).once("error", settle).once("close", settle);
    });
  }

  async take(key: string, cost = 1): Promise<RateDecision> {
    if (this.closed) throw new Error("rate limiter is closed");
    checkCost(cost, this.cfg.capacity);
    try {
      if (this.firstConnection) await this.firstConnection;
      const [allowed, remaining, retryAfterSeconds] = await this.client[COMMAND](
        this.prefix + key,
        String(this.cfg.capacity),
        String(this.cfg.refillPerSecond),
        String(cost),
        String(this.ttlMs),
      );
      return { allowed: allowed === 1, remaining: Number(remaining), retryAfterSeconds: Number(retryAfterSeconds) };
    } catch (e) {
      // Fail open (see the class comment).
      this.reportError(toError(e), { phase: "take", key });
      return { allowed: true, remaining: Math.max(0, Math.floor(this.cfg.capacity - cost)), retryAfterSeconds: 0 };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.client.status === "ready") {
      try {
        await this.client.quit();
        return;
      } catch {
        // fall through to a hard disconnect
      }
    }
    this.client.disconnect(); // also stops reconnect attempts
  }
}

export function createRedisBucket(cfg: RedisBucketOptions): RedisBucket {
  return new RedisBucket(cfg);
}

function safeHandler(handler: RateLimitErrorHandler): RateLimitErrorHandler {
  return (error, context) => {
    try {
      handler(error, context);
    } catch {
      // a faulty error callback must not turn fail-open into a failed request
    }
  };
}

/** Default `onError`: a warning at most every 10 s, with the number of errors since the last one. */
function throttledLogger(intervalMs = 10_000): RateLimitErrorHandler {
  const logger = createLogger("rate-limit");
  let lastLog = -Infinity;
  let suppressed = 0;
  return (error, context) => {
    const now = Date.now();
    if (now - lastLog < intervalMs) {
      suppressed++;
      return;
    }
    lastLog = now;
    const msg = context.phase === "take" ? "rate limiter: Redis error, request allowed (fail-open)" : "rate limiter: Redis connection error";
    logger.warn({ err: error, ...context, suppressed }, msg);
    suppressed = 0;
  };
}
