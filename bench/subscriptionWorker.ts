// One subscriber worker process of `npm run bench -- subscriptions`: opens its share of the
// graphql-ws clients (one real WebSocket each), checks every delivery (lost, duplicate,
// order) and measures end-to-end latency (receive time - the event's commit time). Started by
// bench/subscriptions.ts with fork(); talks to it over IPC only (see subscriptionProtocol.ts).
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { createClient, type Client } from "graphql-ws/client";
import { Histogram } from "./histogram.js";
import { readEventId, type FromWorker, type SubscriberResult, type ToWorker, type WorkerConfig } from "./subscriptionProtocol.js";

interface Delivery {
  id: string;
  sequence: string;
  occurredAt: string;
  entry?: { id: string; state: string } | null;
}

class Subscriber {
  readonly seen: Uint8Array;
  received = 0;
  duplicates = 0;
  orderViolations = 0;
  sequenceViolations = 0;
  entityMissing = 0;
  warm = false;
  lastIndex = -1;
  lastSequence: bigint = -1n;
  closed: { code: number; reason: string; atSec: number } | null = null;
  error: string | null = null;
  client: Client | null = null;
  /** Set when this worker closes the connection itself: a close then is not the server's doing. */
  closing = false;

  constructor(readonly index: number, capacity: number) {
    this.seen = new Uint8Array(Math.ceil(capacity / 8));
  }

  has(i: number): boolean {
    return (this.seen[i >> 3] & (1 << (i & 7))) !== 0;
  }

  /** Events 0..published-1 not received. */
  missing(published: number): number {
    let n = 0;
    for (let i = 0; i < published; i++) if (!this.has(i)) n++;
    return n;
  }
}

const send = (m: FromWorker) => {
  if (process.connected) process.send?.(m);
};

let config: WorkerConfig;
let subs: Subscriber[] = [];
const latency = new Histogram();
const perSecond: number[] = [];
let t0 = 0;
/** CPU used by this process before measurement started (connecting, warm-up). */
let cpuAtMeasure: NodeJS.CpuUsage | undefined;
let published: number | null = null;
let foreign = 0;
let errorPayloads = 0;
let totalReceived = 0;
let maxRssMiB = 0;
/** Per subscriber: received counts when `published` became known, to track completeness cheaply. */
let complete = 0;

function rssMiB(): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
}

function onDelivery(s: Subscriber, data: Record<string, unknown> | null | undefined, errors: unknown): void {
  const now = performance.timeOrigin + performance.now();
  if (errors) errorPayloads++;
  const e = data?.listEntryChanged as Delivery | undefined;
  if (!e) return;
  const parsed = readEventId(config.tag, e.id);
  if (!parsed) {
    foreign++;
    return;
  }
  if (parsed.warmup) {
    s.warm = true;
    return;
  }
  const i = parsed.index;
  if (i >= config.capacity) {
    foreign++;
    return;
  }
  if (s.has(i)) {
    s.duplicates++;
    return;
  }
  s.seen[i >> 3] |= 1 << (i & 7);
  s.received++;
  totalReceived++;
  if (i < s.lastIndex) s.orderViolations++;
  else s.lastIndex = i;
  const seq = BigInt(e.sequence);
  if (seq <= s.lastSequence) s.sequenceViolations++;
  s.lastSequence = seq;
  if (config.withEntity && !e.entry?.id) s.entityMissing++;
  latency.record(now - Date.parse(e.occurredAt));
  if (t0) {
    const sec = Math.max(0, Math.floor((now - t0) / 1000));
    while (perSecond.length <= sec) perSecond.push(0);
    perSecond[sec]++;
  }
  if (published !== null && s.received === published) complete++;
}

/** Seconds since measurement started (negative: before). */
const closedAt = () => Math.round((Date.now() - (t0 || Date.now())) / 100) / 10;

