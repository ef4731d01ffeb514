// One subscriber worker process of `npm run bench -- subscriptions`: opens its share of the
// graphql-ws clients (one real WebSocket each), checks every delivery (lost, duplicate,
// order) and measures end-to-end latency (receive time - the event's commit time). Started by
// bench/subscriptions.ts with fork(); talks to it over IPC only (see subscriptionProtocol.ts).
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { createClient } from "graphql-ws/client";
import { LeanSubscriber } from "./leanSubscriber.js";
import { Histogram } from "./histogram.js";
import { expectedOf, MEASURED, readEventId, WARMUP, type FromWorker, type SubscriberResult, type ToWorker, type WorkerConfig } from "./subscriptionProtocol.js";

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
  lastSequence = -1;
  closed: { code: number; reason: string; atSec: number } | null = null;
  error: string | null = null;
  close: (() => Promise<void> | void) | null = null;
  /** Set when this worker closes the connection itself: a close then is not the server's doing. */
  closing = false;

  constructor(readonly index: number, capacity: number) {
    this.seen = new Uint8Array(Math.ceil(capacity / 8));
  }

  has(i: number): boolean {
    return (this.seen[i >> 3] & (1 << (i & 7))) !== 0;
  }

  /** With per-city subscriptions it gets every `stride`-th event from `offset`; else every one. */
  stride = 1;
  offset = 0;
  query = "";

  /** Of events 0..published-1, those it should have and has not received. */
  missing(published: number): number {
    let n = 0;
    for (let i = this.offset; i < published; i += this.stride) if (!this.has(i)) n++;
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

/** What an event id says (readEventId): a measured event's index, or one of these. */
const FOREIGN = -1;
const WARMUP_EVENT = -2;

function classify(id: string): number {
  const parsed = readEventId(config.tag, id);
  return !parsed ? FOREIGN : parsed.warmup ? WARMUP_EVENT : parsed.index;
}

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
  if (s.has(i)) {
    s.duplicates++;
    return;
  }
  s.seen[i >> 3] |= 1 << (i & 7);
  s.received++;
  totalReceived++;
  if (i < s.lastIndex) s.orderViolations++;
  else s.lastIndex = i;
  if (sequence <= s.lastSequence) s.sequenceViolations++;
  s.lastSequence = sequence;
  if (config.withEntity && !entity) s.entityMissing++;
  latency.record(now - occurredAtMs);
  if (t0) {
    const sec = Math.max(0, Math.floor((now - t0) / 1000));
    while (perSecond.length <= sec) perSecond.push(0);
    perSecond[sec]++;
  }
  if (published !== null && s.received === s.expected(published)) complete++;
}

/** A delivery from the object the graphql-ws client parsed. */
function fromResult(s: Subscriber, data: Record<string, unknown> | null | undefined, errors: boolean): void {
  if (errors) errorPayloads++;
  const e = data?.listEntryChanged as Delivery | undefined;
  // Stream positions are dense and far below 2^53 in a bench: numbers, not BigInts.
  if (e) record(s, classify(e.id), Number(e.sequence), Date.parse(e.occurredAt), !!e.entry?.id);
}

const FIELD = Buffer.from('"listEntryChanged":{"id":"');
const SEQUENCE = Buffer.from('"sequence":"');
const OCCURRED = Buffer.from('"occurredAt":"');
const ERRORS = Buffer.from('"errors":');
const ENTRY = Buffer.from('"entry":{"id":"');

/** A delivery from a graphql-ws `next` message's bytes, found by searching (any layout). */
function fromBytes(s: Subscriber, m: Buffer, receivedAt: number): void {
  if (m.indexOf(ERRORS) !== -1) errorPayloads++;
  const f = m.indexOf(FIELD);
  if (f === -1) return;
  const idStart = f + FIELD.length;
  const q = m.indexOf(SEQUENCE, idStart) + SEQUENCE.length;
  const a = m.indexOf(OCCURRED, q) + OCCURRED.length;
  record(s, classify(m.toString("latin1", idStart, idStart + 36)), Number(m.toString("latin1", q, m.indexOf(0x22, q))),
    Date.parse(m.toString("latin1", a, m.indexOf(0x22, a))), config.withEntity && m.indexOf(ENTRY, a) !== -1, receivedAt);
}

