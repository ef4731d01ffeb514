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
// REDIS_URL / NATS_URL of the bus servers: BENCH_REDIS_URL / BENCH_NATS_URL (defaults in subscriptionOptions.ts).
// Here: the run in order (hub, publisher connection, bus probe, subscribers, warm-up, measurement).
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { startBusProbe, type BusProbe } from "./busProbe.js";
import { Cleanup } from "./cleanup.js";
import { cpuMs, rssMiB } from "./children.js";
import { countAt, loadAtStart, log, round } from "./figures.js";
import { startHubProcess, type HubProcess } from "./hubProcess.js";
import { hubErrors, HubSampler } from "./hubWatch.js";
import { Publisher, type EntryRef } from "./outboxPublisher.js";
import { SubscriberPool } from "./subscriberPool.js";
import { BUS_URLS, readOptions, type SubscriptionOptions } from "./subscriptionOptions.js";
import { MEASURED, WARMUP } from "./subscriptionProtocol.js";
import { report, type Measurement } from "./subscriptionReport.js";

function startHub(o: SubscriptionOptions, cleanup: Cleanup): Promise<HubProcess> {
  return startHubProcess(
    {
      store: "postgres",
      seedPerCity: o.seedPerCity,
      cpuProfDir: o.cpuProfDir,
      env: {
        REDIS_URL: o.bus === "redis" ? BUS_URLS.redis : undefined,
        NATS_URL: o.bus === "nats" ? BUS_URLS.nats : undefined,
        HUB_SUBSCRIBER_QUEUE: String(o.queue),
        HUB_AUTH_OFF_SCOPES: "credit:read,lists:write,graph:read",
      },
    },
    cleanup,
  );
}

/** The publisher's connection, and the seeded entries its events are about. */
async function openPublisherDb(hub: HubProcess, cleanup: Cleanup): Promise<{ db: pg.Client; entries: EntryRef[] }> {
  const db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  cleanup.add("close publisher connection", () => db.end());
  const entries = (await db.query<EntryRef>(`SELECT id, issuing_city_code AS city, list_type::text AS "listType", state::text AS state FROM lists.list_entry ORDER BY id LIMIT 500`)).rows;
  if (entries.length === 0) throw new Error("the hub seeded no list entries: raise --seed-per-city (the lists demo needs 12 enterprises per city)");
  return { db, entries };
}

/**
 * Warm-up events until every subscriber has one, so measurement starts with every subscription
 * live at the hub (graphql-ws does not acknowledge a subscribe); then --warmup-sec of them at the
 * full rate (JIT, buffers, connection pools), not measured. Returns the first part's seconds.
 */
async function warmUp(publisher: Publisher, pool: SubscriberPool, o: SubscriptionOptions): Promise<number> {
  const warmStarted = Date.now();
  let warmups = 0;
  for (;;) {
    publisher.check();
    await publisher.insert(WARMUP, warmups++, 1);
    await sleep(200);
    const warm = pool.total("warm");
    if (warm + pool.total("closed") >= o.subscribers) break;
    if (Date.now() - warmStarted > 30_000) throw new Error(`warm-up: only ${warm} of ${o.subscribers} subscribers received an event within 30 s (is the relay running? see the hub's log)`);
  }
  const warmSec = (Date.now() - warmStarted) / 1000;
  log(`every subscriber live after ${warmSec} s of warm-up`);
  if (o.warmupAtRateSec > 0) {
    log(`${o.warmupAtRateSec} s of warm-up events at ${o.rate} events/s`);
    await publisher.paced(WARMUP, warmups, { rate: o.rate, ms: o.warmupAtRateSec * 1000, tickMs: o.tickMs });
    // Until the warm-up backlog has reached the subscribers (measured deliveries start from zero).
    await sleep(1000);
  }
  return warmSec;
}

interface Measured {
  hub: HubProcess;
  pool: SubscriberPool;
  publisher: Publisher;
  sampler: HubSampler;
  probe: BusProbe | null;
}

/** Measured events at the rate for --duration, then the drain; the hub's CPU and memory meanwhile. */
async function measure(o: SubscriptionOptions, { hub, pool, publisher, sampler, probe }: Measured, cleanup: Cleanup): Promise<Measurement> {
  const hubPid = hub.child.proc.pid;
  sampler.start(cleanup);
  const t0 = Date.now();
  if (probe) probe.t0 = t0;
  const hubCpuStart = cpuMs(hubPid);
  const benchCpu0 = process.cpuUsage();
  pool.tell({ type: "measure", t0 });
  const perSecondPublished: number[] = [];
  let maxBehind = 0;
  const published = await publisher.paced(MEASURED, 0, { rate: o.rate, ms: o.durationSec * 1000, tickMs: o.tickMs, t0, limit: o.capacity - 1 }, (n, elapsed, due) => {
    maxBehind = Math.max(maxBehind, due);
    countAt(perSecondPublished, Math.floor(elapsed / 1000), n);
  });
  const publishSec = (Date.now() - t0) / 1000;
  const hubCpuPublish = cpuMs(hubPid);
  log(`published ${published} events in ${publishSec} s (${round(published / publishSec, 1)}/s) in ${publisher.transactions} transactions; ${pool.total("received")} deliveries so far; draining up to ${o.drainSec} s`);
  pool.tell({ type: "published", count: published });

  const drain = await pool.drain(o.drainSec, () => publisher.check());
  const endSec = (Date.now() - t0) / 1000;
  const hubCpuEnd = cpuMs(hubPid);
  const benchCpu = process.cpuUsage(benchCpu0);
  await sampler.stop();
  const hubRssEnd = rssMiB(hubPid);
  log(`drain ${drain.drained ? "complete" : "cut off"} after ${drain.drainUsedSec} s; collecting results`);
  return {
    published, publishSec, maxBehind, perSecondPublished, drain, endSec,
    hubCpu: { start: hubCpuStart, publishEnd: hubCpuPublish, end: hubCpuEnd },
    benchCpu, hubRssEnd,
  };
}

export async function run(argv: string[]): Promise<unknown> {
  const o = readOptions(argv);
  const load = loadAtStart();
  const cleanup = new Cleanup();
  try {
    const hub = await startHub(o, cleanup);
    const errors = hubErrors(hub);
    const { db, entries } = await openPublisherDb(hub, cleanup);
    // --filter city: subscriber i follows one city, cities[i mod n]; event k is about cities[k mod n].
    const cities = o.filter === "city" ? [...new Set(entries.map((e) => e.city))].sort() : null;
    const probe = o.bus === "memory" ? null : await startBusProbe(o.bus, db, o.tag, o.capacity, cleanup);
    const { pool, connectSec, opened } = await SubscriberPool.open(o, hub.ready.url.replace(/^http/, "ws"), cities, cleanup);
    const publisher = new Publisher(db, o.tag, entries, cities);
    cleanup.add("stop publishing", async () => publisher.stop());
    const warmSec = await warmUp(publisher, pool, o);
    log(`measuring ${o.durationSec} s at ${o.rate} events/s`);
    await sleep(300);
    const sampler = new HubSampler(hub);
    const m = await measure(o, { hub, pool, publisher, sampler, probe }, cleanup);
    const results = await pool.results();
    await cleanup.run(); // now, so the report can say how the hub shut down
    return report({ o, cities, loadAtStart: load, hub, hubErrors: errors, connectSec, opened, warmSec, publisher, m, sampler, probe, results });
  } finally {
    await cleanup.run();
  }
}
