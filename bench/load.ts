// Load runs with autocannon, summarised the way the benches report them: one fixed request
// body (runLoad), or a body made per request from earlier answers (runDynamicLoad).
import autocannon from "autocannon";
import { percentile, round } from "./figures.js";

interface LoadTarget {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  durationSec: number;
}

export interface LoadOptions extends LoadTarget {
  /** GraphQL request body (JSON text). */
  body: string;
  /** The verified answer: any other body (e.g. a 200 carrying GraphQL errors) counts as a mismatch. */
  expectBody?: string;
}

/**
 * `ctx` belongs to one request: what nextBody puts there, onBody sees for that request's response
 * (autocannon gives each connection a fresh context before each request, and one request is in
 * flight per connection).
 */
export interface DynamicLoadOptions extends LoadTarget {
  /** The next GraphQL request body (JSON text). */
  nextBody: (ctx: Record<string, unknown>) => string;
  /** Sees every response body (e.g. to take a cursor); returns false for a wrong answer. */
  onBody: (body: string, ctx: Record<string, unknown>) => boolean;
}

interface Measured {
  requestsPerSec: number;
  responses: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
}

export interface LoadSummary extends Measured {
  /** Requests written, including those still in flight when the run stopped (the server finishes them). */
  sent: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  bytesPerResponse: number;
}

export interface DynamicLoadSummary extends Measured {
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses `onBody` refused (GraphQL errors, unexpected shape). */
  wrongAnswers: number;
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

/** One autocannon run with our own latency samples: autocannon's histogram has no p95 and keeps whole milliseconds. */
async function measure(options: autocannon.Options): Promise<{ result: autocannon.Result; measured: Measured; bytes: number }> {
  if (stopped) throw new Error("load generation was stopped (bench interrupted)");
  let samples = new Float64Array(1 << 16);
  let n = 0;
  let bytes = 0;
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    // The callback form: only it returns the instance whose per-response events we need.
    instance = autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
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
  const measured = {
    // Responses over the measured wall time; autocannon's per-second mean drops the partial last second.
    requestsPerSec: round(n / result.duration, 1),
    responses: n,
    latencyMs: {
      mean: round(n ? sum / n : 0),
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(n ? sorted[n - 1] : 0),
    },
  };
  return { result, measured, bytes };
}

function post(target: LoadTarget): autocannon.Options {
  return {
    url: target.url,
    method: "POST",
    headers: { "content-type": "application/json", ...target.headers },
    connections: target.connections,
    duration: target.durationSec,
  };
}

export async function runLoad(opts: LoadOptions): Promise<LoadSummary> {
  const { result, measured, bytes } = await measure({ ...post(opts), body: opts.body, expectBody: opts.expectBody });
  const { requestsPerSec, responses, latencyMs } = measured;
  return {
    requestsPerSec,
    responses,
    sent: result.requests.sent,
    latencyMs,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
    bytesPerResponse: responses ? Math.round(bytes / responses) : 0,
  };
}

export async function runDynamicLoad(opts: DynamicLoadOptions): Promise<DynamicLoadSummary> {
  let wrong = 0;
  const requests: autocannon.Request[] = [
    {
      setupRequest: (req, context) => ({ ...req, body: opts.nextBody(context as Record<string, unknown>) }),
      onResponse: (_status, body, context) => {
        if (!opts.onBody(body, context as Record<string, unknown>)) wrong++;
      },
    },
  ];
  const { result, measured } = await measure({ ...post(opts), requests });
  return { ...measured, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, wrongAnswers: wrong };
}