/** What the hub writes before the event id in a result without errors (graphql-ws puts `id` first). */
const DATA_HEAD = Buffer.from('{"id":"1","type":"next","payload":{"data":{"listEntryChanged":{"id":"');
const SEQ_GAP = '","sequence":"'.length;
const TIME_GAP = '","occurredAt":"'.length;
let tagBytes = Buffer.alloc(0);
const MEASURED_BYTES = Buffer.from(MEASURED);
const WARMUP_BYTES = Buffer.from(WARMUP);
const minuteBytes = Buffer.alloc(16);
let minuteMs = NaN;

const same = (m: Buffer, at: number, b: Buffer) => {
  for (let i = 0; i < b.length; i++) if (m[at + i] !== b[i]) return false;
  return true;
};
const hex = (c: number) => (c <= 57 ? c - 48 : c - 87);

/**
 * The lean client's fast path: the fields at their offsets in the hub's message, read byte
 * by byte (the same checks as readEventId and Date.parse, without strings or searches; the
 * minute of the commit time is parsed once). False when the message is laid out otherwise
 * (errors, another server): the caller then searches.
 */
function fastPath(s: Subscriber, m: Buffer, start: number, end: number, receivedAt: number): boolean {
  const n = start + DATA_HEAD.length;
  if (end - n < 36 + SEQ_GAP + 1 + TIME_GAP + 24 || !same(m, start, DATA_HEAD)) return false;
  let event = FOREIGN;
  if (same(m, n, tagBytes) && m[n + 8] === 0x2d) {
    if (same(m, n + 9, WARMUP_BYTES)) event = WARMUP_EVENT;
    else if (same(m, n + 9, MEASURED_BYTES)) {
      event = 0;
      for (let i = n + 24; i < n + 36; i++) event = event * 16 + hex(m[i]);
    }
  }
  let p = n + 36 + SEQ_GAP;
  let sequence = 0;
  for (let c = m[p]; c >= 48 && c <= 57; c = m[++p]) sequence = sequence * 10 + c - 48;
  const t = p + TIME_GAP;
  if (m[t + 23] !== 0x5a /* Z */) return false;
  if (!same(m, t, minuteBytes)) {
    m.copy(minuteBytes, 0, t, t + 16);
    minuteMs = Date.parse(`${minuteBytes.toString("latin1")}:00.000Z`);
  }
  const at = minuteMs + (m[t + 17] - 48) * 10_000 + (m[t + 18] - 48) * 1000 + (m[t + 20] - 48) * 100 + (m[t + 21] - 48) * 10 + (m[t + 22] - 48);
  record(s, event, sequence, at, config.withEntity && m.subarray(t, end).indexOf(ENTRY) !== -1, receivedAt);
  return true;
}

/** Seconds since measurement started (negative: before). */
const closedAt = () => Math.round((Date.now() - (t0 || Date.now())) / 100) / 10;

/** One lean subscriber (see leanSubscriber.ts). */
async function subscribeLean(s: Subscriber): Promise<void> {
  const client = new LeanSubscriber(config.url, {
    next: (buf, start, end, receivedAt) => {
      if (!fastPath(s, buf, start, end, receivedAt)) fromBytes(s, buf.subarray(start, end), receivedAt);
    },
    other: (text) => {
      if (!s.closing) s.error ??= text.slice(0, 300);
    },
    closed: (code, reason) => {
      if (!s.closing && !s.closed) s.closed = { code, reason, atSec: closedAt() };
    },
  });
  s.close = () => client.close();
  try {
    await client.start(s.query);
  } catch (err) {
    s.error ??= (err as Error).message;
  }
}

function subscribe(s: Subscriber): Promise<void> {
  if (config.client === "lean") return subscribeLean(s);
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
    s.close = () => client.dispose();
    client.subscribe<Record<string, unknown>>(
      { query: s.query },
      {
        next: (r) => fromResult(s, r.data, !!r.errors),
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
  tagBytes = Buffer.from(c.tag, "latin1");
  subs = Array.from({ length: c.subscribers }, (_, i) => {
    const s = new Subscriber(c.firstSubscriber + i, c.capacity);
    if (c.cities) {
      s.stride = c.cities.length;
      s.offset = s.index % c.cities.length;
      s.query = `subscription { listEntryChanged(cities: [${JSON.stringify(c.cities[s.offset])}]) ${c.selection} }`;
    } else s.query = c.query;
    return s;
  });
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
  await Promise.allSettled(subs.map((s) => s.close?.()));
  const m: FromWorker = {
    type: "result",
    result: { subscribers: results, latency: latency.snapshot(), perSecond, foreign, errorPayloads, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMiB: Math.round(maxRssMiB * 10) / 10 },
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
