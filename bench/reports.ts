// `npm run bench -- reports [--per-city 2000] [--store embedded|postgres] [--reports 200] [--connections 1]`
//
// issueCreditReport and verifyCreditReport latency through the gateway: start the hub as
// `npm start` runs it (auth off, acting for 榆林 with reports:write), page through the seeded
// enterprises for subjects, issue --reports reports on distinct subjects with --connections in
// flight, then verify each. Every answer is checked (an issued report has a 64-digit hash, a
// verification says authentic). The subject count is 6 × --per-city: the issue's target is
// 1,000,000 (--per-city 166667), whose seeding alone takes minutes; say which size a run had.
import { parseFlags, positiveNumber } from "./args.js";
import { Cleanup } from "./cleanup.js";
import { loadAtStart, log, machine, percentile, round } from "./figures.js";
import { startHubProcess } from "./hubProcess.js";

const ISSUE = `mutation($s: ID!) { issueCreditReport(subject: $s, purpose: "bench") { id hash } }`;
const VERIFY = `query($id: ID!, $h: String!) { verifyCreditReport(id: $id, hash: $h) { authentic statusChanged } }`;
const PAGE = `query($a: String) { enterprises(first: 100, after: $a) { edges { node { uscc } } pageInfo { hasNextPage endCursor } } }`;

async function ask<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (!body.data || body.errors?.length) throw new Error(`${res.status}: ${body.errors?.map((e) => e.message).join("; ")}`);
  return body.data;
}

/** Runs `work` over the items with `connections` in flight; the latency of each, in ms, ascending. */
async function timed<I>(items: I[], connections: number, work: (item: I) => Promise<void>): Promise<{ ms: number[]; wallSec: number }> {
  const ms: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (next < items.length) {
      const item = items[next++];
      const t = performance.now();
      await work(item);
      ms.push(performance.now() - t);
    }
  }));
  return { ms: ms.sort((a, b) => a - b), wallSec: (performance.now() - t0) / 1000 };
}

const figures = (r: { ms: number[]; wallSec: number }) => ({
  count: r.ms.length, perSecond: round(r.ms.length / r.wallSec), latencyMs: { p50: round(percentile(r.ms, 50)), p95: round(percentile(r.ms, 95)), p99: round(percentile(r.ms, 99)), max: round(r.ms.at(-1) ?? 0) },
});

export async function run(argv: string[]): Promise<unknown> {
  const flags = parseFlags(argv, { "per-city": "2000", store: "embedded", reports: "200", connections: "1", "ready-timeout": "3600" });
  const perCity = Math.floor(positiveNumber(flags, "per-city"));
  const count = Math.floor(positiveNumber(flags, "reports"));
  const connections = Math.floor(positiveNumber(flags, "connections"));
  if (flags.store !== "embedded" && flags.store !== "postgres") throw new Error(`--store is postgres or embedded, got '${flags.store}'`);
  const load = loadAtStart();
  const cleanup = new Cleanup();
  try {
    // Seeding 1,000,000 subjects and the graph's first sync take minutes before the hub is ready.
    const hub = await startHubProcess({ store: flags.store, seedPerCity: perCity, cpuProfDir: "", readyTimeoutSec: positiveNumber(flags, "ready-timeout"), env: { HUB_DEMO: "true", HUB_AUTH_OFF_CITY: "610800", HUB_AUTH_OFF_SCOPES: "credit:read,reports:write", REDIS_URL: undefined, NATS_URL: undefined } }, cleanup);
    const subjects: string[] = [];
    for (let after: string | null = null; subjects.length < count;) {
      const page: { enterprises: { edges: Array<{ node: { uscc: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await ask(hub.ready.url, PAGE, { a: after });
      subjects.push(...page.enterprises.edges.map((e) => e.node.uscc));
      if (!page.enterprises.pageInfo.hasNextPage) break;
      after = page.enterprises.pageInfo.endCursor;
    }
    const chosen = subjects.slice(0, count);
    // A hub that seeded nothing (a PostgreSQL store has no demo data unless HUB_DEMO=true) measures nothing.
    if (chosen.length < count) throw new Error(`the hub holds ${chosen.length} enterprises, fewer than the ${count} reports asked for`);
    log(`issuing ${chosen.length} reports, ${connections} in flight`);
    const issued: Array<{ id: string; hash: string }> = [];
    const issue = await timed(chosen, connections, async (s) => {
      const r = await ask<{ issueCreditReport: { id: string; hash: string } }>(hub.ready.url, ISSUE, { s });
      if (!/^[0-9a-f]{64}$/.test(r.issueCreditReport.hash)) throw new Error(`report on ${s} came back without a hash`);
      issued.push(r.issueCreditReport);
    });
    log(`verifying ${issued.length} reports`);
    const verify = await timed(issued, connections, async (r) => {
      const v = await ask<{ verifyCreditReport: { authentic: boolean } }>(hub.ready.url, VERIFY, { id: r.id, h: r.hash });
      if (!v.verifyCreditReport.authentic) throw new Error(`report ${r.id} did not verify`);
    });
    return {
      bench: "reports", store: flags.store, subjects: perCity * 6, hubStartSec: hub.startSec, connections,
      issue: figures(issue), verify: figures(verify),
      notes: [
        "issue: snapshot through the enterprise, lists and ratings contracts (three subgraph calls in parallel), canonical JSON, SHA-256, Ed25519, one insert with its outbox row",
        "verify: the report and its key from the store, hash and signature checked, the same three contracts asked again for the status diff",
        `subjects: 6 × --per-city; the issue's target is 1,000,000 subjects, this run had ${(perCity * 6).toLocaleString("en")}`,
      ],
      machine: machine(load),
    };
  } finally {
    await cleanup.run();
  }
}
