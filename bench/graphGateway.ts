// The graph bench through the hub: `npm start` over the bench's graph directory
// (HUB_DATA_DIR/graph), started twice (the first start also migrates and seeds the demo
// records; the second is what a restart with that graph costs). relationPath is a root
// field, timed through the gateway. The Enterprise fields (affiliates, ultimateControllers,
// relatedPartyRisk) need an Enterprise the enterprise subgraph holds, and the generated
// ones live only in the graph, so they are timed on the relations subgraph directly
// (`_entities`, with the identity the gateway would send): HTTP, GraphQL and the store.
import { IDENTITY_HEADER, signIdentity } from "../lib/auth/internalToken.js";
import { parseScopes } from "../lib/auth/identity.js";
import { rssMiB } from "./children.js";
import type { Cleanup } from "./cleanup.js";
import { log, round } from "./figures.js";
import { AS_OF } from "./graphData.js";
import { summarise, type QueryFigures, type Subject } from "./graphQueries.js";
import { startHubProcess } from "./hubProcess.js";

const PATH_QUERY = `query ($from: ID!, $to: ID!) { relationPath(from: $from, to: $to, maxDepth: 6, asOf: "${AS_OF}") { length steps { type share } } }`;
const ENTITY_QUERIES = {
  affiliates2: `affiliates(depth: 2, first: 50, asOf: "${AS_OF}") { edges { node { distance riskFlags } } }`,
  affiliates3: `affiliates(depth: 3, first: 50, asOf: "${AS_OF}") { edges { node { distance riskFlags } } }`,
  ultimateControllers: `ultimateControllers(threshold: 0.25, asOf: "${AS_OF}") { effectiveShare controls }`,
  relatedPartyRisk: `relatedPartyRisk(asOf: "${AS_OF}") { score }`,
} as const;

interface Posted {
  ms: number;
  data: Record<string, unknown> | null;
  problem: string | null;
}

async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Posted> {
  const t = performance.now();
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: Array<{ message?: string }> };
    const ms = performance.now() - t;
    const problem = res.status !== 200 || body.errors?.length ? `HTTP ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 300)}` : null;
    return { ms, data: body.data ?? null, problem };
  } catch (err) {
    return { ms: performance.now() - t, data: null, problem: `request failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** What an entity answer must show, from the subject's group (lighter than the store checks: the answer is a page). */
function entityProblems(name: keyof typeof ENTITY_QUERIES, s: Subject, e: Record<string, unknown>): string[] {
  if (name === "ultimateControllers") {
    const want = s.n.controllers(s.uscc, 0.25).size;
    const got = (e.ultimateControllers as unknown[]).length;
    return got === want ? [] : [`${got} controllers, expected ${want}`];
  }
  if (name === "relatedPartyRisk") {
    const score = (e.relatedPartyRisk as { score: number }).score;
    return score >= 0 && score <= 1 ? [] : [`score ${score}`];
  }
  const direct = s.n.incident(s.uscc).length > 0;
  const got = (e[name === "affiliates2" ? "affiliates2" : "affiliates3"] as { edges: unknown[] }).edges.length;
  return direct && got === 0 ? ["no affiliates for a subject with neighbours"] : [];
}

/** Affiliates on the page, controllers, or 1 for a risk score. */
function answerSize(entity: Record<string, unknown>): number {
  const v = Object.values(entity)[0];
  if (Array.isArray(v)) return v.length;
  const edges = (v as { edges?: unknown[] } | null)?.edges;
  return edges ? edges.length : 1;
}

export interface GatewayFigures {
  hubStart: { firstStartSec: number; secondStartSec: number };
  gateway: { relationPathSameGroup: QueryFigures };
  relationsSubgraph: Record<string, QueryFigures>;
  hubRssMiB: number | null;
}

export async function measureGateway(o: { dataDir: string; subjects: Subject[]; warmup: Subject[]; budgetSec: number }, cleanup: Cleanup): Promise<GatewayFigures> {
  const env = { HUB_AUTH_OFF_SCOPES: "credit:read,graph:read", REDIS_URL: undefined, NATS_URL: undefined };
  const first = await startHubProcess({ store: "embedded", seedPerCity: 5, cpuProfDir: "", dataDir: o.dataDir, env }, cleanup);
  await first.child.stop(30_000);
  const hub = await startHubProcess({ store: "embedded", seedPerCity: 5, cpuProfDir: "", dataDir: o.dataDir, env }, cleanup);
  const identity = async () => ({
    [IDENTITY_HEADER]: await signIdentity({ sub: "bench", city: "610800", scopes: parseScopes("credit:read graph:read"), requestId: "bench" }, hub.gatewaySecret),
  });

  const timed = async (call: (s: Subject) => Promise<{ posted: Posted; problems: string[]; size: number }>) => {
    for (const s of o.warmup) await call(s);
    const ms: number[] = [], sizes: number[] = [], problems: string[][] = [];
    const until = performance.now() + o.budgetSec * 1000;
    let stopped = false;
    for (const s of o.subjects) {
      if (performance.now() > until) {
        stopped = true;
        break;
      }
      const { posted, problems: p, size } = await call(s);
      ms.push(posted.ms);
      sizes.push(size);
      problems.push([...(posted.problem ? [posted.problem] : []), ...p].map((x) => `${s.uscc}: ${x}`));
    }
    return summarise(ms, sizes, problems, stopped);
  };

  const relationPathSameGroup = await timed(async (s) => {
    const posted = await post(hub.ready.url, PATH_QUERY, { from: s.uscc, to: s.near.id }, {});
    const path = posted.data?.relationPath as { length: number } | null | undefined;
    const known = s.near.within;
    const problems = s.near.id === s.uscc || known === undefined || (path && path.length <= known) ? [] : [`path ${JSON.stringify(path)}, known one of ${known}`];
    return { posted, problems, size: path?.length ?? 0 };
  });
  log(`gateway relationPath: p50 ${relationPathSameGroup.p50Ms} ms, p95 ${relationPathSameGroup.p95Ms} ms`);

  const relationsSubgraph: Record<string, QueryFigures> = {};
  for (const [name, field] of Object.entries(ENTITY_QUERIES) as Array<[keyof typeof ENTITY_QUERIES, string]>) {
    const aliased = `${name.startsWith("affiliates") ? `${name}: ` : ""}${field}`;
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { ${aliased} } } }`;
    relationsSubgraph[name] = await timed(async (s) => {
      const posted = await post(hub.ready.subgraphs.relations, query, { r: [{ __typename: "Enterprise", uscc: s.uscc }] }, await identity());
      const entity = (posted.data?._entities as Array<Record<string, unknown>> | undefined)?.[0];
      return { posted, problems: posted.problem ? [] : entity ? entityProblems(name, s, entity) : ["no entity"], size: entity ? answerSize(entity) : 0 };
    });
    log(`relations subgraph ${name}: p50 ${relationsSubgraph[name].p50Ms} ms, p95 ${relationsSubgraph[name].p95Ms} ms`);
  }
  const hubRssMiB = rssMiB(hub.child.proc.pid);
  log(`hub (pid ${hub.child.proc.pid}) RSS ${hubRssMiB} MiB`);
  return {
    hubStart: { firstStartSec: round(first.startSec), secondStartSec: round(hub.startSec) },
    gateway: { relationPathSameGroup },
    relationsSubgraph,
    hubRssMiB,
  };
}
