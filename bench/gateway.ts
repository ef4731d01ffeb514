// `npm run bench -- gateway [--duration 15] [--connections 32] [--warmup 3]
//   [--store postgres|embedded] [--seed-per-city 500] [--cpu-prof <dir>]`
//
// Throughput and latency of one federated query through (a) our gateway, (b) the
// enterprise subgraph alone and (c) a stock Apollo gateway over the same subgraphs,
// so the report separates federation's cost from our gateway's own overhead.
// BENCH_DATABASE_URL: the PostgreSQL server to create the throw-away database on.
// BENCH_TOKEN: a partner token for our gateway (else the hub runs with HUB_AUTH=off).
import { cpus, loadavg } from "node:os";
import { parseFlags, positiveNumber } from "./args.js";
import { Cleanup } from "./cleanup.js";
import { cpuMs, rssMiB, type Child } from "./children.js";
import { fetchAnswer, firstDifference, maskLegalRepresentatives } from "./answers.js";
import { startHubProcess, startStockGateway } from "./hubProcess.js";
import { runLoad, stopLoads, type LoadSummary } from "./load.js";
import { IDENTITY_HEADER, signIdentity } from "../lib/auth/internalToken.js";
import { parseScopes } from "../lib/auth/identity.js";

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

/**
 * Waits until the hub's statement counter stops moving: requests still in flight when
 * autocannon stopped are finished by the server, and their SQL must land on the right side.
 */
async function settledStatements(subgraphUrl: string): Promise<number> {
  let last = await sqlStatements(subgraphUrl);
  for (let i = 0; i < 20; i++) {
    await sleep(250);
    const now = await sqlStatements(subgraphUrl);
    if (now === last) return now;
    last = now;
  }
  return last;
}

interface Target {
  name: "gateway" | "subgraph" | "stockGateway";
  url: string;
  query: string;
  /** Called before each use: the identity token expires (2 min), so each run gets a fresh one. */
  headers: () => Promise<Record<string, string>>;
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
  const ourHeaders = async (): Promise<Record<string, string>> => (token ? { authorization: `Bearer ${token}` } : {});
  if (warmupSec + durationSec > 100) log("warm-up + duration over 100 s: identity tokens for the subgraphs expire after 2 min");

