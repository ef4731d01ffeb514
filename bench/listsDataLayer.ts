// The lists bench's data-layer step: the lists subgraph's own data functions (bansInForce,
// findEntries) timed in the bench process, without HTTP, GraphQL or federation, and the
// statements Prisma sent for them EXPLAIN ANALYZEd: the database's share of a request.
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { percentile, round } from "./figures.js";
import { cityCodes, citySets, type Probe, type Sql } from "./listsData.js";
import { PrismaClient } from "../prisma/generated/client.js";
import { bansInForce, findEntries } from "../subgraphs/lists/data.js";

interface Captured {
  sql: string;
  params: unknown[];
}

const today = () => new Date(new Date().toISOString().slice(0, 10));
const onListEntry = (c: Captured) => /list_entry/.test(c.sql);

function percentiles(xs: number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: round(percentile(s, 50)), p95: round(percentile(s, 95)), p99: round(percentile(s, 99)), max: round(s.at(-1) ?? 0) };
}

/** Prisma over the bench's own connection, recording the SQL it sends. */
function capturingPrisma(adapter: SqlDriverAdapterFactory) {
  const logging = new PrismaClient({ adapter, log: [{ emit: "event" as const, level: "query" as const }] });
  const captured: Captured[] = [];
  logging.$on("query", (e) => {
    let params: unknown[] = [];
    try {
      params = JSON.parse(e.params) as unknown[];
    } catch {
      // not JSON: leave the statement without parameters
    }
    captured.push({ sql: e.query, params });
  });
  // The subgraph's data functions take the plain client type; the logging one is the same at run time.
  return { prisma: logging as unknown as PrismaClient, captured };
}

/** bansInForce over the probes (and their legal representatives), each answer checked against the generator. */
async function timeBans(prisma: PrismaClient, captured: Captured[], probes: Probe[], reps: Map<string, string>) {
  const day = today();
  // Warm the connection / caches a little, like the hub would be.
  for (const p of probes.slice(0, 20)) await bansInForce(prisma, [p.subject], day);
  const times: number[] = [];
  let wrong = 0;
  captured.length = 0;
  for (let i = 0; i < Math.min(400, probes.length); i++) {
    const p = probes[(i * 37) % probes.length];
    const subjects = reps.has(p.subject) ? [p.subject, reps.get(p.subject)!] : [p.subject];
    const t = performance.now();
    const rows = await bansInForce(prisma, subjects, day);
    times.push(performance.now() - t);
    if (rows.length > 0 !== p.banned) wrong++;
  }
  return { times, wrong, sql: captured.find(onListEntry) ?? null };
}

/** findEntries as chains of pages (each after the previous page's last id); the deepest cursor of each chain. */
async function timePages(prisma: PrismaClient, captured: Captured[]) {
  const times: number[] = [];
  const sets = citySets();
  captured.length = 0;
  const deepCursors: number[] = [];
  for (let chain = 0; chain < 9; chain++) {
    let before: number | undefined;
    for (let page = 0; page < 30; page++) {
      const t = performance.now();
      const rows = await findEntries(prisma, { cities: sets[chain % sets.length] }, 21, before);
      times.push(performance.now() - t);
      if (rows.length < 21) break;
      before = rows[19].id;
    }
    if (before !== undefined) deepCursors.push(before);
  }
  const sql = captured.find((c) => onListEntry(c) && /"id" <|id" < /.test(c.sql)) ?? captured.find(onListEntry) ?? null;
  return { times, deepCursors, sql };
}

async function explain(sql: Sql, c: Captured | null) {
  if (!c) return null;
  try {
    const rows = await sql.query<Record<string, string>>(`EXPLAIN (ANALYZE, BUFFERS) ${c.sql}`, c.params);
    const plan = rows.map((r) => Object.values(r)[0]);
    const exec = plan.map((l) => /Execution Time: ([\d.]+) ms/.exec(l)).find(Boolean);
    return { sql: c.sql, params: c.params, executionMs: exec ? Number(exec[1]) : null, plan };
  } catch (err) {
    return { sql: c.sql, params: c.params, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Times bansInForce and findEntries over the bench's own connection and explains the SQL they send. */
export async function profileDataLayer(adapter: SqlDriverAdapterFactory, sql: Sql, probes: Probe[], reps: Map<string, string>): Promise<unknown> {
  const { prisma, captured } = capturingPrisma(adapter);
  try {
    const bans = await timeBans(prisma, captured, probes, reps);
    const pages = await timePages(prisma, captured);
    // A single-city filter, deep in the chain: the harder case for `ORDER BY id DESC LIMIT 21`.
    captured.length = 0;
    await findEntries(prisma, { cities: [cityCodes()[5]] }, 21, pages.deepCursors[5] ?? undefined);
    const singleCitySql = captured.find(onListEntry) ?? pages.sql;
    return {
      bansInForce: { ms: percentiles(bans.times), answersDifferingFromGenerator: bans.wrong, explain: await explain(sql, bans.sql) },
      findEntries: { ms: percentiles(pages.times), explain: await explain(sql, singleCitySql) },
    };
  } finally {
    await prisma.$disconnect();
  }
}
