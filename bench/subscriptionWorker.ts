// One subscriber worker process of `npm run bench -- subscriptions`: opens its share of the
// graphql-ws clients (one real WebSocket each), checks every delivery (lost, duplicate,
// order) and measures end-to-end latency (receive time - the event's commit time). Started by
// bench/subscriptions.ts with fork(); talks to it over IPC only (see subscriptionProtocol.ts).
// How a message is read: subscriberMessages.ts; how a connection opens: subscriberConnections.ts.
import { performance } from "node:perf_hooks";
import { rssMiB } from "./children.js";
import { Histogram } from "./histogram.js";
import { countAt } from "./figures.js";
import { connect, type Connection } from "./subscriberConnections.js";
import { FOREIGN, MessageReader, WARMUP_EVENT } from "./subscriberMessages.js";
import { EventSet, expectedOf, type FromWorker, type SubscriberResult, type ToWorker, type WorkerConfig } from "./subscriptionProtocol.js";

class Subscriber implements Connection {
  readonly seen: EventSet;
  received = 0;
  duplicates = 0;
  orderViolations = 0;
  sequenceViolations = 0;
  entityMissing = 0;
  warm = false;
  lastIndex = -1;
  lastSequence = -1;
  closed: Connection["closed"] = null;
  error: string | null = null;
  close: Connection["close"] = null;
  closing = false;
  /** With per-city subscriptions it gets every `stride`-th event from `offset`; else every one. */
  stride = 1;
  offset = 0;
  query = "";

  constructor(readonly index: number, capacity: number) {
    this.seen = new EventSet(capacity);
  }

  /** Of events 0..published-1, those it should have and has not received. */
  missing(published: number): number {
    let n = 0;
    for (let i = this.offset; i < published; i += this.stride) if (!this.seen.has(i)) n++;
    return n;
  }

  expected(published: number): number {
    return expectedOf(published, this.stride, this.offset);
  }
}

const send = (m: FromWorker) => {
  if (process.connected) process.send?.(m);
};

let config: WorkerConfig;
let reader: MessageReader<Subscriber>;
let subs: Subscriber[] = [];
const latency = new Histogram();
const perSecond: number[] = [];
let t0 = 0;
/** CPU used by this process before measurement started (connecting, warm-up). */
let cpuAtMeasure: NodeJS.CpuUsage | undefined;
let published: number | null = null;
let foreign = 0;
let totalReceived = 0;
let maxRssMiB = 0;
/** Subscribers that have every published event (counted once `published` is known). */
let complete = 0;
let progress: NodeJS.Timeout | undefined;

/** Checks and counts one delivery to `s`: lost / duplicate / order, latency (commit to now). */
function record(s: Subscriber, event: number, sequence: number, occurredAtMs: number, entity: boolean, receivedAt = performance.now()): void {
  const now = performance.timeOrigin + receivedAt;
  if (event === WARMUP_EVENT) {
    s.warm = true;
    return;
  }
  if (event === FOREIGN || event >= config.capacity) {
    foreign++;
    return;
  }
  const i = event;
  if (s.seen.has(i)) {
    s.duplicates++;
    return;
  }
  s.seen.add(i);
  s.received++;
  totalReceived++;
  if (i < s.lastIndex) s.orderViolations++;
  else s.lastIndex = i;
  if (sequence <= s.lastSequence) s.sequenceViolations++;
  s.lastSequence = sequence;
  if (config.withEntity && !entity) s.entityMissing++;
  latency.record(now - occurredAtMs);
  if (t0) countAt(perSecond, Math.max(0, Math.floor((now - t0) / 1000)));
  if (published !== null && s.received === s.expected(published)) complete++;
}

/** Seconds since measurement started (negative: before). */
const closedAt = () => Math.round((Date.now() - (t0 || Date.now())) / 100) / 10;

function subscriberOf(c: WorkerConfig, i: number): Subscriber {
  const s = new Subscriber(c.firstSubscriber + i, c.capacity);
  if (c.cities) {
    s.stride = c.cities.length;
    s.offset = s.index % c.cities.length;
    s.query = `subscription { listEntryChanged(cities: [${JSON.stringify(c.cities[s.offset])}]) ${c.selection} }`;
  } else s.query = c.query;
  return s;
}

async function start(c: WorkerConfig): Promise<void> {
  config = c;
  reader = new MessageReader<Subscriber>(c.tag, c.withEntity, record);
  subs = Array.from({ length: c.subscribers }, (_, i) => subscriberOf(c, i));
  const options = { url: c.url, client: c.client, reader, closedAt };
  for (let i = 0; i < subs.length; i += c.connectBatch) await Promise.all(subs.slice(i, i + c.connectBatch).map((s) => connect(s, options)));
  const failed = subs.filter((s) => s.closed || s.error);
  send({ type: "connected", opened: subs.length - failed.length, failed: failed.length, error: failed[0] ? failed[0].error ?? JSON.stringify(failed[0].closed) : undefined });
  progress = setInterval(() => {
    maxRssMiB = Math.max(maxRssMiB, rssMiB(process.pid) ?? 0);
    send({ type: "progress", warm: subs.filter((s) => s.warm).length, received: totalReceived, complete, closed: subs.filter((s) => s.closed || s.error).length });
  }, 250);
  progress.unref();
}

async function finish(): Promise<void> {
  clearInterval(progress);
  maxRssMiB = Math.max(maxRssMiB, rssMiB(process.pid) ?? 0);
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
  await Promise.allSettled(subs.map((s) => s.close?.()));
  const m: FromWorker = {
    type: "result",
    result: { subscribers: results, latency: latency.snapshot(), perSecond, foreign, errorPayloads: reader?.errorPayloads ?? 0, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMiB: Math.round(maxRssMiB * 10) / 10 },
  };
  // Sent before this process goes: a busy worker (a backlog still arriving) may take a while.
  if (process.connected) await new Promise<void>((resolve) => process.send!(m, undefined, {}, () => resolve()));
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
        complete = subs.filter((s) => s.received >= s.expected(m.count)).length;
        return;
      case "finish":
        await finish();
        process.disconnect?.();
        process.exit(0);
    }
  };
  run().catch((err: unknown) => send({ type: "failed", error: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
});
// The bench owns this process: if it goes away, so does the worker.
process.on("disconnect", () => setTimeout(() => process.exit(0), 500).unref());
