// `npm run bench -- gateway [--duration 15] [--connections 32] [--warmup 3]
//   [--store postgres|embedded] [--seed-per-city 500] [--cpu-prof <dir>]`
//
// Throughput and latency of one federated query through (a) our gateway, (b) the
// enterprise subgraph alone and (c) a stock Apollo gateway over the same subgraphs,
// so the report separates federation's cost from our gateway's own overhead.
// BENCH_DATABASE_URL: the PostgreSQL server to create the throw-away database on.
// BENCH_TOKEN: a partner token for our gateway (else the hub runs with HUB_AUTH=off).
import { cpus } from "node:os";
import { parseFlags, positiveNumber } from "./args.js";
import { Cleanup } from "./cleanup.js";
import { cpuMs, rssMiB, type Child } from "./children.js";
import { fetchAnswer, firstDifference } from "./answers.js";
import { startHubProcess, startStockGateway } from "./hubProcess.js";
import { runLoad, type LoadSummary } from "./load.js";

const ENTERPRISE_FIELDS = `uscc name registeredCity { name } administrativeLicenses { decisionNumber authority issuingCity { name } } administrativePenalties(includeExpired: true) { decisionNumber publicityUntil }`;
/** Crosses to the individual subgraph for the legal representative's name. */
export const FEDERATED_QUERY = `{ enterprises(first: 20) { edges { node { ${ENTERPRISE_FIELDS} legalRepresentative { name } } } } }`;
/** The same shape without the hop: what the enterprise subgraph answers alone. */
export const SUBGRAPH_QUERY = `{ enterprises(first: 20) { edges { node { ${ENTERPRISE_FIELDS} } } } }`;

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The SQL statement counter of the hub's store (every subgraph shares it, so any one will do). */
async function sqlStatements(subgraphUrl: string): Promise<number> {
  const text = await (await fetch(subgraphUrl.replace(/\/graphql$/, "/metrics"))).text();
  const m = /^hub_sql_statements_total\{[^}]*\} (\d+)$/m.exec(text);
  if (!m) throw new Error(`no hub_sql_statements_total in ${subgraphUrl} /metrics`);
  return Number(m[1]);
}

interface Target {
  name: "gateway" | "subgraph" | "stockGateway";
  url: string;
  query: string;
  headers: Record<string, string>;
  /** The processes whose CPU and memory this target's requests cost. */
  processes: Record<string, Child>;
}

type TargetResult = (LoadSummary & { url: string; sqlStatementsPerRequest: number; cpuMsPerRequest: Record<string, number | null>; rssMiB: Record<string, number | null> }) | { skipped: string };

