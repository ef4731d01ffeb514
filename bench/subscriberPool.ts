// The subscriptions bench's subscribers: split over worker processes (subscriptionWorker.ts),
// started, told how the run goes, their progress summed, and asked for their results.
import { fork, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import type { Cleanup } from "./cleanup.js";
import { repoRoot, stopProcess } from "./children.js";
import { log, round } from "./figures.js";
import type { SubscriptionOptions } from "./subscriptionOptions.js";
import type { FromWorker, ToWorker, WorkerResult } from "./subscriptionProtocol.js";

type Progress = Extract<FromWorker, { type: "progress" }>;
type Connected = Extract<FromWorker, { type: "connected" }>;

interface Worker {
  proc: ChildProcess;
  progress: Progress;
  connected: Promise<Connected>;
  result: Promise<WorkerResult>;
}

function startWorker(index: number, cleanup: Cleanup): Worker {
  const proc = fork(new URL("./subscriptionWorker.ts", import.meta.url).pathname, [], {
    cwd: repoRoot,
    // BENCH_WORKER_PROF=<dir>: CPU profiles of the subscriber workers too.
    execArgv: ["--import", "tsx", ...(process.env.BENCH_WORKER_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_WORKER_PROF] : [])],
    // stdout is the bench's JSON: a worker's output goes to stderr.
    stdio: ["ignore", 2, 2, "ipc"],
  });
  cleanup.add(`stop subscriber worker ${index}`, async () => void (await stopProcess(proc, 3000)));
  let onConnected!: (m: Connected) => void;
  let onResult!: (r: WorkerResult) => void;
  let onFail!: (e: Error) => void;
  const exit = (code: number | null, signal: string | null) => `subscriber worker ${index} exited (code ${code}, signal ${signal})`;
  const connected = new Promise<Connected>((resolve, reject) => {
    onConnected = resolve;
    proc.once("exit", (code, signal) => reject(new Error(exit(code, signal))));
  });
  const result = new Promise<WorkerResult>((resolve, reject) => {
    onResult = resolve;
    onFail = reject;
    proc.once("exit", (code, signal) => reject(new Error(`${exit(code, signal)} before its result`)));
  });
  connected.catch(() => {});
  result.catch(() => {});
  const w: Worker = { proc, progress: { type: "progress", warm: 0, received: 0, complete: 0, closed: 0 }, connected, result };
  proc.on("message", (m: FromWorker) => {
    if (m.type === "connected") onConnected(m);
    else if (m.type === "progress") w.progress = m;
    else if (m.type === "result") onResult(m.result);
    else if (m.type === "failed") onFail(new Error(`subscriber worker ${index}: ${m.error}`));
  });
  return w;
}

export class SubscriberPool {
  private constructor(private readonly workers: Worker[], readonly subscribers: number) {}

  /** Starts the workers and waits until each has opened its subscribers; fails if none could. */
  static async open(o: SubscriptionOptions, wsUrl: string, cities: string[] | null, cleanup: Cleanup) {
    log(`opening ${o.subscribers} subscribers in ${o.workerCount} worker process(es): ${o.query}`);
    const pool = new SubscriberPool([], o.subscribers);
    let first = 0;
    for (let i = 0; i < o.workerCount; i++) {
      const n = Math.floor(o.subscribers / o.workerCount) + (i < o.subscribers % o.workerCount ? 1 : 0);
      const w = startWorker(i, cleanup);
      const { query, selection, tag, capacity, withEntity, connectBatch, client } = o;
      tell(w, { type: "start", config: { url: wsUrl, subscribers: n, firstSubscriber: first, query, selection, cities, tag, capacity, withEntity, connectBatch, client } });
      pool.workers.push(w);
      first += n;
    }
    const connectStarted = Date.now();
    const connected = await Promise.all(pool.workers.map((w) => w.connected));
    const connectSec = (Date.now() - connectStarted) / 1000;
    const opened = connected.reduce((a, c) => a + c.opened, 0);
    log(`${opened} of ${o.subscribers} subscribers connected in ${connectSec} s`);
    if (opened === 0) throw new Error(`no subscriber could connect: ${connected.find((c) => c.error)?.error ?? "unknown"}`);
    return { pool, connectSec, opened };
  }

  tell(m: ToWorker): void {
    for (const w of this.workers) tell(w, m);
  }

  /** A progress figure summed over the workers (as of their last report, every 250 ms). */
  total(field: "warm" | "received" | "complete" | "closed"): number {
    return this.workers.reduce((a, w) => a + w.progress[field], 0);
  }

  /** Until every live subscriber has every event, or `seconds` pass; then how fast deliveries still arrive. */
  async drain(seconds: number, check: () => void) {
    const drainStarted = Date.now();
    let drained = false;
    while (Date.now() - drainStarted < seconds * 1000) {
      check();
      await sleep(250);
      if (this.total("complete") + this.total("closed") >= this.subscribers) {
        drained = true;
        break;
      }
    }
    const drainUsedSec = (Date.now() - drainStarted) / 1000;
    const receivedBeforeLast = this.total("received");
    await sleep(250);
    const stillArrivingPerSec = round((this.total("received") - receivedBeforeLast) * 4, 0);
    return { drained, drainUsedSec, stillArrivingPerSec };
  }

  /** Every worker's result (each closes its subscribers first). */
  async results(): Promise<WorkerResult[]> {
    this.tell({ type: "finish" });
    return Promise.race([
      Promise.all(this.workers.map((w) => w.result)),
      sleep(30_000).then(() => {
        throw new Error("subscriber workers did not report within 30 s");
      }),
    ]);
  }
}

function tell(w: Worker, m: ToWorker): void {
  if (w.proc.connected) w.proc.send(m);
}