  // Throughput on a shared machine is only as good as its idleness: say how busy it was.
  const loadAtStart = loadavg().map((l) => round(l));
  if (loadAtStart[0] > cpus().length / 2) log(`load average ${loadAtStart[0]} on ${cpus().length} CPUs: other work will skew throughput`);
  const cleanup = new Cleanup();
  try {
    const hub = await startHubProcess({ store: flags.store, seedPerCity, cpuProfDir: flags["cpu-prof"], token }, cleanup);
    // What our gateway would send the subgraphs for a partner with HUB_AUTH=off's default scopes.
    const identity = async () => ({
      [IDENTITY_HEADER]: await signIdentity({ sub: "bench", city: "610800", scopes: parseScopes("credit:read graph:read"), requestId: "bench" }, hub.gatewaySecret),
    });
    const stock = await startStockGateway(hub.ready.subgraphs, [IDENTITY_HEADER], cleanup);
    const statementsFrom = hub.ready.subgraphs.enterprise;

    const targets: Target[] = [
      { name: "gateway", url: hub.ready.url, query: FEDERATED_QUERY, headers: ourHeaders, processes: { hub: hub.child } },
      { name: "subgraph", url: hub.ready.subgraphs.enterprise, query: SUBGRAPH_QUERY, headers: identity, processes: { hub: hub.child } },
    ];
    const results: Record<string, TargetResult> = {};
    if ("url" in stock) targets.push({ name: "stockGateway", url: stock.url, query: FEDERATED_QUERY, headers: identity, processes: { hub: hub.child, stockGateway: stock.child } });
    else results.stockGateway = { skipped: stock.problem };

    const answers: Record<string, string> = {};
    for (const t of [...targets]) {
      const a = await fetchAnswer(t.url, t.query, await t.headers());
      if (a.problem && t.name === "gateway") throw new Error(`our gateway cannot answer the bench query: ${a.problem}`);
      if (a.problem) {
        log(`${t.name}: not benched: ${a.problem}`);
        results[t.name] = { skipped: a.problem };
        targets.splice(targets.indexOf(t), 1);
      } else answers[t.name] = a.text;
    }
    // Same records from both gateways, or the first difference says why. Ours masks personal
    // fields on output and the stock one cannot (no plugin; older subgraphs masked for it), so
    // its answer is also compared with the one personal field masked as ours masks it.
    const stockAnswer = answers.stockGateway ? (JSON.parse(answers.stockGateway) as unknown) : undefined;
    const difference = stockAnswer ? firstDifference(JSON.parse(answers.gateway), stockAnswer) : null;
    const sameAnswers = stockAnswer ? difference === null : null;
    const differenceAfterMasking = stockAnswer ? firstDifference(JSON.parse(answers.gateway), maskLegalRepresentatives(stockAnswer)) : null;
    if (difference) log(`answers differ at ${difference.path}: ours ${String(difference.ours)}, stock ${String(difference.theirs)}`);

    cleanup.add("stop load", stopLoads); // first on Ctrl-C: before the servers go
    for (const t of targets) {
      const body = JSON.stringify({ query: t.query });
      const headers = await t.headers();
      log(`${t.name}: warm-up ${warmupSec} s`);
      await runLoad({ url: t.url, body, headers, connections, durationSec: warmupSec });
      log(`${t.name}: measuring ${durationSec} s with ${connections} connections`);
      const sqlBefore = await settledStatements(statementsFrom);
      const cpuBefore = Object.fromEntries(Object.entries(t.processes).map(([n, c]) => [n, cpuMs(c.proc.pid)]));
      const load = await runLoad({ url: t.url, body, headers, connections, durationSec, expectBody: answers[t.name] });
      const sqlAfter = await settledStatements(statementsFrom);
      // Per request sent, not per response: the server also served those cut off at the stop.
      const perRequest = (delta: number) => (load.sent ? round(delta / load.sent, 3) : 0);
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
        loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((l) => round(l)) },
        query: FEDERATED_QUERY,
        subgraphQuery: SUBGRAPH_QUERY,
        notes: [
          "one hub process runs our gateway and both subgraphs on one event loop; the stock gateway runs in its own process, so its gateway work does not compete with the subgraphs for a core",
          "the bench offers the hub HUB_GATEWAY_SECRET and signs with it the identity our subgraphs require from the gateway (scopes credit:read graph:read, no personal:read); it sends that to the subgraph directly and through the stock gateway, which forwards it. A hub that keeps a secret of its own refuses both: they are then reported as skipped",
          "sqlStatementsPerRequest: delta of hub_sql_statements_total over the measured run (settled) / requests sent; cpuMsPerRequest: user+system CPU of each process over the same span / requests sent",
          "the hub runs with HUB_RATE_PER_SECOND/HUB_RATE_BURST raised: one partner sends every request, and the bench measures serving, not the rate limit",
          "mismatches: responses whose body differs from the answer verified before the run (e.g. a 200 carrying errors)",
        ],
      },
      targets: { gateway: results.gateway, subgraph: results.subgraph, stockGateway: results.stockGateway },
      ratios: {
        oursOverStockThroughput: ratio(rps("gateway"), rps("stockGateway")),
        oursOverSubgraphThroughput: ratio(rps("gateway"), rps("subgraph")),
      },
      sameAnswers,
      answerDifference: difference,
      // The stock gateway has no masking plugin: equal after masking means the same records.
      sameAnswersAfterMaskingStock: stockAnswer ? differenceAfterMasking === null : null,
      answerDifferenceAfterMaskingStock: differenceAfterMasking,
      hubShutdown: hub.exit.value,
    };
  } finally {
    await cleanup.run();
  }
}
