// `npm run bench -- subscriptions [--subscribers 1000] [--rate 2000] [--duration 30]
//   [--bus memory|redis|nats] [--workers 2] [--drain auto] [--with-entity false]
//   [--client lean|graphql-ws] [--filter none|city] [--warmup-sec 5]
//   [--queue auto] [--tick-ms 10] [--seed-per-city 20] [--cpu-prof <dir>]`
//
// End-to-end delivery of `listEntryChanged` through the hub: N graphql-ws subscribers (real
// WebSockets, in worker processes), events committed to `lists.outbox` at a steady rate by a
// publisher on its own PostgreSQL connection, carried by the hub's outbox relay to the event
// bus and by the gateway to every subscriber. Reports delivered events/s, commit-to-client
// latency percentiles, lost / duplicated / out-of-order deliveries, hub RSS and CPU.
// REDIS_URL / NATS_URL of the bus servers: BENCH_REDIS_URL / BENCH_NATS_URL (defaults below).
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { createInterface } from "node:readline";
import pg from "pg";
import { parseFlags, positiveNumber } from "./args.js";
import { Cleanup } from "./cleanup.js";
import { cpuMs, repoRoot, rssMiB } from "./children.js";
import { Histogram } from "./histogram.js";
import { startHubProcess } from "./hubProcess.js";
import { eventId, expectedOf, MEASURED, WARMUP, type FromWorker, type SubscriberResult, type ToWorker, type WorkerResult } from "./subscriptionProtocol.js";
import { createEventBus } from "../events/index.js";
import type { EventBus } from "../events/types.js";

const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const NATS_URL = process.env.BENCH_NATS_URL ?? "nats://127.0.0.1:4222";

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

const BASE_SELECTION = "id sequence occurredAt";
const ENTITY_SELECTION = "entry { id state }";

/** The relay's poll interval as the code in this checkout has it (for the report). */
function relayPollMs(): { pollMs: number | null; where: string } {
  try {
    const src = readFileSync(new URL("../events/relay.ts", import.meta.url), "utf8");
    const m = /this\.pollMs\s*=\s*opts\.pollMs\s*\?\?\s*(\d+)/.exec(src);
    const line = m ? src.slice(0, m.index).split("\n").length : 0;
    const passes = /startOutboxRelay\(\{[^}]*pollMs/.test(readFileSync(new URL("../subgraphs/lists/index.ts", import.meta.url), "utf8"));
    return { pollMs: m ? Number(m[1]) : null, where: `events/relay.ts:${line} default; subgraphs/lists/index.ts ${passes ? "sets pollMs" : "does not set pollMs (default used; no env setting)"}` };
  } catch {
    return { pollMs: null, where: "unknown" };
  }
}

interface Worker {
  proc: ChildProcess;
  subscribers: number;
  progress: Extract<FromWorker, { type: "progress" }>;
  connected: Promise<Extract<FromWorker, { type: "connected" }>>;
  result: Promise<WorkerResult>;
}

function startWorker(index: number, subscribers: number, cleanup: Cleanup): Worker {
  const proc = fork(new URL("./subscriptionWorker.ts", import.meta.url).pathname, [], {
    cwd: repoRoot,
    // BENCH_WORKER_PROF=<dir>: CPU profiles of the subscriber workers too.
    execArgv: ["--import", "tsx", ...(process.env.BENCH_WORKER_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_WORKER_PROF] : [])],
    // stdout is the bench's JSON: a worker's output goes to stderr.
    stdio: ["ignore", 2, 2, "ipc"],
  });
  cleanup.add(`stop subscriber worker ${index}`, async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGTERM");
    const t = setTimeout(() => proc.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(t);
  });
  let onConnected!: (m: Extract<FromWorker, { type: "connected" }>) => void;
  let onResult!: (r: WorkerResult) => void;
  let onFail!: (e: Error) => void;
  const connected = new Promise<Extract<FromWorker, { type: "connected" }>>((resolve, reject) => {
    onConnected = resolve;
    proc.once("exit", (code, signal) => reject(new Error(`subscriber worker ${index} exited (code ${code}, signal ${signal})`)));
  });
  const result = new Promise<WorkerResult>((resolve, reject) => {
    onResult = resolve;
    onFail = reject;
    proc.once("exit", (code, signal) => reject(new Error(`subscriber worker ${index} exited (code ${code}, signal ${signal}) before its result`)));
  });
  connected.catch(() => {});
  result.catch(() => {});
  const w: Worker = { proc, subscribers, progress: { type: "progress", warm: 0, received: 0, complete: 0, closed: 0 }, connected, result };
  proc.on("message", (m: FromWorker) => {
    if (m.type === "connected") onConnected(m);
    else if (m.type === "progress") w.progress = m;
    else if (m.type === "result") onResult(m.result);
    else if (m.type === "failed") onFail(new Error(`subscriber worker ${index}: ${m.error}`));
  });
  return w;
}

