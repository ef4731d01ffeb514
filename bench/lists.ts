// `npm run bench -- lists [--entries 1000000] [--store embedded|postgres] [--duration 15]
//   [--connections 1,4,8] [--warmup 3] [--probes 2000] [--seed-per-city 20]
//   [--chunk 250000] [--cpu-prof <dir>]`
//
// `marketBanStatus` and `listEntries` page latency through the gateway over a lists table of
// N generated entries across the six cities. Steps: start the hub once (migrations, demo
// data); bulk-insert N entries straight into lists.list_entry (server-side generate_series; on
// the embedded store through PGlite opened on the hub's data dir while the hub is stopped);
// ANALYZE; time the lists subgraph's own data functions (bansInForce, findEntries) and EXPLAIN
// ANALYZE the SQL Prisma sends for them; start the hub on the data; load each query through
// the gateway at each concurrency of --connections (1 = latency without queueing).
// BENCH_DATABASE_URL: the PostgreSQL server for the throw-away database.
// Here: the steps in order and the report; each step in listsSetup.ts, listsDataLayer.ts, listsLoads.ts.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFlags, positiveNumber } from "./args.js";
import { Cleanup } from "./cleanup.js";
import { rssMiB } from "./children.js";
import { loadAtStart, log, machine } from "./figures.js";
import { startHubProcess } from "./hubProcess.js";
import { profileDataLayer } from "./listsDataLayer.js";
import { BAN_QUERY, CHAIN_PAGES, PAGE_QUERY, banLoad, idleCpuCores, measureLevels, pageLoad, type QueryRun } from "./listsLoads.js";
import { duMiB, generateEntries, openBenchSql, type Generated } from "./listsSetup.js";
import { stopLoads } from "./load.js";

function readOptions(argv: string[]) {
  const flags = parseFlags(argv, {
    entries: "1000000", store: "embedded", duration: "15", connections: "1,4,8", warmup: "3",
    probes: "2000", "seed-per-city": "20", chunk: "250000", "cpu-prof": "",
  });
  const entries = Math.floor(positiveNumber(flags, "entries"));
  const durationSec = positiveNumber(flags, "duration");
  const levels = flags.connections.split(",").map((c) => Number(c.trim()));
  if (levels.length === 0 || levels.some((c) => !Number.isInteger(c) || c < 1)) throw new Error(`--connections is a list of positive integers (e.g. 1,4,8), got '${flags.connections}'`);
  const warmupSec = positiveNumber(flags, "warmup");
  const probeCount = Math.floor(positiveNumber(flags, "probes"));
  const chunk = Math.floor(positiveNumber(flags, "chunk"));
  const seedPerCity = positiveNumber(flags, "seed-per-city");
  const store = flags.store;
  if (store !== "postgres" && store !== "embedded") throw new Error(`--store is postgres or embedded, got '${store}'`);
  return { entries, durationSec, levels, warmupSec, probeCount, chunk, seedPerCity, store, cpuProf: flags["cpu-prof"] } as const;
}
type Options = ReturnType<typeof readOptions>;

const NOTES = [
  "gateway.<query>.<n>: autocannon with n requests in flight at once (n connections) for `duration` s, after one warm-up per query; n = 1 is latency without queueing; hubCpuCores: the hub process's CPU over the run (it runs the gateway, every subgraph and, on the embedded store, the database)",
  "marketBanStatus rotates over probe subjects (valid USCCs / ID numbers with their own entries; the seeded enterprises' legal representatives get bans too, found through the enterprise subgraph's responsiblePersonIds); each answer is checked against what the generator made",
  `listEntries follows chains of pages: a first page for a city filter (each city, two pairs, all six), then up to ${CHAIN_PAGES - 1} pages each after the previous page's endCursor`,
  "dataLayer: the lists subgraph's own bansInForce / findEntries called in the bench process over its own connection (same store engine), without HTTP, GraphQL or federation; explain: EXPLAIN (ANALYZE, BUFFERS) of the statement Prisma sent",
  "bulk rows are inserted straight into lists.list_entry (no history, no outbox rows); live entries have future publicity/ban ends so the expiry sweep has nothing to do",
];

