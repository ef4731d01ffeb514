// `npm run bench -- gateway [--duration 15] [--connections 32] [--warmup 3]
//   [--store postgres|embedded] [--seed-per-city 500] [--cpu-prof <dir>]`
//
// Throughput and latency of one federated query through (a) our gateway, (b) the
// enterprise subgraph alone and (c) a stock Apollo gateway over the same subgraphs,
// so the report separates federation's cost from our gateway's own overhead.
// BENCH_DATABASE_URL: the PostgreSQL server to create the throw-away database on.
// BENCH_TOKEN: a partner token for our gateway (else the hub runs with HUB_AUTH=off).
import { parseFlags, positiveNumber } from "./args.js";
import { Cleanup } from "./cleanup.js";
import { cpuMs, rssMiB, type Child } from "./children.js";
import { fetchAnswer, firstDifference, maskLegalRepresentatives } from "./answers.js";
import { loadAtStart, log, machine, round } from "./figures.js";
import { settledStatements } from "./hubMetrics.js";
import { startHubProcess, startStockGateway, type HubProcess } from "./hubProcess.js";
import { runLoad, stopLoads, type LoadSummary } from "./load.js";
import { IDENTITY_HEADER, signIdentity } from "../lib/auth/internalToken.js";
import { parseScopes } from "../lib/auth/identity.js";

const ENTERPRISE_FIELDS = `uscc name registeredCity { name } administrativeLicenses { decisionNumber authority issuingCity { name } } administrativePenalties(includeExpired: true) { decisionNumber publicityUntil }`;
/** Crosses to the individual subgraph for the legal representative's name. */
export const FEDERATED_QUERY = `{ enterprises(first: 20) { edges { node { ${ENTERPRISE_FIELDS} legalRepresentative { name } } } } }`;
/** The same shape without the hop: what the enterprise subgraph answers alone. */
export const SUBGRAPH_QUERY = `{ enterprises(first: 20) { edges { node { ${ENTERPRISE_FIELDS} } } } }`;

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

interface Settings {
  durationSec: number;
  connections: number;
  warmupSec: number;
  /** Where the hub's SQL statement counter is read. */
  statementsFrom: string;
}

/** Our gateway, the enterprise subgraph alone, and the stock gateway when it started. */
async function startTargets(hub: HubProcess, token: string | undefined, cleanup: Cleanup, results: Record<string, TargetResult>): Promise<Target[]> {
  const ourHeaders = async (): Promise<Record<string, string>> => (token ? { authorization: `Bearer ${token}` } : {});
  // What our gateway would send the subgraphs for a partner with HUB_AUTH=off's default scopes.
  const identity = async () => ({
    [IDENTITY_HEADER]: await signIdentity({ sub: "bench", city: "610800", scopes: parseScopes("credit:read graph:read"), requestId: "bench" }, hub.gatewaySecret),
  });
  const stock = await startStockGateway(hub.ready.subgraphs, [IDENTITY_HEADER], cleanup);
  const targets: Target[] = [
    { name: "gateway", url: hub.ready.url, query: FEDERATED_QUERY, headers: ourHeaders, processes: { hub: hub.child } },
    { name: "subgraph", url: hub.ready.subgraphs.enterprise, query: SUBGRAPH_QUERY, headers: identity, processes: { hub: hub.child } },
  ];
  if ("url" in stock) targets.push({ name: "stockGateway", url: stock.url, query: FEDERATED_QUERY, headers: identity, processes: { hub: hub.child, stockGateway: stock.child } });
  else results.stockGateway = { skipped: stock.problem };
  return targets;
}

/** Each target's answer, checked before it is benched (a fast error is not a fast answer); a target that fails is dropped. */
async function verifiedAnswers(targets: Target[], results: Record<string, TargetResult>): Promise<Record<string, string>> {
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
  return answers;
}

/**
 * Same records from both gateways, or the first difference says why. Ours masks personal
 * fields on output and the stock one cannot (no plugin; older subgraphs masked for it), so
 * its answer is also compared with the one personal field masked as ours masks it.
 */
function compareAnswers(answers: Record<string, string>) {
  const stockAnswer = answers.stockGateway ? (JSON.parse(answers.stockGateway) as unknown) : undefined;
  const difference = stockAnswer ? firstDifference(JSON.parse(answers.gateway), stockAnswer) : null;
  const differenceAfterMasking = stockAnswer ? firstDifference(JSON.parse(answers.gateway), maskLegalRepresentatives(stockAnswer)) : null;
  if (difference) log(`answers differ at ${difference.path}: ours ${String(difference.ours)}, stock ${String(difference.theirs)}`);
  return {
    sameAnswers: stockAnswer ? difference === null : null,
    answerDifference: difference,
    // The stock gateway has no masking plugin: equal after masking means the same records.
    sameAnswersAfterMaskingStock: stockAnswer ? differenceAfterMasking === null : null,
    answerDifferenceAfterMaskingStock: differenceAfterMasking,
  };
}

