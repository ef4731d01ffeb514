// The SQL a creditCheck costs, per call, for a subject with no record and one with many.
// Two counts: the hub's own statement counter (/metrics: statements of partner requests, which
// are the measures subgraph's own and the look-up registration; the lists and ratings subgraphs
// answer the measures subgraph as a service identity, which the counter leaves out as
// background) and, on PostgreSQL, the index scans (pg_stat_user_indexes), sequential scans and
// inserts (pg_stat_user_tables) the hub's calls made, grouped by schema (= subgraph), less the
// hub's idle background over as long a window. PostgreSQL 15 counts an index scan of
// `id IN (k ids)` as k scans (one per array element), so a scan is not always a statement.
import { setTimeout as sleep } from "node:timers/promises";
import { round } from "./figures.js";
import { settledStatements } from "./hubMetrics.js";
import { CHECK_QUERY, differs, type Expected } from "./creditExpected.js";
import type { Sql } from "./listsData.js";

/** PostgreSQL flushes a backend's table statistics at most once a second, and after 10 s when idle. */
const STATS_FLUSH_MS = 11_000;

type Counts = Map<string, { scans: number; inserts: number }>;

async function tableCounts(sql: Sql): Promise<Counts> {
  // Per index, not per table: the hub's sweeps scan the same tables by other indexes.
  const rows = await sql.query<{ t: string; scans: string; ins: string }>(
    `SELECT 'index ' || schemaname || '.' || indexrelname AS t, coalesce(idx_scan, 0)::text AS scans, '0' AS ins FROM pg_stat_user_indexes
     UNION ALL SELECT 'table ' || schemaname || '.' || relname, coalesce(seq_scan, 0)::text, n_tup_ins::text FROM pg_stat_user_tables
     UNION ALL SELECT 'transactions', (xact_commit + xact_rollback)::text, '0' FROM pg_stat_database WHERE datname = current_database()`);
  return new Map(rows.map((r) => [r.t, { scans: Number(r.scans), inserts: Number(r.ins) }]));
}

function delta(a: Counts, b: Counts): Counts {
  const out: Counts = new Map();
  for (const [t, v] of b) {
    const w = a.get(t) ?? { scans: 0, inserts: 0 };
    out.set(t, { scans: v.scans - w.scans, inserts: v.inserts - w.inserts });
  }
  return out;
}

/** Per call, per table (background removed), and summed per schema; tables under 0.05 left out. */
function perCall(calls: Counts, idle: Counts, idleScale: number, n: number) {
  const tables: Record<string, { scans: number; inserts: number }> = {};
  const bySchema: Record<string, { scans: number; inserts: number }> = {};
  let transactions = 0;
  for (const [t, v] of calls) {
    const bg = idle.get(t) ?? { scans: 0, inserts: 0 };
    const scans = (v.scans - bg.scans * idleScale) / n;
    const inserts = (v.inserts - bg.inserts * idleScale) / n;
    if (t === "transactions") {
      transactions = round(scans);
      continue;
    }
    if (Math.abs(scans) < 0.05 && Math.abs(inserts) < 0.05) continue;
    tables[t] = { scans: round(scans), inserts: round(inserts) };
    const s = (bySchema[t.split(" ")[1].split(".")[0]] ??= { scans: 0, inserts: 0 });
    s.scans = round(s.scans + scans);
    s.inserts = round(s.inserts + inserts);
  }
  // Autocommit: each statement of a check is a transaction of its own (every subgraph, all stores' clients).
  return { transactions, bySchema, tables };
}

export interface StatementProbe { name: string; subject: string; matter: string; expected: Expected | undefined }

/**
 * `calls` sequential creditChecks per probe. `stats` (PostgreSQL only) is the bench's own
 * connection to the hub's database for pg_stat_user_tables; null on the embedded store.
 */
export async function statementsPerCall(gatewayUrl: string, subgraphUrl: string, stats: Sql | null, probes: StatementProbe[], calls: number) {
  const out: Record<string, unknown> = {};
  // The bench's own reads (the expected answers) reach the statistics late: let them land first.
  if (stats) await sleep(STATS_FLUSH_MS);
  for (const p of probes) {
    const t0 = Date.now();
    const idle0 = stats && (await tableCounts(stats));
    if (stats) await sleep(STATS_FLUSH_MS);
    const t1 = Date.now();
    const c1 = stats && (await tableCounts(stats));
    const hub1 = await settledStatements(subgraphUrl);
    let wrong = 0;
    const started = Date.now();
    for (let i = 0; i < calls; i++) {
      const res = await fetch(gatewayUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: CHECK_QUERY, variables: { s: p.subject, m: p.matter } }) });
      if (differs(await res.text(), p.expected) !== null) wrong++;
    }
    const callMs = (Date.now() - started) / calls;
    const hub2 = await settledStatements(subgraphUrl);
    if (stats) await sleep(STATS_FLUSH_MS);
    const t2 = Date.now();
    const c2 = stats && (await tableCounts(stats));
    out[p.name] = {
      subject: p.subject, matter: p.matter, calls, measuresInAnswer: p.expected?.measures ?? null, wrongAnswers: wrong, meanMsSequential: round(callMs),
      hubCounterPerCall: round((hub2 - hub1) / calls),
      pgStatPerCall: idle0 && c1 && c2 ? perCall(delta(c1, c2), delta(idle0, c1), (t2 - t1) / (t1 - t0), calls) : null,
    };
  }
  return out;
}

/** The plans of the statements a check sends, for a subject: which index each uses. */
export async function explainAccessPaths(sql: Sql, subject: string): Promise<Record<string, string>> {
  const s = `'${subject.replace(/'/g, "''")}'`;
  const paths: Record<string, string> = {
    "lists.list_entry by subject (lists Enterprise.listEntries)": `SELECT * FROM lists.list_entry WHERE subject_id IN (${s}) ORDER BY id DESC`,
    "ratings.credit_rating by subject (ratings Enterprise.ratings)": `SELECT * FROM ratings.credit_rating WHERE subject_id IN (${s}) ORDER BY rated_on DESC, id DESC`,
    "measures.commitment_breach by subject (measures breaches)": `SELECT * FROM measures.commitment_breach WHERE subject_id = ${s} ORDER BY id ASC`,
    "measures.credit_commitment by id (the breach's commitment)": `SELECT * FROM measures.credit_commitment WHERE id IN (SELECT commitment_id FROM measures.commitment_breach WHERE subject_id = ${s})`,
  };
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(paths)) {
    const plan = await sql.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${text}`);
    out[name] = plan.map((r) => r["QUERY PLAN"].trim()).filter((l) => !l.startsWith("Planning") && !l.startsWith("Sort Method")).join(" | ");
  }
  return out;
}
