// Generated list entries for `npm run bench -- lists`: bulk SQL straight into
// lists.list_entry (no history, no outbox: the bench reads, it does not replay lifecycles),
// the same statements on PostgreSQL and on PGlite.
import { idCheckDigit, usccCheckChar } from "../lib/ids/index.js";
import { partnerCities } from "../lib/cities.js";

/** The little SQL the generator needs, over pg or PGlite. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export const LIST_TYPES = ["SERIOUS_DISHONESTY", "INDUSTRY_BLACKLIST", "RED", "KEY_ATTENTION", "MARKET_BAN", "JUDGMENT_DEFAULTER", "FALSE_LITIGATION", "RECTIFICATION"];
export const STATES = ["RECOGNISED", "PUBLISHED", "UNDER_OBJECTION", "RECTIFYING", "REPAIRED", "EXITED", "EXPIRED", "REVOKED"];
const OTHER_TYPES = LIST_TYPES.filter((t) => t !== "MARKET_BAN");

export function cityCodes(): string[] {
  return partnerCities().map((c) => c.code);
}

/** The city filters page chains rotate over: each city alone, two neighbours, all six. */
export function citySets(): string[][] {
  const c = cityCodes();
  return [...c.map((x) => [x]), [c[0], c[1]], [c[2], c[3]], c];
}

const sqlText = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(",")}]`;

/**
 * Rows lo..hi (inclusive) of the bulk data, computed server-side from generate_series:
 * six cities round-robin, 10% MARKET_BAN (the other seven types evenly), the eight states evenly
 * (independent of the type), 60% enterprises / 40% people, about three entries per subject.
 * Subject ids are 18 characters ending in a character no valid USCC ('I') or ID number ('Y')
 * has, so they never collide with the probes or the seeded enterprises and their people.
 * Live entries (RECOGNISED, PUBLISHED, UNDER_OBJECTION, RECTIFYING) have their publicity period
 * and bans running into the future, so the hub's expiry sweep finds nothing to do.
 */
export function bulkInsertSql(lo: number, hi: number, subjects: number): string {
  const cities = cityCodes();
  return `
INSERT INTO lists.list_entry (subject_kind, subject_id, list_type, field, authority, issuing_city_code, basis_type, basis_number, basis_date,
  severity, state, publicity_until, earliest_repair_on, rule_version, ban_starts_on, ban_ends_on, ban_scope, under_objection, rectification_due,
  version, recognised_at, updated_at)
SELECT
  (CASE WHEN s.n % 5 < 3 THEN 'ENTERPRISE' ELSE 'INDIVIDUAL' END)::lists."SubjectKind",
  CASE WHEN s.n % 5 < 3 THEN '91' || c.code || lpad((s.n % 1000000000)::text, 9, '0') || 'I'
       ELSE c.code || '1980' || lpad((1 + s.n % 12)::text, 2, '0') || lpad((1 + s.n % 28)::text, 2, '0') || lpad((s.n % 1000)::text, 3, '0') || 'Y' END,
  t.type::lists."ListType",
  (${sqlText(["市场监管", "税务", "生态环境", "住房城乡建设", "交通运输", "食品药品"])})[1 + g.i % 6],
  (${sqlText(["市场监督管理局", "税务局", "生态环境局", "住房和城乡建设局", "交通运输局", "人民法院"])})[1 + (g.i / 6) % 6],
  c.code,
  ((${sqlText(["JUDICIAL_JUDGMENT", "ADMINISTRATIVE_PENALTY", "ADMINISTRATIVE_ENFORCEMENT", "ARBITRATION", "ADMINISTRATIVE_RULING"])})[1 + g.i % 5])::lists."BasisType",
  'BENCH-' || g.i,
  DATE '2024-01-01' + (g.i % 600),
  (CASE WHEN t.type = 'RED' THEN NULL ELSE (${sqlText(["MINOR", "GENERAL", "SERIOUS"])})[1 + g.i % 3] END)::lists."Severity",
  st.state::lists."ListEntryState",
  CASE WHEN t.type = 'RED' THEN NULL WHEN st.live THEN CURRENT_DATE + 30 + g.i % 1000 ELSE DATE '2024-01-01' + (g.i % 300) END,
  CASE WHEN t.type = 'RED' THEN NULL ELSE DATE '2025-01-01' + (g.i % 300) END,
  CASE WHEN t.type = 'RED' THEN NULL ELSE 'NDRC-2025-36' END,
  CASE WHEN t.type = 'MARKET_BAN' THEN DATE '2024-01-01' + (g.i % 600) END,
  CASE WHEN t.type <> 'MARKET_BAN' THEN NULL WHEN g.i % 3 = 0 THEN NULL WHEN st.live THEN CURRENT_DATE + 365 + g.i % 1000 ELSE DATE '2025-01-01' END,
  CASE WHEN t.type = 'MARKET_BAN' THEN ARRAY['担任企业董事、监事、高级管理人员'] ELSE ARRAY[]::text[] END,
  st.state = 'UNDER_OBJECTION',
  CASE WHEN st.state = 'RECTIFYING' THEN CURRENT_DATE + 60 END,
  0,
  now() - (g.i % 100000) * interval '1 minute',
  now()
