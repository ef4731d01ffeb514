// `npm run bench -- credit-check [--subjects 1000000] [--store embedded|postgres] [--duration 15]
//   [--connections 1,8] [--warmup 3] [--probes 2000] [--seed-per-city 20] [--chunk 250000]
//   [--calls 50] [--cpu-prof <dir>]`
//
// creditCheck (凡办必查) latency through the gateway over the records of N subjects: about three
// list entries per subject (the lists bench's generator), one rating per subject on the cities'
// real scales and a commitment per two subjects, a quarter of them breached with their breach
// record. Steps as in the lists bench: start the hub once (migrations, demo data); bulk-insert
// the rows (server-side generate_series; on the embedded store through PGlite opened on the
// hub's data dir while the hub is stopped); VACUUM ANALYZE; work out every probe's expected
// answer for each matter; start the hub on the data; count the SQL of one check for a subject
// with no record and one with many; load creditCheck at each concurrency of --connections,
// checking every answer.
// BENCH_DATABASE_URL: the PostgreSQL server for the throw-away database.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { today as todayUtc } from "../lib/dates.js";
import { parseFlags, positiveNumber } from "./args.js";
import { Cleanup } from "./cleanup.js";
import { rssMiB } from "./children.js";
import { monotonicUs, topFrames } from "./cpuProfile.js";
import { generateRatingsAndCommitments } from "./creditData.js";
import { CHECK_QUERY, MATTERS, checkLoad, expectedAnswers, type CheckProbe } from "./creditExpected.js";
import { explainAccessPaths, statementsPerCall } from "./creditStatements.js";
import { loadAtStart, log, machine, round } from "./figures.js";
import { startHubProcess } from "./hubProcess.js";
import type { Sql } from "./listsData.js";
import { idleCpuCores, measureLevels, type QueryRun } from "./listsLoads.js";
import { duMiB, generateEntries, openBenchSql } from "./listsSetup.js";
import { stopLoads } from "./load.js";

function readOptions(argv: string[]) {
  const flags = parseFlags(argv, {
    subjects: "1000000", store: "embedded", duration: "15", connections: "1,8", warmup: "3",
    probes: "2000", "seed-per-city": "20", chunk: "250000", calls: "50", "cpu-prof": "",
  });
  const levels = flags.connections.split(",").map((c) => Number(c.trim()));
  if (levels.length === 0 || levels.some((c) => !Number.isInteger(c) || c < 1)) throw new Error(`--connections is a list of positive integers (e.g. 1,8), got '${flags.connections}'`);
  const store = flags.store;
  if (store !== "postgres" && store !== "embedded") throw new Error(`--store is postgres or embedded, got '${store}'`);
  return {
    subjects: Math.floor(positiveNumber(flags, "subjects")), store, durationSec: positiveNumber(flags, "duration"), levels, warmupSec: positiveNumber(flags, "warmup"),
    probeCount: Math.floor(positiveNumber(flags, "probes")), seedPerCity: positiveNumber(flags, "seed-per-city"), chunk: Math.floor(positiveNumber(flags, "chunk")),
    calls: Math.floor(positiveNumber(flags, "calls")), cpuProf: flags["cpu-prof"],
  } as const;
}
type Options = ReturnType<typeof readOptions>;

