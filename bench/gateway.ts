// `npm run bench -- gateway [--duration 15] [--connections 32] [--warmup 3]
//   [--store postgres|embedded] [--seed-per-city 500] [--cpu-prof <dir>]`
//
// Throughput and latency of one federated query through (a) our gateway, (b) the
// enterprise subgraph alone and (c) a stock Apollo gateway over the same subgraphs,
// so the report separates federation's cost from our gateway's own overhead.
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseFlags, positiveNumber } from "./args.js";
import { Cleanup } from "./cleanup.js";
import { createBenchDatabase } from "./database.js";
import { rssMiB, spawnNode, type Child } from "./children.js";
import { runLoad, type LoadSummary } from "./load.js";

const ENTERPRISE_FIELDS = `uscc name registeredCity { name }
  administrativeLicenses { decisionNumber authority issuingCity { name } }
  administrativePenalties(includeExpired: true) { decisionNumber publicityUntil }`;
/** Crosses to the individual subgraph for the legal representative's name. */
export const FEDERATED_QUERY = `{ enterprises(first: 20) { edges { node { ${ENTERPRISE_FIELDS} legalRepresentative { name } } } } }`;
/** The same shape without the hop: what the enterprise subgraph answers alone. */
export const SUBGRAPH_QUERY = `{ enterprises(first: 20) { edges { node { ${ENTERPRISE_FIELDS} } } } }`;

interface HubReady {
  url: string;
  subgraphs: Record<string, string>;
}

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(url: string, query: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return { status: res.status, text: await res.text() };
}

/** One answer, checked to be a full page without GraphQL errors: benching an error path would flatter anyone. */
async function answer(target: string, url: string, query: string): Promise<string> {
  const { status, text } = await post(url, query);
  const body = JSON.parse(text) as { data?: { enterprises?: { edges?: unknown[] } }; errors?: unknown };
  if (status !== 200 || body.errors || body.data?.enterprises?.edges?.length !== 20) {
    throw new Error(`${target} answered ${status}: ${text.slice(0, 500)}`);
  }
  return text;
}

/** The SQL statement counter of the hub's store (every subgraph shares it, so any one will do). */
async function sqlStatements(subgraphUrl: string): Promise<number> {
  const text = await (await fetch(subgraphUrl.replace(/\/graphql$/, "/metrics"))).text();
  const m = /^hub_sql_statements_total\{[^}]*\} (\d+)$/m.exec(text);
  if (!m) throw new Error(`no hub_sql_statements_total in ${subgraphUrl} /metrics`);
  return Number(m[1]);
}

interface TargetResult extends LoadSummary {
  url: string;
  sqlStatementsPerRequest: number;
  rssMiB: Record<string, number | null>;
}

