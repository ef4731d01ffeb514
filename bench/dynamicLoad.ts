// A load run with autocannon whose request body changes per request (rotating arguments,
// cursors taken from earlier responses), with per-request latency. `ctx` belongs to one request:
// what nextBody puts there, onBody sees for that request's response (autocannon gives each
// connection a fresh context before each request, and one request is in flight per connection).
import autocannon from "autocannon";

export interface DynamicLoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  durationSec: number;
  /** The next GraphQL request body (JSON text). */
  nextBody: (ctx: Record<string, unknown>) => string;
  /** Sees every response body (e.g. to take a cursor); returns false for a wrong answer. */
  onBody: (body: string, ctx: Record<string, unknown>) => boolean;
}

export interface DynamicLoadSummary {
  requestsPerSec: number;
  responses: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses `onBody` refused (GraphQL errors, unexpected shape). */
  wrongAnswers: number;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const running = new Set<autocannon.Instance>();
let stopped = false;

/** Stops every run in progress and refuses new ones (on Ctrl-C: the servers are going away). */
export function stopDynamicLoads(): void {
  stopped = true;
  for (const i of running) i.stop();
}

export async function runDynamicLoad(opts: DynamicLoadOptions): Promise<DynamicLoadSummary> {
  if (stopped) throw new Error("load generation was stopped (bench interrupted)");
  let samples = new Float64Array(1 << 16);
  let n = 0;
  let wrong = 0;
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: opts.url,
        method: "POST",
        headers: { "content-type": "application/json", ...opts.headers },
        connections: opts.connections,
        duration: opts.durationSec,
        requests: [
          {
            setupRequest: (req, context) => ({ ...req, body: opts.nextBody(context as Record<string, unknown>) }),
            onResponse: (_status, body, context) => {
              if (!opts.onBody(body, context as Record<string, unknown>)) wrong++;
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  running.add(instance);
  instance.on("response", (_client, _status, _bytes, responseTime) => {
    if (n === samples.length) {
      const bigger = new Float64Array(samples.length * 2);
      bigger.set(samples);
      samples = bigger;
    }
    samples[n++] = responseTime;
  });
  const result = await done.finally(() => running.delete(instance));
  const sorted = samples.subarray(0, n).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    requestsPerSec: round(n / result.duration, 1),
    responses: n,
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
    wrongAnswers: wrong,
  };
}