/** Warm-up, then the measured run with the SQL statements and CPU it cost per request. */
async function measureTarget(t: Target, expectBody: string, s: Settings): Promise<TargetResult> {
  const body = JSON.stringify({ query: t.query });
  const headers = await t.headers();
  log(`${t.name}: warm-up ${s.warmupSec} s`);
  await runLoad({ url: t.url, body, headers, connections: s.connections, durationSec: s.warmupSec });
  log(`${t.name}: measuring ${s.durationSec} s with ${s.connections} connections`);
  const sqlBefore = await settledStatements(s.statementsFrom);
  const cpuBefore = Object.fromEntries(Object.entries(t.processes).map(([n, c]) => [n, cpuMs(c.proc.pid)]));
  const load = await runLoad({ url: t.url, body, headers, connections: s.connections, durationSec: s.durationSec, expectBody });
  const sqlAfter = await settledStatements(s.statementsFrom);
  // Per request sent, not per response: the server also served those cut off at the stop.
  const perRequest = (delta: number) => (load.sent ? round(delta / load.sent, 3) : 0);
  const cpu: Record<string, number | null> = {};
  const rss: Record<string, number | null> = {};
  for (const [n, c] of Object.entries(t.processes)) {
    const after = cpuMs(c.proc.pid);
    cpu[n] = after !== null && cpuBefore[n] !== null ? perRequest(after - cpuBefore[n]!) : null;
    rss[n] = rssMiB(c.proc.pid);
  }
  log(`${t.name}: ${load.requestsPerSec} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms`);
  return { url: t.url, ...load, sqlStatementsPerRequest: perRequest(sqlAfter - sqlBefore), cpuMsPerRequest: cpu, rssMiB: rss };
}

const NOTES = [
  "one hub process runs our gateway and both subgraphs on one event loop; the stock gateway runs in its own process, so its gateway work does not compete with the subgraphs for a core",
  "the bench offers the hub HUB_GATEWAY_SECRET and signs with it the identity our subgraphs require from the gateway (scopes credit:read graph:read, no personal:read); it sends that to the subgraph directly and through the stock gateway, which forwards it. A hub that keeps a secret of its own refuses both: they are then reported as skipped",
  "sqlStatementsPerRequest: delta of hub_sql_statements_total over the measured run (settled) / requests sent; cpuMsPerRequest: user+system CPU of each process over the same span / requests sent",
  "the hub runs with HUB_RATE_PER_SECOND/HUB_RATE_BURST raised: one partner sends every request, and the bench measures serving, not the rate limit",
  "mismatches: responses whose body differs from the answer verified before the run (e.g. a 200 carrying errors)",
];

function throughputRatios(results: Record<string, TargetResult>) {
  const rps = (name: string) => {
    const r = results[name];
    return r && "requestsPerSec" in r ? r.requestsPerSec : null;
  };
  const ratio = (a: number | null, b: number | null) => (a !== null && b ? round(a / b, 3) : null);
  return {
    oursOverStockThroughput: ratio(rps("gateway"), rps("stockGateway")),
    oursOverSubgraphThroughput: ratio(rps("gateway"), rps("subgraph")),
  };
}

export async function run(argv: string[]): Promise<unknown> {
  const flags = parseFlags(argv, { duration: "15", connections: "32", warmup: "3", store: "postgres", "seed-per-city": "500", "cpu-prof": "" });
  const durationSec = positiveNumber(flags, "duration");
  const connections = positiveNumber(flags, "connections");
  const warmupSec = positiveNumber(flags, "warmup");
  const seedPerCity = positiveNumber(flags, "seed-per-city");
  if (flags.store !== "postgres" && flags.store !== "embedded") throw new Error(`--store is postgres or embedded, got '${flags.store}'`);
  const token = process.env.BENCH_TOKEN;
  if (warmupSec + durationSec > 100) log("warm-up + duration over 100 s: identity tokens for the subgraphs expire after 2 min");

  const load = loadAtStart();
  const cleanup = new Cleanup();
  try {
    const hub = await startHubProcess({ store: flags.store, seedPerCity, cpuProfDir: flags["cpu-prof"], token }, cleanup);
    const results: Record<string, TargetResult> = {};
    const targets = await startTargets(hub, token, cleanup, results);
    const answers = await verifiedAnswers(targets, results);
    const comparison = compareAnswers(answers);
    cleanup.add("stop load", stopLoads); // first on Ctrl-C: before the servers go
    const settings = { durationSec, connections, warmupSec, statementsFrom: hub.ready.subgraphs.enterprise };
    for (const t of targets) results[t.name] = await measureTarget(t, answers[t.name], settings);

    await cleanup.run(); // now, so the report can say how the hub shut down
    return {
      bench: "gateway",
      config: {
        store: flags.store, seedPerCity, durationSec, warmupSec, connections,
        auth: token ? "BENCH_TOKEN" : "HUB_AUTH=off",
        hubStartSec: hub.startSec,
        ...machine(load),
        query: FEDERATED_QUERY,
        subgraphQuery: SUBGRAPH_QUERY,
        notes: NOTES,
      },
      targets: { gateway: results.gateway, subgraph: results.subgraph, stockGateway: results.stockGateway },
      ratios: throughputRatios(results),
      ...comparison,
      hubShutdown: hub.exit.value,
    };
  } finally {
    await cleanup.run();
  }
}