export async function run(argv: string[]): Promise<unknown> {
  const flags = parseFlags(argv, { duration: "15", connections: "32", warmup: "3", store: "postgres", "seed-per-city": "500", "cpu-prof": "" });
  const durationSec = positiveNumber(flags, "duration");
  const connections = positiveNumber(flags, "connections");
  const warmupSec = positiveNumber(flags, "warmup");
  const seedPerCity = positiveNumber(flags, "seed-per-city");
  if (flags.store !== "postgres" && flags.store !== "embedded") throw new Error(`--store is postgres or embedded, got '${flags.store}'`);

  const cleanup = new Cleanup();
  try {
    const dataDir = await mkdtemp(join(tmpdir(), "hub-bench-"));
    cleanup.add("remove data dir", () => rm(dataDir, { recursive: true, force: true }));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      HUB_DATA_DIR: dataDir,
      HUB_SEED_PER_CITY: String(seedPerCity),
      // info, not warn: the subgraph URLs are only in the "hub ready" info line.
      LOG_LEVEL: "info",
      NODE_ENV: "production",
    };
    delete env.DATABASE_URL; // embedded means embedded, whatever the caller's shell has
    if (flags.store === "postgres") {
      const db = await createBenchDatabase();
      cleanup.add(`drop database ${db.name}`, db.drop);
      env.DATABASE_URL = db.url;
      log(`database ${db.name}`);
    }

    log(`starting hub (${flags.store}, ${seedPerCity} enterprises per city)`);
    const started = Date.now();
    const hub = spawnNode({
      name: "hub",
      script: "scripts/start.ts",
      env,
      nodeArgs: flags["cpu-prof"] ? ["--cpu-prof", "--cpu-prof-dir", flags["cpu-prof"]] : [],
      pick: (line) => {
        if (!line.startsWith("{")) return undefined;
        const rec = JSON.parse(line) as { msg?: string; url?: string; subgraphs?: Record<string, string> };
        return rec.msg === "hub ready" && rec.url && rec.subgraphs ? ({ url: rec.url, subgraphs: rec.subgraphs } satisfies HubReady) : undefined;
      },
    });
    cleanup.add("stop hub", () => hub.stop());
    const ready = (await hub.ready) as HubReady;
    const hubStartSec = (Date.now() - started) / 1000;
    log(`hub ready in ${hubStartSec} s: ${ready.url}`);

    const stock: Child = spawnNode({
      name: "stock",
      script: "bench/stockGateway.ts",
      env: { ...process.env, BENCH_SUBGRAPHS: Object.entries(ready.subgraphs).map(([n, u]) => `${n}=${u}`).join(","), PORT: "0", NODE_ENV: "production" },
      pick: (line) => (line.startsWith('{"stockGateway"') ? (JSON.parse(line) as { stockGateway: string }).stockGateway : undefined),
      timeoutMs: 60_000,
    });
    cleanup.add("stop stock gateway", () => stock.stop());
    const stockUrl = (await stock.ready) as string;
    log(`stock gateway ready: ${stockUrl}`);

    const targets = [
      { name: "gateway", url: ready.url, query: FEDERATED_QUERY },
      { name: "subgraph", url: ready.subgraphs.enterprise, query: SUBGRAPH_QUERY },
      { name: "stockGateway", url: stockUrl, query: FEDERATED_QUERY },
    ];
    const answers: Record<string, string> = {};
    for (const t of targets) answers[t.name] = await answer(t.name, t.url, t.query);
    // Neither gateway sees personal data here (ours masks on output, the subgraphs mask for the
    // stock one, which sends no secret), so the two answers must be byte-for-byte the same.
    const sameAnswers = answers.gateway === answers.stockGateway;
    if (!sameAnswers) log(`answers differ:\n ours: ${answers.gateway.slice(0, 400)}\nstock: ${answers.stockGateway.slice(0, 400)}`);

    const results: Record<string, TargetResult> = {};
    for (const t of targets) {
      const body = JSON.stringify({ query: t.query });
      log(`${t.name}: warm-up ${warmupSec} s`);
      await runLoad({ url: t.url, body, connections, durationSec: warmupSec });
      log(`${t.name}: measuring ${durationSec} s with ${connections} connections`);
      const before = await sqlStatements(ready.subgraphs.enterprise);
      const load = await runLoad({ url: t.url, body, connections, durationSec, expectBody: answers[t.name] });
      await sleep(300); // requests still in flight when autocannon stopped finish their SQL
      const after = await sqlStatements(ready.subgraphs.enterprise);
      const rss: Record<string, number | null> = { hub: rssMiB(hub.proc.pid) };
      if (t.name === "stockGateway") rss.stockGateway = rssMiB(stock.proc.pid);
      results[t.name] = {
        url: t.url,
        ...load,
        sqlStatementsPerRequest: load.responses ? Math.round(((after - before) / load.responses) * 100) / 100 : 0,
        rssMiB: rss,
      };
      log(`${t.name}: ${load.requestsPerSec} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms`);
    }

    const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : null);
    return {
      bench: "gateway",
      config: {
        store: flags.store,
        seedPerCity,
        durationSec,
        warmupSec,
        connections,
        hubStartSec,
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        query: FEDERATED_QUERY,
        subgraphQuery: SUBGRAPH_QUERY,
        notes: [
          "one hub process runs our gateway and both subgraphs on one event loop; the stock gateway is its own process, so it gets a core the hub's gateway shares with the subgraphs",
          "the stock gateway sends no gateway secret: the subgraphs mask personal fields for it, our gateway masks them on output",
          "sqlStatementsPerRequest: delta of hub_sql_statements_total over the measured run / responses",
        ],
      },
      targets: results,
      ratios: {
        oursOverStockThroughput: ratio(results.gateway.requestsPerSec, results.stockGateway.requestsPerSec),
        oursOverSubgraphThroughput: ratio(results.gateway.requestsPerSec, results.subgraph.requestsPerSec),
        oursOverStockP50Latency: ratio(results.gateway.latencyMs.p50, results.stockGateway.latencyMs.p50),
      },
      sameAnswers,
    };
  } finally {
    log("cleaning up");
    await cleanup.run();
  }
}
