// One load run with autocannon, summarised the way the benches report it.
import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  /** GraphQL request body (JSON text). */
  body: string;
  headers?: Record<string, string>;
  connections: number;
  durationSec: number;
  /** The verified answer: any other body (e.g. a 200 carrying GraphQL errors) counts as a mismatch. */
  expectBody?: string;
}

export interface LoadSummary {
  requestsPerSec: number;
  responses: number;
  /** Requests written, including those still in flight when the run stopped (the server finishes them). */
  sent: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  bytesPerResponse: number;
}

/** Runs in progress, so an interrupted bench can stop hammering servers it is shutting down. */
const running = new Map<autocannon.Instance, Promise<unknown>>();
let stopped = false;

/** Stops every run and waits for it: autocannon only stops at its next one-second tick. */
export async function stopLoads(): Promise<void> {
  stopped = true; // and start no more: the bench is tearing its servers down
  for (const instance of running.keys()) instance.stop();
  await Promise.allSettled(running.values());
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runLoad(opts: LoadOptions): Promise<LoadSummary> {
  if (stopped) throw new Error("load generation was stopped (bench interrupted)");
  // Our own latency samples: autocannon's histogram has no p95 and keeps whole milliseconds.
  let samples = new Float64Array(1 << 16);
  let n = 0;
  let bytes = 0;
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    // The callback form: only it returns the instance whose per-response events we need.
    instance = autocannon(
      {
        url: opts.url,
        method: "POST",
        headers: { "content-type": "application/json", ...opts.headers },
        body: opts.body,
        connections: opts.connections,
        duration: opts.durationSec,
        expectBody: opts.expectBody,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  running.set(instance, done);
  instance.on("response", (_client, _status, resBytes, responseTime) => {
    if (n === samples.length) {
      const bigger = new Float64Array(samples.length * 2);
      bigger.set(samples);
      samples = bigger;
    }
    samples[n++] = responseTime;
    bytes += resBytes;
  });
  const result = await done.finally(() => running.delete(instance));
  const sorted = samples.subarray(0, n).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    // Responses over the measured wall time; autocannon's per-second mean drops the partial last second.
    requestsPerSec: round(n / result.duration, 1),
    responses: n,
    sent: result.requests.sent,
    latencyMs: {
      mean: round(n ? sum / n : 0),
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(n ? sorted[n - 1] : 0),
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
    bytesPerResponse: n ? Math.round(bytes / n) : 0,
  };
}