function subscribe(s: Subscriber): Promise<void> {
  return new Promise<void>((resolve) => {
    let settled = false;
    const done = () => {
      if (!settled) {
        settled = true;
        resolve();
      }
    };
    const client = createClient({
      url: config.url,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      keepAlive: 0,
      connectionAckWaitTimeout: 30_000,
      on: {
        connected: () => done(),
        closed: (ev) => {
          const c = ev as { code?: number; reason?: string };
          if (!s.closing && !s.closed) s.closed = { code: c.code ?? 0, reason: String(c.reason ?? ""), atSec: closedAt() };
          done();
        },
        error: (err) => {
          s.error ??= err instanceof Error ? err.message : String((err as { message?: string })?.message ?? err);
          done();
        },
      },
    });
    s.client = client;
    client.subscribe<Record<string, unknown>>(
      { query: config.query },
      {
        next: (r) => onDelivery(s, r.data, r.errors),
        error: (err) => {
          if (s.closing) return;
          const c = err as { code?: number; reason?: string; message?: string };
          if (typeof c.code === "number") s.closed ??= { code: c.code, reason: String(c.reason ?? ""), atSec: closedAt() };
          else s.error ??= Array.isArray(err) ? JSON.stringify(err).slice(0, 300) : String(c.message ?? err).slice(0, 300);
          done();
        },
        complete: () => {
          if (!s.closing) s.error ??= "subscription completed by the server";
          done();
        },
      },
    );
  });
}

async function start(c: WorkerConfig): Promise<void> {
  config = c;
  subs = Array.from({ length: c.subscribers }, (_, i) => new Subscriber(c.firstSubscriber + i, c.capacity));
  for (let i = 0; i < subs.length; i += c.connectBatch) await Promise.all(subs.slice(i, i + c.connectBatch).map(subscribe));
  const failed = subs.filter((s) => s.closed || s.error);
  send({ type: "connected", opened: subs.length - failed.length, failed: failed.length, error: failed[0] ? failed[0].error ?? JSON.stringify(failed[0].closed) : undefined });
  progress = setInterval(() => {
    maxRssMiB = Math.max(maxRssMiB, rssMiB());
    send({ type: "progress", warm: subs.filter((s) => s.warm).length, received: totalReceived, complete, closed: subs.filter((s) => s.closed || s.error).length });
  }, 250);
  progress.unref();
}

let progress: NodeJS.Timeout | undefined;

async function finish(): Promise<void> {
  clearInterval(progress);
  maxRssMiB = Math.max(maxRssMiB, rssMiB());
  const cpu = process.cpuUsage(cpuAtMeasure);
  const count = published ?? 0;
  const results: SubscriberResult[] = subs.map((s) => ({
    subscriber: s.index,
    received: s.received,
    duplicates: s.duplicates,
    lost: s.missing(count),
    orderViolations: s.orderViolations,
    sequenceViolations: s.sequenceViolations,
    entityMissing: s.entityMissing,
    closed: s.closed,
    error: s.error,
  }));
  for (const s of subs) s.closing = true;
  await Promise.allSettled(subs.map((s) => s.client?.dispose()));
  send({
    type: "result",
    result: { subscribers: results, latency: latency.snapshot(), perSecond, foreign, errorPayloads, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMiB: Math.round(maxRssMiB * 10) / 10 },
  });
}

process.on("message", (m: ToWorker) => {
  const run = async () => {
    switch (m.type) {
      case "start":
        return start(m.config);
      case "measure":
        t0 = m.t0;
        cpuAtMeasure = process.cpuUsage();
        return;
      case "published":
        published = m.count;
        complete = subs.filter((s) => s.received >= m.count).length;
        return;
      case "finish":
        await finish();
        process.disconnect?.();
        setTimeout(() => process.exit(0), 200).unref();
        return;
    }
  };
  run().catch((err: unknown) => send({ type: "failed", error: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
});
// The bench owns this process: if it goes away, so does the worker.
process.on("disconnect", () => setTimeout(() => process.exit(0), 500).unref());
