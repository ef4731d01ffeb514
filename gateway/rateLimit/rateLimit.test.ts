import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { Redis } from "ioredis";
import { createRateLimiter, MemoryBucket, RedisBucket, type RateLimiter } from "./index.js";
import { SERVICES, requireServices } from "../../test/services.js";

await requireServices("redis");
const REDIS_URL = SERVICES.redis.url;

function fakeClock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe("memory token bucket", () => {
  it("allows capacity requests, then refuses with a retryAfter matching the refill rate", async () => {
    const clock = fakeClock();
    const rl = new MemoryBucket({ capacity: 5, refillPerSecond: 0.5, now: clock.now });
    for (let i = 0; i < 5; i++) {
      expect(await rl.take("p")).toEqual({ allowed: true, remaining: 4 - i, retryAfterSeconds: 0 });
    }
    // empty; one token takes 1 / 0.5 = 2 s
    expect(await rl.take("p")).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 2 });
    clock.advance(1_000); // half a token back: 1 s still missing
    expect(await rl.take("p")).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    clock.advance(999);
    expect((await rl.take("p")).allowed).toBe(false);
    clock.advance(1);
    expect(await rl.take("p")).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    await rl.close();
  });

  it("refills over time, never beyond capacity", async () => {
    const clock = fakeClock();
    const rl = new MemoryBucket({ capacity: 3, refillPerSecond: 2, now: clock.now });
    for (let i = 0; i < 3; i++) expect((await rl.take("p")).allowed).toBe(true);
    expect((await rl.take("p")).allowed).toBe(false);
    clock.advance(500); // +1 token
    expect(await rl.take("p")).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    expect((await rl.take("p")).allowed).toBe(false);
    clock.advance(60_000); // far more than needed: capped at 3
    expect((await rl.take("p")).remaining).toBe(2);
    expect((await rl.take("p")).remaining).toBe(1);
    expect((await rl.take("p")).remaining).toBe(0);
    expect((await rl.take("p")).allowed).toBe(false);
    await rl.close();
  });

  it("keeps keys independent", async () => {
    const clock = fakeClock();
    const rl = createRateLimiter({ capacity: 2, refillPerSecond: 1, now: clock.now });
    expect((await rl.take("a")).allowed).toBe(true);
    expect((await rl.take("a")).allowed).toBe(true);
    expect((await rl.take("a")).allowed).toBe(false);
    expect(await rl.take("b")).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
    await rl.close();
  });

  it("charges cost > 1 and computes retryAfter for the whole cost", async () => {
    const clock = fakeClock();
    const rl = new MemoryBucket({ capacity: 10, refillPerSecond: 2, now: clock.now });
    expect(await rl.take("p", 7)).toEqual({ allowed: true, remaining: 3, retryAfterSeconds: 0 });
    // 3 left, 5 asked: 2 missing at 2/s = 1 s; a refused take costs nothing
    expect(await rl.take("p", 5)).toEqual({ allowed: false, remaining: 3, retryAfterSeconds: 1 });
    expect(await rl.take("p", 3)).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    expect(await rl.take("p", 5)).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 3 }); // 5 / 2 = 2.5 → 3
    clock.advance(2_500);
    expect(await rl.take("p", 5)).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    await expect(rl.take("p", 11)).rejects.toThrow(RangeError);
    await expect(rl.take("p", -1)).rejects.toThrow(RangeError);
    await rl.close();
  });

  it("evicts keys idle long enough to be full again, without changing decisions", async () => {
    const clock = fakeClock();
    const rl = new MemoryBucket({ capacity: 2, refillPerSecond: 1, now: clock.now }); // full after 2 s
    await rl.take("a");
    await rl.take("b");
    await rl.take("b");
    expect(rl.size).toBe(2);
    clock.advance(1_000);
    await rl.take("c");
    expect(rl.size).toBe(3); // a and b not full yet: kept
    clock.advance(1_000);
    await rl.take("c");
    expect(rl.size).toBe(1); // a and b full again: dropped
    expect(await rl.take("b")).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
    for (let i = 0; i < 10_000; i++) {
      clock.advance(1);
      await rl.take(`k${i}`);
    }
    expect(rl.size).toBeLessThanOrEqual(2_001); // only keys used in the last 2 s
    await rl.close();
  });

  it("rejects invalid configuration", () => {
    expect(() => new MemoryBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => new MemoryBucket({ capacity: 1, refillPerSecond: 0 })).toThrow(RangeError);
  });
});