const NOTES = [
  "gateway.creditCheck.<n>: autocannon with n requests in flight (n connections) for `duration` s after one warm-up; probe subjects in turn (half USCCs, the seeded enterprises first, half ID numbers), the matter rotating over tendering, procurement, approval, market-entry, subsidy, financing; hubCpuCores: the hub process's CPU over the run (gateway, every subgraph and, embedded, the database)",
  "answers: every answer is compared (measure codes, trigger kind and id, expiry, in order, and `restricted`) with one the bench works out itself: the probe's rows read with its own SQL (entries in RECOGNISED/PUBLISHED/RECTIFYING, bans by their start and end, ratings valid today, breach records with their commitment's type), then the measures subgraph's pure applyMeasures with the same catalogues. The matching function is shared, so the check covers gathering across the lists, ratings and measures subgraphs, federation through the gateway and the state and date filters, not the catalogues' matching rules themselves (the unit tests cover those). Without includeRelated (the graph is not exercised)",
  "sqlStatementsPerRequest (per level) and statementsPerCall.*.hubCounterPerCall: the hub's /metrics counter of partner-request statements: the measures subgraph's own (breach records) and the look-up registration (audit); the lists and ratings subgraphs answer the measures subgraph as a service identity, which the counter leaves out as background",
  "statementsPerCall.*.pgStatPerCall (PostgreSQL only): scans per call by index (pg_stat_user_indexes) and sequential scans and rows inserted by table (pg_stat_user_tables), summed by schema (= subgraph), less the hub's idle background over as long a window; transactions: commits and rollbacks of the whole database per call (pg_stat_database), every subgraph together, a cross-check only (the outbox relays' polling makes it noisy); PostgreSQL 15 counts an index scan of `id IN (k ids)` as k scans, so scans are not statements (one statement fetching the k breached commitments by id shows as k)",
  "bulk rows go straight into the tables (no history, outbox or tier rows): live list entries, pending 容缺 commitments and unexpired ratings end in the future and expired ratings are marked lapsed, so the hub's sweeps find nothing to do",
];

/** The target: p95 ≤ 30 ms at 8 in flight on PostgreSQL at 1,000,000 subjects (null: this run is not that). */
function againstTarget(o: Options, run: QueryRun) {
  const applies = o.store === "postgres" && o.subjects >= 1_000_000;
  const at8 = run["8"]?.latencyMs.p95 ?? null;
  return {
    creditCheckP95Ms: 30, connections: 8, appliesTo: "postgres at 1,000,000 subjects", thisRun: `${o.store} at ${o.subjects.toLocaleString("en")} subjects`,
    p95MsAt8: at8, met: applies && at8 !== null ? at8 <= 30 : null,
  };
}

async function sizes(sql: Sql): Promise<Record<string, unknown>> {
  const count = async (q: string) => Number((await sql.query<{ n: string }>(q))[0].n);
  const [s] = await sql.query<{ db: string; r: string; c: string; b: string }>(
    "SELECT pg_database_size(current_database())::text AS db, pg_total_relation_size('ratings.credit_rating')::text AS r, pg_total_relation_size('measures.credit_commitment')::text AS c, pg_total_relation_size('measures.commitment_breach')::text AS b");
  const states = await sql.query<{ s: string; n: string }>("SELECT state AS s, count(*)::text AS n FROM measures.credit_commitment GROUP BY 1 ORDER BY 1");
  const mib = (x: string) => round(Number(x) / 2 ** 20, 1);
  return {
    creditRatings: await count("SELECT count(*)::text AS n FROM ratings.credit_rating"),
    creditRatingsInForce: await count("SELECT count(*)::text AS n FROM ratings.credit_rating WHERE valid_until >= CURRENT_DATE"),
    commitments: Object.fromEntries(states.map((r) => [r.s, Number(r.n)])),
    commitmentBreaches: await count("SELECT count(*)::text AS n FROM measures.commitment_breach"),
    databaseMiB: mib(s.db), creditRatingTotalMiB: mib(s.r), creditCommitmentTotalMiB: mib(s.c), commitmentBreachTotalMiB: mib(s.b),
  };
}

