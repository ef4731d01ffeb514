// The lists bench's load through the gateway: marketBanStatus over the probe subjects (each
// answer checked against what the generator made), listEntries as chains of pages; each query
// run at every concurrency, with the hub's CPU and SQL statements per request.
import { setTimeout as sleep } from "node:timers/promises";
import { cpuMs } from "./children.js";
import { log, round } from "./figures.js";
import { sqlStatements } from "./hubMetrics.js";
import type { HubProcess } from "./hubProcess.js";
import { citySets, type Probe } from "./listsData.js";
import { runDynamicLoad, type DynamicLoadOptions, type DynamicLoadSummary } from "./load.js";

export const BAN_QUERY = "query Ban($s: ID!) { marketBanStatus(subject: $s) { subject banned bans { id } } }";
export const PAGE_QUERY =
  "query Page($c: [ID!], $a: String) { listEntries(filter: { cities: $c }, first: 20, after: $a) { edges { node { id state } } pageInfo { hasNextPage endCursor } } }";
/** Pages followed from a first page before a chain starts over (20 entries a page). */
export const CHAIN_PAGES = 50;

type QueryLoad = Omit<DynamicLoadOptions, "connections" | "durationSec">;
type LevelRun = DynamicLoadSummary & { hubCpuCores: number | null; sqlStatementsPerRequest: number | null };
/** Per concurrency (requests in flight at once), e.g. { "1": ..., "8": ... }. */
export type QueryRun = Record<string, LevelRun>;

/** marketBanStatus over the probe subjects in turn; `tally` counts the answers and those differing from the generator. */
export function banLoad(url: string, probes: Probe[]) {
  let nextProbe = 0;
  const bySubject = new Map(probes.map((p) => [p.subject, p]));
  const tally = { bannedAnswers: 0, answersDifferingFromGenerator: 0, differingSamples: new Set<string>() };
  const load: QueryLoad = {
    url,
    nextBody: () => JSON.stringify({ query: BAN_QUERY, variables: { s: probes[nextProbe++ % probes.length].subject } }),
    onBody: (body: string) => {
      try {
        const r = JSON.parse(body) as { data?: { marketBanStatus?: { subject: string; banned: boolean; bans: unknown[] } }; errors?: unknown };
        const m = r.data?.marketBanStatus;
        if (r.errors || !m) return false;
        if (m.banned) tally.bannedAnswers++;
        if (bySubject.get(m.subject)?.banned !== m.banned || m.banned !== m.bans.length > 0) {
          tally.answersDifferingFromGenerator++;
          if (tally.differingSamples.size < 5) tally.differingSamples.add(`${m.subject}: banned ${m.banned}, ${m.bans.length} bans`);
        }
        return true;
      } catch {
        return false;
      }
    },
  };
  return { load, tally };
}

interface Chain {
  c: string[];
  a: string | null;
  depth: number;
}

/** listEntries: chains of pages, each page after the previous page's endCursor; `tally` counts pages and the deepest. */
export function pageLoad(url: string) {
  const sets = citySets();
  const continuations: Chain[] = [];
  let nextSet = 0;
  const tally = { pages: 0, deepest: 0 };
  const load: QueryLoad = {
    url,
    nextBody: (ctx) => {
      const chain = continuations.shift() ?? { c: sets[nextSet++ % sets.length], a: null, depth: 0 };
      ctx.chain = chain;
      return JSON.stringify({ query: PAGE_QUERY, variables: { c: chain.c, a: chain.a } });
    },
    onBody: (body, ctx) => {
      try {
        const r = JSON.parse(body) as { data?: { listEntries?: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }; errors?: unknown };
        const page = r.data?.listEntries;
        if (r.errors || !page) return false;
        tally.pages++;
        const chain = ctx.chain as Chain | undefined;
        if (chain) tally.deepest = Math.max(tally.deepest, chain.depth);
        if (chain && page.pageInfo.hasNextPage && page.pageInfo.endCursor && chain.depth + 1 < CHAIN_PAGES) {
          continuations.push({ c: chain.c, a: page.pageInfo.endCursor, depth: chain.depth + 1 });
        }
        return page.edges.length > 0;
      } catch {
        return false;
      }
    },
  };
  return { load, tally };
}

export interface Levels {
  hub: HubProcess;
  levels: number[];
  warmupSec: number;
  durationSec: number;
}

/** One warm-up at the highest concurrency, then a measured run at each. */
export async function measureLevels(name: string, load: QueryLoad, o: Levels): Promise<QueryRun> {
  const hubPid = o.hub.child.proc.pid;
  const statementsFrom = o.hub.ready.subgraphs.lists;
  log(`${name}: warm-up ${o.warmupSec} s`);
  await runDynamicLoad({ ...load, connections: Math.max(...o.levels), durationSec: o.warmupSec });
  const out: QueryRun = {};
  for (const connections of o.levels) {
    log(`${name}: ${o.durationSec} s with ${connections} connection(s)`);
    const cpu0 = cpuMs(hubPid);
    const sql0 = await sqlStatements(statementsFrom);
    const r = await runDynamicLoad({ ...load, connections, durationSec: o.durationSec });
    const cpu1 = cpuMs(hubPid);
    await sleep(300); // requests cut off at the stop finish meanwhile
    const sql1 = await sqlStatements(statementsFrom);
    log(`${name}: ${r.requestsPerSec} req/s, p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms`);
    out[String(connections)] = {
      ...r,
      hubCpuCores: cpu0 !== null && cpu1 !== null ? round((cpu1 - cpu0) / 1000 / o.durationSec, 2) : null,
      // Approximate: per response, including the few requests cut off when the run stopped.
      sqlStatementsPerRequest: sql0 !== null && sql1 !== null && r.responses ? round((sql1 - sql0) / r.responses, 2) : null,
    };
  }
  return out;
}

/** The hub's own background work (sweeps, graph sync, event consumers) while no request comes, in cores. */
export async function idleCpuCores(hub: HubProcess): Promise<number | null> {
  const pid = hub.child.proc.pid;
  const idle0 = cpuMs(pid);
  await sleep(3000);
  const idle1 = cpuMs(pid);
  return idle0 !== null && idle1 !== null ? round((idle1 - idle0) / 3000, 2) : null;
}