const tell = (w: Worker, m: ToWorker) => {
  if (w.proc.connected) w.proc.send(m);
};

interface EntryRef {
  id: number;
  city: string;
  listType: string;
  state: string;
}

/** Writes outbox rows as the lists subgraph's transactions do, one INSERT (one transaction) per call. */
class Publisher {
  readonly txLatency = new Histogram();
  transactions = 0;
  private next = 0;

  private byCity: EntryRef[][] | null;

  constructor(private db: pg.Client, private tag: string, private entries: EntryRef[], cities: string[] | null) {
    this.byCity = cities && cities.map((c) => entries.filter((e) => e.city === c));
  }

  /** Event `index`'s entry: with per-city subscribers, about cities[index mod n]. */
  private entryFor(index: number): EntryRef {
    if (!this.byCity) return this.entries[this.next++ % this.entries.length];
    const list = this.byCity[index % this.byCity.length];
    return list[Math.floor(index / this.byCity.length) % list.length];
  }

  async insert(kind: typeof MEASURED | typeof WARMUP, first: number, count: number): Promise<void> {
    const ids: string[] = [];
    const entryIds: number[] = [];
    const cities: string[] = [];
    const payloads: string[] = [];
    for (let i = 0; i < count; i++) {
      const e = this.entryFor(first + i);
      ids.push(eventId(this.tag, kind, first + i));
      entryIds.push(e.id);
      cities.push(e.city);
      payloads.push(JSON.stringify({ id: e.id, from: e.state, to: e.state, reason: "bench", listType: e.listType }));
    }
    const t = performance.now();
    // occurred_at = clock_timestamp() at the INSERT: the commit follows within the same
    // statement (autocommit), so commit time is this plus well under a millisecond.
    await this.db.query(
      `INSERT INTO lists.outbox (event_id, type, entry_id, city_code, payload, occurred_at)
       SELECT e.id::uuid, 'ListEntryChanged', e.entry, e.city, e.payload::jsonb, clock_timestamp()
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[]) AS e(id, entry, city, payload)`,
      [ids, entryIds, cities, payloads],
    );
    this.txLatency.record(performance.now() - t);
    this.transactions++;
  }
}

