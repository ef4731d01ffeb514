// A fixed-bucket latency histogram: constant memory however many samples (the subscriptions
// bench records tens of millions of deliveries), mergeable across processes (plain arrays over
// IPC), percentiles within one bucket's width.
//
// Buckets: 0.1 ms wide below 100 ms, 1 ms below 10 s, 10 ms below 120 s; one overflow bucket.
import { round } from "./figures.js";

const FINE_MAX = 100; // ms
const MID_MAX = 10_000;
const COARSE_MAX = 120_000;
const FINE = FINE_MAX * 10; // 1,000 buckets
const MID = MID_MAX - FINE_MAX; // 9,900 buckets
const COARSE = (COARSE_MAX - MID_MAX) / 10; // 11,000 buckets
const BUCKETS = FINE + MID + COARSE + 1;

function bucketOf(ms: number): number {
  if (!(ms > 0)) return 0; // negative (clock rounding) and NaN count as 0
  if (ms < FINE_MAX) return Math.floor(ms * 10);
  if (ms < MID_MAX) return FINE + Math.floor(ms - FINE_MAX);
  if (ms < COARSE_MAX) return FINE + MID + Math.floor((ms - MID_MAX) / 10);
  return BUCKETS - 1;
}

/** Upper edge of a bucket, in ms: what a percentile falling in it reports. */
function upperEdge(b: number): number {
  if (b < FINE) return (b + 1) / 10;
  if (b < FINE + MID) return FINE_MAX + (b - FINE) + 1;
  if (b < BUCKETS - 1) return MID_MAX + (b - FINE - MID + 1) * 10;
  return Infinity;
}

export interface HistogramSnapshot {
  counts: Array<[bucket: number, count: number]>;
  n: number;
  sum: number;
  min: number;
  max: number;
}

export class Histogram {
  private counts = new Float64Array(BUCKETS);
  n = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;

  record(ms: number): void {
    this.counts[bucketOf(ms)]++;
    this.n++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  /** Sparse form for IPC / JSON. */
  snapshot(): HistogramSnapshot {
    const counts: Array<[number, number]> = [];
    for (let b = 0; b < BUCKETS; b++) if (this.counts[b]) counts.push([b, this.counts[b]]);
    return { counts, n: this.n, sum: this.sum, min: this.min, max: this.max };
  }

  merge(s: HistogramSnapshot): void {
    for (const [b, c] of s.counts) this.counts[b] += c;
    this.n += s.n;
    this.sum += s.sum;
    if (s.n && s.min < this.min) this.min = s.min;
    if (s.n && s.max > this.max) this.max = s.max;
  }

  percentile(p: number): number {
    if (this.n === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.n));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b];
      if (seen >= rank) return Math.min(upperEdge(b), this.max);
    }
    return this.max;
  }

  summary(): { count: number; mean: number; min: number; p50: number; p90: number; p95: number; p99: number; p999: number; max: number } {
    return {
      count: this.n,
      mean: this.n ? round(this.sum / this.n) : 0,
      min: this.n ? round(this.min) : 0,
      p50: round(this.percentile(50)),
      p90: round(this.percentile(90)),
      p95: round(this.percentile(95)),
      p99: round(this.percentile(99)),
      p999: round(this.percentile(99.9)),
      max: this.n ? round(this.max) : 0,
    };
  }
}
