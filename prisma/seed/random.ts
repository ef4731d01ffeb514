/**
 * A small deterministic PRNG for the seed data: sfc32 (Small Fast Counting, 128-bit
 * state) seeded through a 32-bit hash of (seed, domain, index…). No Date.now(), no
 * Math.random(): the same numbers give the same stream on every machine and Node version.
 *
 * `rngFor(seed, domain, index)` gives every entity its own independent stream, so an
 * entity (an enterprise, a person) can be regenerated from its index alone.
 */

/** murmur3 finaliser: a good 32-bit avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a list of integers (any sign, up to 2^53) into an unsigned 32-bit value. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    // Fold both halves of a safe integer so indices above 2^32 still differ.
    const lo = p >>> 0;
    const hi = Math.floor(p / 0x1_0000_0000) >>> 0;
    h = fmix32(Math.imul(h ^ lo, 0xcc9e2d51) + 0x1b873593);
    h = fmix32(Math.imul(h ^ hi, 0xcc9e2d51) + 0xe6546b64);
  }
  return h;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = hash32(seed, 1);
    this.b = hash32(seed, 2);
    this.c = hash32(seed, 3);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Next unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): empty range`);
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[Math.floor(this.float() * items.length)];
  }

  /** Picks by weight; weights need not sum to 1. For a list used often, prefer `weightedTable`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.float() * total;
    for (const [item, w] of items) {
      if (r < w) return item;
      r -= w;
    }
    return items[items.length - 1][0];
  }
}

/** A weighted list prepared once: each pick is a binary search over the cumulative weights. */
export class WeightedTable<T> {
  private readonly items: T[];
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    this.items = [];
    this.cumulative = [];
    let total = 0;
    for (const [item, w] of entries) {
      if (!(w > 0)) continue;
      total += w;
      this.items.push(item);
      this.cumulative.push(total);
    }
    if (this.items.length === 0) throw new RangeError("weighted table without a positive weight");
    this.total = total;
  }

  pick(rng: Random): T {
    const r = rng.float() * this.total;
    let lo = 0, hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (r < this.cumulative[mid]) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

/** An independent stream for one entity: e.g. `rngFor(seed, DOMAIN_ENTERPRISE, i)`. */
export function rngFor(...path: number[]): Random {
  return new Random(hash32(...path));
}

/** (a · b) mod m without leaving the safe-integer range (a, b < m ≤ 2^32). */
export function mulMod(a: number, b: number, m: number): number {
  const hi = Math.floor(b / 0x10000);
  const lo = b % 0x10000;
  return (((a * hi) % m) * 0x10000 + a * lo) % m;
}

export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * A seeded bijection of [0, size): x ↦ (a·x + b) mod size with gcd(a, size) = 1.
 * Turns a running index into a unique, unordered-looking code without remembering
 * which codes were used.
 */
export function affinePermutation(size: number, key: number): (x: number) => number {
  if (!Number.isSafeInteger(size) || size < 1 || size > 0x1_0000_0000) throw new RangeError(`bad permutation size ${size}`);
  let a = hash32(key, 0xa) % size || 1;
  while (gcd(a, size) !== 1) a = a + 1 < size ? a + 1 : 1;
  const b = hash32(key, 0xb) % size;
  return (x: number) => {
    if (x < 0 || x >= size || !Number.isInteger(x)) throw new RangeError(`index ${x} outside the permutation domain [0, ${size})`);
    return (mulMod(a, x, size) + b) % size;
  };
}