/** marketBanStatus's p95 against the target set for a store at its size (null: this run is smaller). */
function againstTarget(o: Options, marketBanStatus: QueryRun) {
  const target = o.store === "embedded" ? 1_000_000 : 10_000_000;
  const p95At = Object.fromEntries(Object.entries(marketBanStatus).map(([c, r]) => [c, r.latencyMs.p95]));
  return {
    marketBanStatusP95Ms: 20,
    appliesTo: `${o.store} at ${target.toLocaleString("en")} entries`,
    thisRun: `${o.store} at ${o.entries.toLocaleString("en")} entries`,
    p95MsByConnections: p95At,
    metByConnections: Object.fromEntries(Object.entries(p95At).map(([c, v]) => [c, o.entries >= target ? v <= 20 : null])),
  };
}

export async function run(argv: string[]): Promise<unknown> {
  const o = readOptions(argv);
  const load = loadAtStart();
  const cleanup = new Cleanup();
  try {
    const dataDir = await mkdtemp(join(tmpdir(), "hub-bench-lists-"));
    cleanup.add("remove data dir", () => rm(dataDir, { recursive: true, force: true }));
    const env = { HUB_AUTH_OFF_SCOPES: "credit:read,graph:read", REDIS_URL: undefined, NATS_URL: undefined };
    const startHub = (cpuProfDir: string) => startHubProcess({ store: o.store, seedPerCity: o.seedPerCity, cpuProfDir, dataDir, env }, cleanup);

    // 1. The hub once: migrations and demo data (enterprises for the probes).
    // On PostgreSQL this hub is the one measured; on the embedded store it only prepares the data dir.
    let hub = await startHub(o.store === "postgres" ? o.cpuProf : "");
    const firstStartSec = hub.startSec;
    const db = await openBenchSql(o.store, hub);
    cleanup.add("close bench connection", db.close);
    // 2. Generation.
    const gen: Generated = await generateEntries(db.sql, { entries: o.entries, probeCount: o.probeCount, chunk: o.chunk, store: o.store });
    // 3. The data layer alone, and the plans.
    log("timing bansInForce / findEntries directly and explaining their SQL");
    const dataLayer = await profileDataLayer(db.adapter, db.sql, gen.probes, gen.reps);
    // 4. The hub on the data.
    if (o.store === "embedded") {
      await db.close();
      gen.data.embeddedDataDirMiB = duMiB(join(dataDir, "pg"));
      hub = await startHub(o.cpuProf);
    }
    cleanup.add("stop load", stopLoads);
    const levels = { hub, levels: o.levels, warmupSec: o.warmupSec, durationSec: o.durationSec };
    const bans = banLoad(hub.ready.url, gen.probes);
    const pages = pageLoad(hub.ready.url);
    const hubIdleCpuCores = await idleCpuCores(hub);
    log(`hub idle CPU: ${hubIdleCpuCores} cores`);
    const marketBanStatus = await measureLevels("marketBanStatus", bans.load, levels);
    const listEntries = await measureLevels("listEntries", pages.load, levels);
    const hubRss = rssMiB(hub.child.proc.pid);

    await cleanup.run();
    return {
      bench: "lists",
      config: {
        store: o.store, entries: o.entries, durationSec: o.durationSec, warmupSec: o.warmupSec, connections: o.levels, probes: gen.probes.length,
        ...machine(load),
        hubStartSec: { first: firstStartSec, onData: hub.startSec },
        queries: { marketBanStatus: BAN_QUERY, listEntries: PAGE_QUERY },
      },
      generation: { insertSec: gen.insertSec, vacuumAnalyzeSec: gen.analyzeSec, ...gen.data },
      dataLayer,
      gateway: {
        marketBanStatus: { ...marketBanStatus, ...bans.tally, differingSamples: [...bans.tally.differingSamples] },
        listEntries: { ...listEntries, pages: pages.tally.pages, deepestPage: pages.tally.deepest + 1 },
      },
      target: againstTarget(o, marketBanStatus),
      hub: { idleCpuCores: hubIdleCpuCores, rssMiB: hubRss, shutdown: hub.exit.value },
      notes: NOTES,
    };
  } finally {
    await cleanup.run();
  }
}