FROM generate_series(${lo}::int, ${hi}::int) AS g(i)
CROSS JOIN LATERAL (SELECT (g.i::bigint * 7919) % ${Math.max(1, subjects)} AS n) s
CROSS JOIN LATERAL (SELECT (${sqlText(cities)})[1 + g.i % ${cities.length}] AS code) c
CROSS JOIN LATERAL (SELECT CASE WHEN g.i % 10 = 0 THEN 'MARKET_BAN' ELSE (${sqlText(OTHER_TYPES)})[1 + (g.i / 10) % ${OTHER_TYPES.length}] END AS type) t
CROSS JOIN LATERAL (SELECT (${sqlText(STATES)})[1 + (g.i / 7) % 8] AS state, (g.i / 7) % 8 < 4 AS live) st`;
}

export interface Probe {
  subject: string;
  kind: "ENTERPRISE" | "INDIVIDUAL";
  /** Whether the generator put a ban in force on it (or on its legal representative). */
  banned: boolean;
}

/**
 * Valid identifiers (the GraphQL argument is checked) with entries of their own: half USCCs,
 * half ID numbers; the seeded enterprises among the USCCs (their legal representatives get
 * bans too, which marketBanStatus finds through the enterprise subgraph).
 */
export function makeProbes(count: number, seeded: Array<{ uscc: string; rep: string | null }>): { probes: Probe[]; rows: Array<{ subject: string; kind: string; listType: string; state: string; ban: "none" | "inForce" | "ended"; city: string }> } {
  const cities = cityCodes();
  const probes: Probe[] = [];
  const rows: Array<{ subject: string; kind: string; listType: string; state: string; ban: "none" | "inForce" | "ended"; city: string }> = [];
  const add = (subject: string, kind: "ENTERPRISE" | "INDIVIDUAL", k: number, rep?: string | null) => {
    const city = cities[k % cities.length];
    // 7 in 10: a ban in force; 1 in 10: a ban that ended (EXPIRED); 2 in 10: no ban.
    const ban = k % 10 < 7 ? "inForce" : k % 10 < 8 ? "ended" : "none";
    rows.push({ subject, kind, listType: "SERIOUS_DISHONESTY", state: "PUBLISHED", ban: "none", city });
    rows.push({ subject, kind, listType: "KEY_ATTENTION", state: "EXITED", ban: "none", city });
    if (ban !== "none") rows.push({ subject, kind, listType: "MARKET_BAN", state: ban === "inForce" ? "PUBLISHED" : "EXPIRED", ban, city });
    if (rep && k % 4 === 0) rows.push({ subject: rep, kind: "INDIVIDUAL", listType: "MARKET_BAN", state: "RECOGNISED", ban: "inForce", city });
    probes.push({ subject, kind, banned: false });
    if (rep) repOf.set(subject, rep);
  };
  const repOf = new Map<string, string>();
  const usccs = Math.ceil(count / 2);
  for (let k = 0; k < usccs; k++) {
    const s = seeded[k];
    if (s) add(s.uscc, "ENTERPRISE", k, s.rep);
    else {
      const first17 = `92${cities[k % cities.length]}${String(k).padStart(9, "0")}`;
      add(first17 + usccCheckChar(first17), "ENTERPRISE", k);
    }
  }
  for (let k = 0; k < count - usccs; k++) {
    const first17 = `${cities[k % cities.length]}1990${String(1 + (k % 12)).padStart(2, "0")}${String(1 + (k % 28)).padStart(2, "0")}${String(k % 1000).padStart(3, "0")}`;
    add(first17 + idCheckDigit(first17), "INDIVIDUAL", k);
  }
  // Banned: a ban in force on the subject or on its legal representative (a person may answer
  // for several enterprises, so a ban made for one probe can cover another).
  const inForce = new Set(rows.filter((r) => r.ban === "inForce").map((r) => r.subject));
  for (const p of probes) p.banned = inForce.has(p.subject) || (repOf.has(p.subject) && inForce.has(repOf.get(p.subject)!));
  return { probes, rows };
}

/** The probes' entries, in one statement per 5,000. */
export async function insertProbeRows(sql: Sql, rows: ReturnType<typeof makeProbes>["rows"]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const part = rows.slice(i, i + 5000);
    await sql.query(
      `INSERT INTO lists.list_entry (subject_kind, subject_id, list_type, field, authority, issuing_city_code, basis_type, basis_number, basis_date,
         severity, state, publicity_until, earliest_repair_on, rule_version, ban_starts_on, ban_ends_on, ban_scope, under_objection, version)
       SELECT p.kind::lists."SubjectKind", p.subject, p."listType"::lists."ListType", '市场监管', '市场监督管理局', p.city,
         'ADMINISTRATIVE_PENALTY'::lists."BasisType", 'PROBE-' || (${i} + p.ord), DATE '2025-06-01', 'SERIOUS'::lists."Severity",
         p.state::lists."ListEntryState",
         CASE WHEN p.state IN ('EXPIRED', 'EXITED') THEN DATE '2025-12-01' ELSE CURRENT_DATE + 400 END,
         DATE '2026-06-01', 'NDRC-2025-36',
         CASE WHEN p."listType" = 'MARKET_BAN' THEN DATE '2025-06-01' END,
         CASE WHEN p.ban = 'ended' THEN DATE '2025-12-01' WHEN p.ban = 'inForce' AND p.ord % 2 = 0 THEN CURRENT_DATE + 400 END,
         CASE WHEN p."listType" = 'MARKET_BAN' THEN ARRAY['担任企业董事、监事、高级管理人员'] ELSE ARRAY[]::text[] END,
         false, 0
       FROM (SELECT x.*, row_number() OVER () AS ord
             FROM json_to_recordset($1::json) AS x(subject text, kind text, "listType" text, state text, ban text, city text)) AS p`,
      [JSON.stringify(part)],
    );
  }
}