export async function run(argv: string[]): Promise<unknown> {
  const flags = parseFlags(argv, { duration: "15", connections: "32", warmup: "3", store: "postgres", "seed-per-city": "500", "cpu-prof": "" });
  const durationSec = positiveNumber(flags, "duration");
  const connections = positiveNumber(flags, "connections");
  const warmupSec = positiveNumber(flags, "warmup");
  const seedPerCity = positiveNumber(flags, "seed-per-city");
  if (flags.store !== "postgres" && flags.store !== "embedded") throw new Error(`--store is postgres or embedded, got '${flags.store}'`);
  const token = process.env.BENCH_TOKEN;
  const ourHeaders: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};

  const cleanup = new Cleanup();
  try {
    const hub = await startHubProcess({ store: flags.store, seedPerCity, cpuProfDir: flags["cpu-prof"], token }, cleanup);
    const stock = await startStockGateway(hub.ready.subgraphs, cleanup);
    const statementsFrom = hub.ready.subgraphs.enterprise;

    const targets: Target[] = [
      { name: "gateway", url: hub.ready.url, query: FEDERATED_QUERY, headers: ourHeaders, processes: { hub: hub.child } },
      { name: "subgraph", url: hub.ready.subgraphs.enterprise, query: SUBGRAPH_QUERY, headers: {}, processes: { hub: hub.child } },
    ];
    const results: Record<string, TargetResult> = {};
    if ("url" in stock) targets.push({ name: "stockGateway", url: stock.url, query: FEDERATED_QUERY, headers: {}, processes: { hub: hub.child, stockGateway: stock.child } });
    else results.stockGateway = { skipped: stock.problem };

    const answers: Record<string, string> = {};
    for (const t of [...targets]) {
      const a = await fetchAnswer(t.url, t.query, t.headers);
      if (a.problem && t.name === "gateway") throw new Error(`our gateway cannot answer the bench query: ${a.problem}`);
      if (a.problem) {
        log(`${t.name}: not benched: ${a.problem}`);
        results[t.name] = { skipped: a.problem };
        targets.splice(targets.indexOf(t), 1);
      } else answers[t.name] = a.text;
    }
    // Neither gateway may show personal data here (ours masks on output; the subgraphs
    // mask for the stock one, which sends no gateway secret), so the answers should match.
    const difference = answers.stockGateway ? firstDifference(JSON.parse(answers.gateway), JSON.parse(answers.stockGateway)) : null;
    const sameAnswers = answers.stockGateway ? difference === null : null;
    if (difference) log(`answers differ at ${difference.path}: ours ${String(difference.ours)}, stock ${String(difference.theirs)}`);

    for (const t of targets) {
      const body = JSON.stringify({ query: t.query });
      log(`${t.name}: warm-up ${warmupSec} s`);
      await runLoad({ url: t.url, body, headers: t.headers, connections, durationSec: warmupSec });
      log(`${t.name}: measuring ${durationSec} s with ${connections} connections`);
      const sqlBefore = await sqlStatements(statementsFrom);
      const cpuBefore = Object.fromEntries(Object.entries(t.processes).map(([n, c]) => [n, cpuMs(c.proc.pid)]));
      const load = await runLoad({ url: t.url, body, headers: t.headers, connections, durationSec, expectBody: answers[t.name] });
      await sleep(300); // requests still in flight when autocannon stopped finish their SQL
      const sqlAfter = await sqlStatements(statementsFrom);
      const perRequest = (delta: number) => (load.responses ? round(delta / load.responses, 3) : 0);
      const cpu: Record<string, number | null> = {};
      const rss: Record<string, number | null> = {};
      for (const [n, c] of Object.entries(t.processes)) {
        const after = cpuMs(c.proc.pid);
        cpu[n] = after !== null && cpuBefore[n] !== null ? perRequest(after - cpuBefore[n]!) : null;
        rss[n] = rssMiB(c.proc.pid);
      }
      results[t.name] = { url: t.url, ...load, sqlStatementsPerRequest: perRequest(sqlAfter - sqlBefore), cpuMsPerRequest: cpu, rssMiB: rss };
      log(`${t.name}: ${load.requestsPerSec} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms`);
    }

    const rps = (name: string) => {
      const r = results[name];
      return r && "requestsPerSec" in r ? r.requestsPerSec : null;
    };
    const ratio = (a: number | null, b: number | null) => (a !== null && b ? round(a / b, 3) : null);
    await cleanup.run(); // now, so the report can say how the hub shut down
    return {
      bench: "gateway",
      config: {
        store: flags.store,
        seedPerCity,
        durationSec,
        warmupSec,
        connections,
        auth: token ? "BENCH_TOKEN" : "HUB_AUTH=off",
        hubStartSec: hub.startSec,
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        query: FEDERATED_QUERY,
        subgraphQuery: SUBGRAPH_QUERY,
        notes: [
          "one hub process runs our gateway and both subgraphs on one event loop; the stock gateway runs in its own process, so its gateway work does not compete with the subgraphs for a core",
          "the stock gateway sends no gateway secret: the subgraphs mask personal fields for it, our gateway masks them on output",
          "sqlStatementsPerRequest: delta of hub_sql_statements_total over the measured run / responses; cpuMsPerRequest: user+system CPU of each process over the run / responses",
          "mismatches: responses whose body differs from the answer verified before the run (e.g. a 200 carrying errors)",
        ],
      },
      targets: results,
      ratios: {
        oursOverStockThroughput: ratio(rps("gateway"), rps("stockGateway")),
        oursOverSubgraphThroughput: ratio(rps("gateway"), rps("subgraph")),
      },
      sameAnswers,
      answerDifference: difference,
      hubShutdown: hub.exit.value,
    };
  } finally {
    await cleanup.run();
  }
}
