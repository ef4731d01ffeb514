// Setting up the lists bench's data: the bench's own connection to the hub's store (pg or
// PGlite), N generated entries plus the probes' own, VACUUM ANALYZE, and what the table holds.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { log, round } from "./figures.js";
import type { HubProcess } from "./hubProcess.js";
import { bulkInsertSql, insertProbeRows, makeProbes, type Probe, type Sql } from "./listsData.js";

export interface BenchSql {
  sql: Sql;
  /** For the lists subgraph's own data functions, run in the bench process. */
  adapter: SqlDriverAdapterFactory;
  /** Closes the connection; again does nothing. */
  close(): Promise<void>;
}

function closingOnce(close: () => Promise<void>): () => Promise<void> {
  let open = true;
  return async () => {
    if (open) {
      open = false;
      await close();
    }
  };
}

/** The bench's own connection to the hub's store; on the embedded store the hub is stopped first (PGlite: one process at a time on a data dir). */
export async function openBenchSql(store: "postgres" | "embedded", hub: HubProcess): Promise<BenchSql> {
  if (store === "embedded") {
    await hub.child.stop();
    const lite = new PGlite(join(hub.dataDir, "pg"));
    await lite.waitReady;
    return {
      sql: { query: async <T>(text: string, params?: unknown[]) => (await lite.query<T>(text, params)).rows },
      adapter: new PrismaPGlite(lite),
      close: closingOnce(() => lite.close()),
    };
  }
  const client = new pg.Client({ connectionString: hub.databaseUrl });
  await client.connect();
  return {
    sql: { query: async <T>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as T[] },
    adapter: new PrismaPg({ connectionString: hub.databaseUrl!, max: 2 }),
    close: closingOnce(() => client.end()),
  };
}

export interface Generated {
  probes: Probe[];
  /** Seeded enterprise → its legal representative (whose bans marketBanStatus also finds). */
  reps: Map<string, string>;
  insertSec: number;
  analyzeSec: number;
  data: Record<string, unknown>;
}

/** The answer each probe should get, from the table itself (the demo data has bans too). */
async function markBanned(sql: Sql, probes: Probe[], reps: Map<string, string>): Promise<void> {
  const rows = await sql.query<{ s: string }>(
    `SELECT DISTINCT subject_id AS s FROM lists.list_entry WHERE list_type = 'MARKET_BAN' AND state::text IN ('RECOGNISED', 'PUBLISHED', 'UNDER_OBJECTION', 'RECTIFYING')
       AND ban_starts_on <= CURRENT_DATE AND (ban_ends_on IS NULL OR ban_ends_on >= CURRENT_DATE) AND subject_id = ANY($1::text[])`,
    [[...probes.map((p) => p.subject), ...reps.values()]],
  );
  const banned = new Set(rows.map((r) => r.s.trim()));
  for (const p of probes) p.banned = banned.has(p.subject) || (reps.has(p.subject) && banned.has(reps.get(p.subject)!));
}

/** Fills lists.list_entry up to `entries` rows (bulk rows, then the probes' own) and vacuums it. */
export async function generateEntries(sql: Sql, opts: { entries: number; probeCount: number; chunk: number; store: string }): Promise<Generated> {
  const genStarted = Date.now();
  const seeded = await sql.query<{ uscc: string; rep: string | null }>(
    "SELECT uscc, legal_representative_id AS rep FROM enterprise.enterprise ORDER BY uscc LIMIT $1",
    [Math.ceil(opts.probeCount / 2)],
  );
  const reps = new Map(seeded.filter((s) => s.rep).map((s) => [s.uscc, s.rep!]));
  const { probes, rows: probeRows } = makeProbes(opts.probeCount, seeded);
  const [{ n: demoRows }] = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM lists.list_entry");
  const bulk = Math.max(0, opts.entries - probeRows.length - demoRows);
  const subjects = Math.ceil(bulk / 3);
  log(`generating ${bulk} entries (+ ${probeRows.length} for ${probes.length} probe subjects, ${demoRows} demo) on the ${opts.store} store`);
  for (let lo = 1; lo <= bulk; lo += opts.chunk) {
    const hi = Math.min(bulk, lo + opts.chunk - 1);
    const t = Date.now();
    await sql.query(bulkInsertSql(lo, hi, subjects));
    log(`  rows ${lo}..${hi} in ${(Date.now() - t) / 1000} s`);
  }
  await insertProbeRows(sql, probeRows);
  await markBanned(sql, probes, reps);
  const insertSec = (Date.now() - genStarted) / 1000;
  // VACUUM too, not only ANALYZE: the visibility map is set (as on a table that has been
  // around) and autovacuum does not start on the fresh rows in the middle of the measurement.
  const analyzeStarted = Date.now();
  await sql.query("VACUUM (ANALYZE) lists.list_entry");
  if (opts.store === "embedded") await sql.query("CHECKPOINT");
  const analyzeSec = (Date.now() - analyzeStarted) / 1000;
  const data = await tableStats(sql);
  log(`generated in ${insertSec} s (+ VACUUM ANALYZE ${analyzeSec} s): ${JSON.stringify({ entries: data.entries, databaseMiB: data.databaseMiB })}`);
  return { probes, reps, insertSec, analyzeSec, data };
}

async function tableStats(sql: Sql): Promise<Record<string, unknown>> {
  const [count] = await sql.query<{ n: string }>("SELECT count(*)::text AS n FROM lists.list_entry");
  const types = await sql.query<{ t: string; n: string }>("SELECT list_type::text AS t, count(*)::text AS n FROM lists.list_entry GROUP BY 1 ORDER BY 1");
  const states = await sql.query<{ s: string; n: string }>("SELECT state::text AS s, count(*)::text AS n FROM lists.list_entry GROUP BY 1 ORDER BY 1");
  const cities = await sql.query<{ c: string; n: string }>("SELECT issuing_city_code AS c, count(*)::text AS n FROM lists.list_entry GROUP BY 1 ORDER BY 1");
  const [size] = await sql.query<{ db: string; tbl: string; idx: string }>(
    "SELECT pg_database_size(current_database())::text AS db, pg_table_size('lists.list_entry')::text AS tbl, pg_indexes_size('lists.list_entry')::text AS idx",
  );
  const mib = (s: string) => round(Number(s) / 2 ** 20, 1);
  return {
    entries: Number(count.n),
    byType: Object.fromEntries(types.map((r) => [r.t, Number(r.n)])),
    byState: Object.fromEntries(states.map((r) => [r.s, Number(r.n)])),
    byCity: Object.fromEntries(cities.map((r) => [r.c, Number(r.n)])),
    databaseMiB: mib(size.db),
    listEntryTableMiB: mib(size.tbl),
    listEntryIndexesMiB: mib(size.idx),
  };
}

/** Disk used by a directory (the embedded store's data dir), in MiB; null where `du` fails. */
export function duMiB(dir: string): number | null {
  try {
    return round(Number(execFileSync("du", ["-sb", dir], { encoding: "utf8" }).split(/\s/)[0]) / 2 ** 20, 1);
  } catch {
    return null;
  }
}