describe("redis token bucket (real Redis)", () => {
  const prefix = `hub:rl:test:${randomBytes(6).toString("hex")}:`;
  const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  const limiters: RateLimiter[] = [];
  const limiter = (capacity: number, refillPerSecond: number, extra: { onError?: (e: Error) => void } = {}) => {
    const rl = createRateLimiter({ capacity, refillPerSecond, redisUrl: REDIS_URL, keyPrefix: prefix, ...extra });
    limiters.push(rl);
    return rl;
  };
  const errors: Error[] = [];
  const recordError = (e: Error) => void errors.push(e);

  beforeAll(async () => {
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.all(limiters.map((l) => l.close()));
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    expect(await admin.keys(`${prefix}*`)).toEqual([]);
    await admin.quit();
  });

  it("allows capacity requests, then refuses with a retryAfter matching the refill rate", async () => {
    const rl = limiter(5, 0.5, { onError: recordError });
    for (let i = 0; i < 5; i++) {
      expect(await rl.take("p")).toEqual({ allowed: true, remaining: 4 - i, retryAfterSeconds: 0 });
    }
    expect(await rl.take("p")).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 2 });
    const lowRate = limiter(1, 0.1, { onError: recordError });
    expect((await lowRate.take("q")).allowed).toBe(true);
    expect(await lowRate.take("q")).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 10 });
    expect(errors).toEqual([]);
  });

  it("stores tokens + timestamp in a prefixed hash with a TTL", async () => {
    const rl = limiter(4, 2, { onError: recordError }); // full after 2 s → TTL 3 s
    await rl.take("ttl");
    const hash = await admin.hgetall(`${prefix}ttl`);
    expect(Number(hash.tokens)).toBeCloseTo(3, 3);
    expect(Number(hash.ts)).toBeGreaterThan(1e12);
    const ttl = await admin.pttl(`${prefix}ttl`);
    expect(ttl).toBeGreaterThan(2_000);
    expect(ttl).toBeLessThanOrEqual(3_000);
  });

  it("refills over time", async () => {
    const rl = limiter(2, 10, { onError: recordError }); // a token every 100 ms
    expect((await rl.take("r", 2)).allowed).toBe(true);
    const refused = await rl.take("r", 2);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(1);
    await new Promise((r) => setTimeout(r, 250));
    expect((await rl.take("r", 2)).allowed).toBe(true);
    expect(errors).toEqual([]);
  });

  it("keeps keys independent and charges cost > 1", async () => {
    const rl = limiter(10, 0.01, { onError: recordError });
    expect(await rl.take("a", 7)).toEqual({ allowed: true, remaining: 3, retryAfterSeconds: 0 });
    const refused = await rl.take("a", 5);
    expect(refused.allowed).toBe(false);
    expect(refused.remaining).toBe(3);
    expect(refused.retryAfterSeconds).toBe(200); // ~2 missing at 0.01/s (a hair less after a few ms of refill)
    expect(await rl.take("b", 10)).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    expect((await rl.take("a", 3)).allowed).toBe(true);
    expect((await rl.take("a", 1)).allowed).toBe(false);
    await expect(rl.take("a", 11)).rejects.toThrow(RangeError);
    expect(errors).toEqual([]);
  });

  it("shares one bucket between two limiter instances (two gateway processes)", async () => {
    const gw1 = limiter(4, 0.01, { onError: recordError });
    const gw2 = limiter(4, 0.01, { onError: recordError });
    expect((await gw1.take("shared")).remaining).toBe(3);
    expect((await gw2.take("shared")).remaining).toBe(2);
    expect((await gw1.take("shared", 2)).remaining).toBe(0);
    expect((await gw2.take("shared")).allowed).toBe(false);
    expect((await gw1.take("shared")).allowed).toBe(false);
    expect(errors).toEqual([]);
  });

  it("is atomic: 50 parallel takes on capacity 10 allow exactly 10", async () => {
    const rl = limiter(10, 0.001, { onError: recordError });
    const decisions = await Promise.all(Array.from({ length: 50 }, () => rl.take("burst")));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    expect(decisions.filter((d) => !d.allowed).every((d) => d.retryAfterSeconds >= 1)).toBe(true);

    // the same across two instances (two connections interleaving)
    const a = limiter(10, 0.001, { onError: recordError });
    const b = limiter(10, 0.001, { onError: recordError });
    const mixed = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).take("burst2")));
    expect(mixed.filter((d) => d.allowed)).toHaveLength(10);
    expect(errors).toEqual([]);
  });

  it("fails open, fast, and reports the error when Redis is unreachable", async () => {
    const seen: Error[] = [];
    const rl = createRateLimiter({ capacity: 3, refillPerSecond: 1, redisUrl: "redis://127.0.0.1:1", onError: (e) => void seen.push(e) });
    const started = Date.now();
    const decision = await rl.take("partner");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(decision).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
    expect(seen.length).toBeGreaterThan(0);
    // later calls fail fast too
    const again = Date.now();
    expect((await rl.take("partner")).allowed).toBe(true);
    expect(Date.now() - again).toBeLessThan(500);
    await rl.close();
    await expect(rl.take("partner")).rejects.toThrow(/closed/);
  });

  describe("a Redis that accepts connections but never answers", () => {
    let server: Server;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      server = createServer((s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
        s.on("error", () => {});
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    });

    it("still resolves within 2 s, allowed", async () => {
      const { port } = server.address() as { port: number };
      const seen: Error[] = [];
      const rl = new RedisBucket({
        capacity: 3,
        refillPerSecond: 1,
        redisUrl: `redis://127.0.0.1:${port}`,
        keyPrefix: prefix,
        onError: (e) => void seen.push(e),
      });
      const started = Date.now();
      const decisions = await Promise.all([rl.take("x"), rl.take("y")]);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(decisions.every((d) => d.allowed)).toBe(true);
      expect(seen.length).toBeGreaterThan(0);
      await rl.close();
    });
  });
});