export async function run(argv: string[]): Promise<unknown> {
  const flags = parseFlags(argv, {
    subscribers: "1000", rate: "2000", duration: "30", bus: "memory", store: "postgres", workers: "2", drain: "auto",
    "with-entity": "false", queue: "auto", "tick-ms": "10", "seed-per-city": "20", "connect-batch": "50", "cpu-prof": "",
    client: "lean", filter: "none", "warmup-sec": "5",
  });
  const warmupAtRateSec = Number(flags["warmup-sec"]);
  if (!(warmupAtRateSec >= 0)) throw new Error("--warmup-sec is a number of seconds (0: none)");
  const client = flags.client;
  if (client !== "lean" && client !== "graphql-ws") throw new Error(`--client is lean or graphql-ws, got '${client}'`);
  if (flags.filter !== "none" && flags.filter !== "city") throw new Error(`--filter is none or city, got '${flags.filter}'`);
  const subscribers = Math.floor(positiveNumber(flags, "subscribers"));
  const rate = positiveNumber(flags, "rate");
  const durationSec = positiveNumber(flags, "duration");
  const workerCount = Math.min(Math.floor(positiveNumber(flags, "workers")), subscribers);
  const drainSec = flags.drain === "auto" ? Math.max(5, Math.min(20, 60 - durationSec)) : positiveNumber(flags, "drain");
  const tickMs = positiveNumber(flags, "tick-ms");
  const withEntity = flags["with-entity"] === "true";
  if (!["true", "false"].includes(flags["with-entity"])) throw new Error("--with-entity is true or false");
  const bus = flags.bus;
  if (bus !== "memory" && bus !== "redis" && bus !== "nats") throw new Error(`--bus is memory, redis or nats, got '${bus}'`);
  if (flags.store !== "postgres") {
    throw new Error("--store postgres only: the publisher commits outbox rows over its own PostgreSQL connection, and the embedded store lives inside the hub process");
  }
  const capacity = Math.ceil(rate * durationSec) + 1;
  const queue = flags.queue === "auto" ? Math.max(1000, capacity * 2) : Math.floor(positiveNumber(flags, "queue"));
  const selection = `{ ${BASE_SELECTION}${withEntity ? ` ${ENTITY_SELECTION}` : ""} }`;
  const query = `subscription { listEntryChanged ${selection} }`;
  const tag = randomBytes(4).toString("hex");

  const loadAtStart = loadavg().map((l) => round(l));
  if (loadAtStart[0] > cpus().length / 2) log(`load average ${loadAtStart[0]} on ${cpus().length} CPUs: other work will skew the figures`);
  const cleanup = new Cleanup();
  try {
    const hub = await startHubProcess(
      {
        store: "postgres",
        seedPerCity: positiveNumber(flags, "seed-per-city"),
        cpuProfDir: flags["cpu-prof"],
        env: {
          REDIS_URL: bus === "redis" ? REDIS_URL : undefined,
          NATS_URL: bus === "nats" ? NATS_URL : undefined,
          HUB_SUBSCRIBER_QUEUE: String(queue),
          HUB_AUTH_OFF_SCOPES: "credit:read,lists:write,graph:read",
        },
      },
      cleanup,
    );
    const wsUrl = hub.ready.url.replace(/^http/, "ws");
    // The hub's errors during the run (e.g. a bus subscription ending), for the report.
    const hubErrors: string[] = [];
    createInterface({ input: hub.child.proc.stdout! }).on("line", (line) => {
      if (hubErrors.length >= 10 || !line.startsWith("{")) return;
      try {
        const rec = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string }; subgraph?: string; service?: string };
        if ((rec.level ?? 0) >= 50) hubErrors.push(`${rec.service ?? rec.subgraph ?? "hub"}: ${rec.msg}${rec.err?.message ? `: ${rec.err.message}` : ""}`.slice(0, 400));
      } catch {
        // not pino JSON
      }
    });
    const db = new pg.Client({ connectionString: hub.databaseUrl });
    await db.connect();
    cleanup.add("close publisher connection", () => db.end());

    const entries = (await db.query<EntryRef>(`SELECT id, issuing_city_code AS city, list_type::text AS "listType", state::text AS state FROM lists.list_entry ORDER BY id LIMIT 500`)).rows;
    if (entries.length === 0) throw new Error("the hub seeded no list entries: raise --seed-per-city (the lists demo needs 12 enterprises per city)");
    // --filter city: subscriber i follows one city, cities[i mod n]; event k is about cities[k mod n].
    const cities = flags.filter === "city" ? [...new Set(entries.map((e) => e.city))].sort() : null;

    // Our own client of the same bus (redis/nats): where the relay left off, and a probe of the
    // commit-to-bus part of the latency. The in-process memory bus cannot be reached from here.
    let probeBus: EventBus | null = null;
    const busLatency = new Histogram();
    /** Measured events reaching the bus per second since t0 (redis/nats): the relay's throughput. */
    const busPerSecond: number[] = [];
    let probeT0 = 0;
    /** The probe's own view of the bus: a measured event published twice (a relay retry), or its subscription ending. */
    const busSeen = new Uint8Array(Math.ceil(capacity / 8));
    let busDuplicates = 0;
    let probeError: string | null = null;
    let staleRelayPosition: { busLastOutboxId: string; databaseMaxOutboxId: string } | null = null;
    if (bus !== "memory") {
      // The bus logs with the hub's logger, to stdout, which is this bench's report: silence it
      // (its loggers read LOG_LEVEL when the bus is made); the probe's own errors come through onError.
      const logLevel = process.env.LOG_LEVEL;
      process.env.LOG_LEVEL = "silent";
      try {
        probeBus = await createEventBus(bus === "redis" ? { redisUrl: REDIS_URL } : { natsUrl: NATS_URL });
      } finally {
        if (logLevel === undefined) delete process.env.LOG_LEVEL;
        else process.env.LOG_LEVEL = logLevel;
      }
      cleanup.add("close probe bus", () => probeBus!.close());
      await sleep(1500); // the relay's first pass (position from the bus, demo rows)
      const last = await probeBus.lastEventOf("lists");
      const max = (await db.query<{ max: string | null }>("SELECT max(id)::text AS max FROM lists.outbox")).rows[0].max ?? "0";
      // The relay continues after the bus's last relayed outbox id, even when that came from
      // another database (an earlier run on the same stream): new rows below it would never be
      // relayed. Move this fresh database's ids past it so the bench measures delivery.
      if (last?.outboxId && BigInt(last.outboxId) > BigInt(max)) {
        staleRelayPosition = { busLastOutboxId: last.outboxId, databaseMaxOutboxId: max };
        log(`the ${bus} stream's last lists event is outbox id ${last.outboxId}, this fresh database's max is ${max}: the relay skips ids up to ${last.outboxId}; moving the outbox sequence past it`);
        await db.query(`SELECT setval(pg_get_serial_sequence('lists.outbox', 'id'), $1::bigint)`, [last.outboxId]);
      }
      const from = await probeBus.latestSequence();
      const probeSub = probeBus.subscribe(from, (e) => {
        if (!e.id.startsWith(tag) || e.id.slice(9, 13) !== MEASURED) return;
        const i = parseInt(e.id.slice(24), 16);
        if (i < capacity) {
          if (busSeen[i >> 3] & (1 << (i & 7))) {
            busDuplicates++;
            return;
          }
          busSeen[i >> 3] |= 1 << (i & 7);
        }
        const now = Date.now();
        busLatency.record(now - Date.parse(e.occurredAt));
        if (probeT0) {
          const sec = Math.max(0, Math.floor((now - probeT0) / 1000));
          while (busPerSecond.length <= sec) busPerSecond.push(0);
          busPerSecond[sec]++;
        }
      }, (err) => {
        // With an onError the bus does not log (its logger writes to stdout, which is the report).
        probeError = `${err.name}: ${err.message}`;
        log(`probe subscription to the ${bus} bus ended: ${probeError}`);
      });
      cleanup.add("close probe subscription", async () => probeSub.close());
    }

    // Subscribers, split over worker processes.
    log(`opening ${subscribers} subscribers in ${workerCount} worker process(es): ${query}`);
    const workers: Worker[] = [];
    let first = 0;
    for (let i = 0; i < workerCount; i++) {
      const n = Math.floor(subscribers / workerCount) + (i < subscribers % workerCount ? 1 : 0);
      const w = startWorker(i, n, cleanup);
      tell(w, { type: "start", config: { url: wsUrl, subscribers: n, firstSubscriber: first, query, selection, cities, tag, capacity, withEntity, connectBatch: Math.floor(positiveNumber(flags, "connect-batch")), client } });
      workers.push(w);
      first += n;
    }
    const connectStarted = Date.now();
    const connected = await Promise.all(workers.map((w) => w.connected));
    const connectSec = (Date.now() - connectStarted) / 1000;
    const opened = connected.reduce((a, c) => a + c.opened, 0);
    log(`${opened} of ${subscribers} subscribers connected in ${connectSec} s`);
    if (opened === 0) throw new Error(`no subscriber could connect: ${connected.find((c) => c.error)?.error ?? "unknown"}`);

    const publisher = new Publisher(db, tag, entries, cities);
    // Ctrl-C: the loops below stop at their next step instead of writing to a closed connection.
    let interrupted = false;
    cleanup.add("stop publishing", async () => {
      interrupted = true;
    });
    const checkInterrupted = () => {
      if (interrupted) throw new Error("bench interrupted");
    };
    // Warm-up: events until every subscriber has one, so measurement starts with every
    // subscription live at the hub (graphql-ws does not acknowledge a subscribe).
    const warmStarted = Date.now();
    let warmups = 0;
    for (;;) {
      checkInterrupted();
      await publisher.insert(WARMUP, warmups++, 1);
      await sleep(200);
      const warm = workers.reduce((a, w) => a + w.progress.warm, 0);
      const closed = workers.reduce((a, w) => a + w.progress.closed, 0);
      if (warm + closed >= subscribers) break;
      if (Date.now() - warmStarted > 30_000) throw new Error(`warm-up: only ${warm} of ${subscribers} subscribers received an event within 30 s (is the relay running? see the hub's log)`);
    }
    const warmSec = (Date.now() - warmStarted) / 1000;
    log(`every subscriber live after ${warmSec} s of warm-up`);
    // Then warm-up events at the full rate (JIT, buffers, connection pools), not measured.
    if (warmupAtRateSec > 0) {
      log(`${warmupAtRateSec} s of warm-up events at ${rate} events/s`);
      const w0 = Date.now();
      let sent = 0;
      while (Date.now() - w0 < warmupAtRateSec * 1000) {
        checkInterrupted();
        const due = Math.floor(((Date.now() - w0) * rate) / 1000) - sent;
        if (due > 0) {
          const n = Math.min(due, 2000);
          await publisher.insert(WARMUP, warmups + sent, n);
          sent += n;
        } else await sleep(tickMs);
      }
      warmups += sent;
      // Until the warm-up backlog has reached the subscribers (measured deliveries start from zero).
      await sleep(1000);
    }
    log(`measuring ${durationSec} s at ${rate} events/s`);
    await sleep(300);

    // Measurement.
    const hubPid = hub.child.proc.pid;
    let hubRssMax = rssMiB(hubPid) ?? 0;
    const rssTimeline: number[] = [];
    const sampler = setInterval(() => {
      const r = rssMiB(hubPid);
      if (r !== null) {
        hubRssMax = Math.max(hubRssMax, r);
        rssTimeline.push(r);
      }
    }, 500);
    cleanup.add("stop sampler", async () => clearInterval(sampler));
    // The hub's responsiveness meanwhile: /health on the gateway's port, one request at a time
    // every 250 ms. Everything in the hub (gateway, subgraphs, relay) shares one event loop.
    const healthUrl = new URL("/health", hub.ready.url).toString();
    const health = new Histogram();
    let probing = true;
    const healthProbe = (async () => {
      while (probing) {
        const t = performance.now();
        try {
          await (await fetch(healthUrl, { signal: AbortSignal.timeout(60_000) })).text();
          health.record(performance.now() - t);
        } catch {
          health.record(60_000);
        }
        await sleep(250);
      }
    })();
    cleanup.add("stop health probe", async () => {
      probing = false;
    });
    const t0 = Date.now();
    probeT0 = t0;
    const hubCpu0 = cpuMs(hubPid);
    const benchCpu0 = process.cpuUsage();
    for (const w of workers) tell(w, { type: "measure", t0 });
    const perSecondPublished: number[] = [];
    let published = 0;
    let maxBehind = 0;
    const durationMs = durationSec * 1000;
    for (;;) {
      checkInterrupted();
      const elapsed = Date.now() - t0;
      if (elapsed >= durationMs) break;
      const target = Math.min(capacity - 1, Math.floor((elapsed * rate) / 1000));
      const due = target - published;
      if (due > 0) {
        maxBehind = Math.max(maxBehind, due);
        const n = Math.min(due, 2000);
        await publisher.insert(MEASURED, published, n);
        published += n;
        const sec = Math.floor(elapsed / 1000);
        while (perSecondPublished.length <= sec) perSecondPublished.push(0);
        perSecondPublished[sec] += n;
      } else {
        await sleep(Math.max(1, tickMs - (elapsed % tickMs)));
      }
    }
    const publishSec = (Date.now() - t0) / 1000;
    const hubCpuPublish = cpuMs(hubPid);
    const receivedAtPublishEnd = workers.reduce((a, w) => a + w.progress.received, 0);
    log(`published ${published} events in ${publishSec} s (${round(published / publishSec, 1)}/s) in ${publisher.transactions} transactions; ${receivedAtPublishEnd} deliveries so far; draining up to ${drainSec} s`);
    for (const w of workers) tell(w, { type: "published", count: published });

    // Drain: until every live subscriber has every event, or the grace period ends.
    const drainStarted = Date.now();
    let drained = false;
    while (Date.now() - drainStarted < drainSec * 1000) {
      checkInterrupted();
      await sleep(250);
      const complete = workers.reduce((a, w) => a + w.progress.complete, 0);
      const closed = workers.reduce((a, w) => a + w.progress.closed, 0);
      if (complete + closed >= subscribers) {
        drained = true;
        break;
      }
    }
    const drainUsedSec = (Date.now() - drainStarted) / 1000;
    const receivedBeforeLast = workers.reduce((a, w) => a + w.progress.received, 0);
    await sleep(250);
    const receivedAtEnd = workers.reduce((a, w) => a + w.progress.received, 0);
    const stillArrivingPerSec = round((receivedAtEnd - receivedBeforeLast) * 4, 0);
    const endSec = (Date.now() - t0) / 1000;
    const hubCpuEnd = cpuMs(hubPid);
    const benchCpu = process.cpuUsage(benchCpu0);
    clearInterval(sampler);
    probing = false;
    await Promise.race([healthProbe, sleep(1000)]);
    const hubRssEnd = rssMiB(hubPid);
    log(`drain ${drained ? "complete" : "cut off"} after ${drainUsedSec} s; collecting results`);

    for (const w of workers) tell(w, { type: "finish" });
    const results = await Promise.race([
      Promise.all(workers.map((w) => w.result)),
      sleep(30_000).then(() => {
        throw new Error("subscriber workers did not report within 30 s");
      }),
    ]);

    // Totals.
    const latency = new Histogram();
    const perSecond: number[] = [];
    const all: SubscriberResult[] = [];
    for (const r of results) {
      latency.merge(r.latency);
      r.perSecond.forEach((n, i) => (perSecond[i] = (perSecond[i] ?? 0) + n));
      all.push(...r.subscribers);
    }
    const sum = (f: (s: SubscriberResult) => number) => all.reduce((a, s) => a + f(s), 0);
    const extreme = (f: (s: SubscriberResult) => number) => {
      let min = Infinity, max = -Infinity;
      for (const s of all) {
        const v = f(s);
        if (v < min) min = v;
        if (v > max) max = v;
      }
      return { min, max };
    };
    const live = all.filter((s) => !s.closed && !s.error);
    const received = sum((s) => s.received);
    const expected = cities ? all.reduce((a, s) => a + expectedOf(published, cities.length, s.subscriber % cities.length), 0) : published * all.length;
    const deliveredDuringPublish = perSecond.slice(0, Math.ceil(publishSec)).reduce((a, n) => a + n, 0);
    // Per close code and reason: how many, and when (seconds since measurement started).
    const closeCodes: Record<string, { count: number; firstAtSec: number; lastAtSec: number }> = {};
    for (const s of all) {
      if (!s.closed) continue;
      const key = `${s.closed.code} ${s.closed.reason}`.trim();
      const c = (closeCodes[key] ??= { count: 0, firstAtSec: s.closed.atSec, lastAtSec: s.closed.atSec });
      c.count++;
      c.firstAtSec = Math.min(c.firstAtSec, s.closed.atSec);
      c.lastAtSec = Math.max(c.lastAtSec, s.closed.atSec);
    }
    const errors: Record<string, number> = {};
    for (const s of all) if (s.error) errors[s.error] = (errors[s.error] ?? 0) + 1;
    const poll = relayPollMs();
    const lat = latency.summary();
    const hubCores = (a: number | null, b: number | null, sec: number) => (a !== null && b !== null ? round((b - a) / 1000 / sec, 2) : null);

    const findings: string[] = [];
    if (received < expected * 0.99) {
      findings.push(
        `throughput: ${received} of ${expected} deliveries (${round((100 * received) / Math.max(1, expected), 1)}%) arrived by the end of the drain; ` +
          `the subscribers got ${round(received / endSec, 0)} deliveries/s against ${rate * all.length} offered (${rate} events/s x ${all.length}); ` +
          `hub CPU ${hubCores(hubCpu0, hubCpuEnd, endSec)} cores, ${stillArrivingPerSec} deliveries/s still arriving at the end: the hub's fan-out is the bottleneck (a backlog in its subscriber queues, not drops) unless close codes say otherwise`,
      );
    }
    // Deliveries that stopped while events were still owed: not a backlog but a dead stream.
    const lastDeliverySec = perSecond.reduce((last, n, i) => (n > 0 ? i : last), -1);
    if (received < expected && lastDeliverySec >= 0 && lastDeliverySec + 3 < Math.floor(endSec)) {
      findings.push(
        `delivery stopped: no deliveries after second ${lastDeliverySec} of ${Math.floor(endSec)} although ${expected - received} were still owed (${all.length - live.length} subscribers closed): the hub stopped delivering (hub.errors may say why)`,
      );
    }
    const healthSummary = health.summary();
    if (healthSummary.p99 > 100) {
      findings.push(`event loop: GET /health on the hub took p50 ${healthSummary.p50} ms, p99 ${healthSummary.p99} ms, max ${healthSummary.max} ms during the run (${healthSummary.count} probes): every request to this hub waits that long meanwhile`);
    }
    const busSummary = busLatency.summary();
    if (probeBus && poll.pollMs && busSummary.count && busSummary.p50 > 2 * poll.pollMs) {
      findings.push(`relay: commit-to-bus p50 ${busSummary.p50} ms, p99 ${busSummary.p99} ms (poll ${poll.pollMs} ms): the outbox relay runs late; it shares the hub's event loop with the fan-out`);
    }
    if (poll.pollMs && lat.p50 >= poll.pollMs * 0.3 && lat.p99 <= poll.pollMs * 2.5) {
      findings.push(`latency: p50 ${lat.p50} ms / p99 ${lat.p99} ms with a ${poll.pollMs} ms outbox poll (${poll.where}): a commit waits on average half a poll before the relay reads it`);
    }

    await cleanup.run(); // now, so the report can say how the hub shut down
    return {
      bench: "subscriptions",
      config: {
        subscribers, rate, durationSec, drainSec, bus, store: "postgres", workers: workerCount, withEntity, client,
        query: cities ? `subscription { listEntryChanged(cities: ["<one of ${cities.join(", ")}>"]) ${selection} }` : query,
        filter: cities ? `per city: subscriber i follows cities[i mod ${cities.length}], event k is about cities[k mod ${cities.length}], so each gets 1/${cities.length} of the events` : "none: every subscriber gets every event",
        hubSubscriberQueue: queue, publisherTickMs: tickMs, warmupAtRateSec,
        relay: poll,
        node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model,
        loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((l) => round(l)) },
        hubStartSec: hub.startSec, connectSec, warmupSec: warmSec,
      },
      publisher: {
        published, publishSec: round(publishSec), eventsPerSec: round(published / publishSec, 1),
        transactions: publisher.transactions, maxBehindEvents: maxBehind, txLatencyMs: publisher.txLatency.summary(),
        perSecond: perSecondPublished,
      },
      delivery: {
        subscribersConnected: opened,
        subscribersLiveAtEnd: live.length,
        expectedDeliveries: expected,
        received,
        deliveredPerSec: round(received / publishSec, 1),
        deliveredPerSecDuringPublish: round(deliveredDuringPublish / publishSec, 1),
        offeredPerSec: cities ? rate * all.length / cities.length : rate * all.length,
        duplicates: sum((s) => s.duplicates),
        lost: sum((s) => s.lost),
        orderViolations: sum((s) => s.orderViolations),
        sequenceViolations: sum((s) => s.sequenceViolations),
        entityMissing: withEntity ? sum((s) => s.entityMissing) : undefined,
        errorPayloads: results.reduce((a, r) => a + r.errorPayloads, 0),
        foreignEvents: results.reduce((a, r) => a + r.foreign, 0),
        drained, drainUsedSec: round(drainUsedSec), stillArrivingPerSecAtEnd: stillArrivingPerSec,
        perSubscriber: {
          received: extreme((s) => s.received),
          lost: extreme((s) => s.lost),
          duplicates: extreme((s) => s.duplicates),
          subscribersWithLoss: all.filter((s) => s.lost > 0).length,
        },
        closedByServer: closeCodes,
        errors,
        perSecond,
      },
      latencyMs: {
        commitToClient: lat,
        commitToBus: probeBus ? busSummary : "not measurable for the in-process memory bus",
        hubHealthRequest: healthSummary,
      },
      relayedPerSecond: probeBus ? busPerSecond : undefined,
      busProbe: probeBus ? { received: busLatency.n, duplicates: busDuplicates, ended: probeError } : undefined,
      hub: {
        rssMiBMax: hubRssMax, rssMiBEnd: hubRssEnd, rssMiBTimeline: rssTimeline.filter((_, i) => i % 4 === 0),
        cpuCoresDuringPublish: hubCores(hubCpu0, hubCpuPublish, publishSec),
        cpuCoresOverall: hubCores(hubCpu0, hubCpuEnd, endSec),
        // Hub CPU per delivery over publish + drain: what one more subscriber x event costs.
        cpuUsPerDelivery: hubCpu0 !== null && hubCpuEnd !== null && received ? round(((hubCpuEnd - hubCpu0) * 1000) / received, 1) : null,
        shutdown: hub.exit.value,
        staleRelayPosition,
        errors: hubErrors,
      },
      client: {
        benchProcessCpuCores: round((benchCpu.user + benchCpu.system) / 1e6 / endSec, 2),
        workers: results.map((r) => ({ cpuCores: round(r.cpuMs / 1000 / endSec, 2), maxRssMiB: r.maxRssMiB })),
        // Subscriber-side CPU per delivery: whether the bench's own processes could take the offered load.
        cpuUsPerDelivery: received ? round((results.reduce((a, r) => a + r.cpuMs, 0) * 1000) / received, 1) : null,
      },
      findings,
      notes: [
        "commit time = the outbox row's occurred_at, set by clock_timestamp() in the INSERT that commits it (one statement, autocommit): it precedes the commit by under a millisecond (publisher.txLatencyMs is the whole round trip); receive time = the worker's clock when graphql-ws hands over the message; one machine, one clock",
        "lost = published events a subscriber had not received when the drain ended: with a backlog still arriving (stillArrivingPerSecAtEnd > 0) they are late, not dropped; closedByServer 4008 means the hub dropped a subscriber whose queue exceeded HUB_SUBSCRIBER_QUEUE",
        "duplicates = an event id delivered twice to one subscriber; orderViolations = an event delivered after one committed later (one publisher connection commits in index order); sequenceViolations = the bus sequence not increasing",
        "deliveredPerSec = unique deliveries over all subscribers / publish duration (includes those arriving in the drain); deliveredPerSecDuringPublish counts only those received while publishing",
        "commitToBus (redis/nats): the bench's own subscription to the same bus stream: the outbox relay's share of the latency; relayedPerSecond: this run's events reaching the bus per second (as far as the probe got); busProbe.duplicates: measured events the relay published more than once (subscribers should still see each once: the gateway drops repeated ids)",
        "hubHealthRequest: GET /health on the hub's gateway port every 250 ms during publish + drain: how long anything else waits for the hub's one event loop",
        "the hub runs the gateway, every subgraph and the relay on one event loop; the subscribers run in separate worker processes, the publisher in the bench process",
      ],
    };
  } finally {
    await cleanup.run();
  }
}