export async function run(argv: string[]): Promise<unknown> {
  const o = readOptions(argv);
  const load = loadAtStart();
  const cleanup = new Cleanup();
  try {
    const dataDir = await mkdtemp(join(tmpdir(), "hub-bench-credit-"));
    cleanup.add("remove data dir", () => rm(dataDir, { recursive: true, force: true }));
    // personal:read: half the probes are people, whose check needs it.
    const env = { HUB_AUTH_OFF_SCOPES: "credit:read,graph:read,personal:read", REDIS_URL: undefined, NATS_URL: undefined };
    const startHub = (cpuProfDir: string) => startHubProcess({ store: o.store, seedPerCity: o.seedPerCity, cpuProfDir, dataDir, env }, cleanup);

    // 1. The hub once: migrations and demo data. On PostgreSQL it is the one measured.
    let hub = await startHub(o.store === "postgres" ? o.cpuProf : "");
    const firstStartSec = hub.startSec;
    const db = await openBenchSql(o.store, hub);
    cleanup.add("close bench connection", db.close);
    // 2. Generation: the lists bench's entries (three per subject), then ratings and commitments.
    const today = todayUtc();
    const gen = await generateEntries(db.sql, { entries: 3 * o.subjects, probeCount: o.probeCount, chunk: o.chunk, store: o.store });
    const records = await generateRatingsAndCommitments(db.sql, { subjects: o.subjects, chunk: o.chunk, probes: gen.probes, today, store: o.store });
    const probes: CheckProbe[] = [...gen.probes, { subject: records.recordProbes.empty, kind: "ENTERPRISE" }, { subject: records.recordProbes.busy, kind: "ENTERPRISE" }];
    // 3. Every answer the load may get, and the plans of the access paths.
    log(`expected answers for ${probes.length} probes × ${MATTERS.length} matters`);
    const expected = await expectedAnswers(db.sql, probes, today);
    const accessPaths = await explainAccessPaths(db.sql, records.recordProbes.busy);
    const data: Record<string, unknown> = { ...gen.data, ...(await sizes(db.sql)) };
    // 4. The hub on the data.
    if (o.store === "embedded") {
      await db.close();
      data.embeddedDataDirMiB = duMiB(join(dataDir, "pg"));
      hub = await startHub(o.cpuProf);
    }
    cleanup.add("stop load", stopLoads);
    const probe = (name: string, subject: string) => ({ name, subject, matter: "tendering", expected: expected.get(`${subject}|tendering`) });
    log(`statements per call: ${o.calls} sequential checks each for a subject with no record and one with many`);
    const statements = await statementsPerCall(hub.ready.url, hub.ready.subgraphs.measures, o.store === "postgres" ? db.sql : null,
      [probe("noRecords", records.recordProbes.empty), probe("manyRecords", records.recordProbes.busy)], o.calls);
    const checks = checkLoad(hub.ready.url, probes, expected);
    const hubIdleCpuCores = await idleCpuCores(hub);
    log(`hub idle CPU: ${hubIdleCpuCores} cores`);
    const loadWindow = { fromUs: monotonicUs(), toUs: 0 };
    const creditCheck = await measureLevels("creditCheck", checks.load, { hub, levels: o.levels, warmupSec: o.warmupSec, durationSec: o.durationSec });
    loadWindow.toUs = monotonicUs();
    const hubRss = rssMiB(hub.child.proc.pid);

    await cleanup.run();
    const expectedWithMeasures = [...expected.values()].filter((e) => e.measures > 0).length;
    return {
      bench: "credit-check",
      config: {
        store: o.store, subjects: o.subjects, durationSec: o.durationSec, warmupSec: o.warmupSec, connections: o.levels, probes: probes.length, matters: MATTERS,
        ...machine(load), hubStartSec: { first: firstStartSec, onData: hub.startSec }, query: CHECK_QUERY,
      },
      generation: { listEntriesInsertSec: gen.insertSec, listEntriesVacuumAnalyzeSec: gen.analyzeSec, ratingsAndCommitmentsInsertSec: records.insertSec, ratingsAndCommitmentsVacuumAnalyzeSec: records.vacuumAnalyzeSec, ...data },
      expected: { probeMatterPairs: expected.size, withMeasures: expectedWithMeasures, restricted: [...expected.values()].filter((e) => e.restricted).length, recordProbes: records.recordProbes },
      accessPaths,
      statementsPerCall: statements,
      gateway: { creditCheck: { ...creditCheck, answers: checks.tally } },
      target: againstTarget(o, creditCheck),
      hub: { idleCpuCores: hubIdleCpuCores, rssMiB: hubRss, shutdown: hub.exit.value },
      cpuProfile: o.cpuProf ? { window: "the load (warm-up and every level), not start-up or generation", ...topFrames(o.cpuProf, loadWindow) } : null,
      notes: NOTES,
    };
  } finally {
    await cleanup.run();
  }
}
