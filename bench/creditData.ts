// Generated ratings and commitments for `npm run bench -- credit-check`, beside the lists
// bench's entries (listsData.ts): bulk rows computed server-side from generate_series (bounded
// memory, the same SQL on PostgreSQL and PGlite), then the probes' own rows, then two probes of
// the statement count: one with no record at all and one with many in every city.
import { usccCheckChar } from "../lib/ids/index.js";
import { loadScales } from "../subgraphs/ratings/scales/index.js";
import { COMMITMENT_TYPES } from "../subgraphs/measures/catalogues/index.js";
import { log } from "./figures.js";
import { cityCodes, type Probe, type Sql } from "./listsData.js";

/** Every grade of every scale version in force today, with the tier its scale maps it to. */
export function gradesInForce(today: string) {
  return loadScales().scales
    .filter((s) => s.validFrom <= today && (s.validTo === null || today < s.validTo))
    .flatMap((s) => s.grades.map((g) => ({
      scaleId: s.id, version: s.version, city: s.city, evaluatorType: s.evaluatorType, field: s.field, grade: g.label, tier: g.tier,
      score: s.score ? (s.score.min + s.score.max) / 2 : null, evaluator: `${s.title}评价机构`,
    })));
}
type Grade = ReturnType<typeof gradesInForce>[number];

const COMBO = `(SELECT row_number() OVER () - 1 AS k, x.* FROM json_to_recordset($1::json)
  AS x("scaleId" text, version int, city text, "evaluatorType" text, field text, grade text, tier text, score numeric, evaluator text))`;

/**
 * Ratings lo..hi of the bulk: one per bulk subject id of the lists generator's shape (ending 'I',
 * never a valid USCC), round-robin over every grade in force; 1 in 10 expired (and marked lapsed,
 * as the hub's lapse sweep would have), the others valid 30 days to two years more.
 */
function bulkRatingsSql(lo: number, hi: number, subjects: number, grades: number): string {
  return `
INSERT INTO ratings.credit_rating (subject_id, evaluator_type, evaluator, issuing_city_code, scale_id, scale_version, field, model_version, score, grade, tier, rated_on, valid_until, lapsed, recorded_by)
SELECT '91' || c.city || lpad(((g.i::bigint * 7919) % ${Math.max(1, subjects)})::text, 9, '0') || 'I', c."evaluatorType", c.evaluator, c.city, c."scaleId", c.version, c.field,
  'BENCH-1', c.score, c.grade, c.tier, $2::date - (g.i % 300), CASE WHEN g.i % 10 = 0 THEN $2::date - 1 - g.i % 200 ELSE $2::date + 30 + g.i % 700 END, g.i % 10 = 0, 'bench'
FROM generate_series(${lo}::int, ${hi}::int) AS g(i)
JOIN ${COMBO} c ON c.k = g.i % ${grades}`;
}

const TYPES = `ARRAY[${COMMITMENT_TYPES.map((t) => `'${t}'`).join(",")}]`;
const MATTERS = "ARRAY['procurement','tendering','approval','market-entry','qualification','subsidy','honours','financing']";
const STATES = "ARRAY['PENDING','FULFILLED','BREACHED','WITHDRAWN']";

/**
 * Commitments lo..hi of the bulk: subjects of the lists generator's shape (60% firms), the five
 * types, the four states evenly (a BREACHED one gets its breach row after); a PENDING 容缺
 * commitment is due in the future, so the hub's breach sweep finds nothing to do.
 */
function bulkCommitmentsSql(lo: number, hi: number, subjects: number, today: string): string {
  const cities = cityCodes();
  return `
INSERT INTO measures.credit_commitment (subject_kind, subject_id, type, matter, text, signatory, signed_on, issuing_city_code, authority, published, state, due_on, settled_on, recorded_by)
SELECT CASE WHEN s.n % 5 < 3 THEN 'ENTERPRISE' ELSE 'INDIVIDUAL' END,
  CASE WHEN s.n % 5 < 3 THEN '91' || c.code || lpad(s.n::text, 9, '0') || 'I' ELSE c.code || '1980' || lpad((1 + s.n % 12)::text, 2, '0') || lpad((1 + s.n % 28)::text, 2, '0') || lpad((s.n % 1000)::text, 3, '0') || 'Y' END,
  t.type, (${MATTERS})[1 + g.i % 8], '本单位承诺所报材料真实有效（bench ' || g.i || '）', '法定代表人', DATE '${today}' - 60 - g.i % 900, c.code, '行政审批服务局', g.i % 2 = 0,
  st.state, CASE WHEN st.state = 'PENDING' AND t.type = 'SUPPLEMENT_LATER' THEN DATE '${today}' + 10 + g.i % 90 END,
  CASE WHEN st.state <> 'PENDING' THEN DATE '${today}' - 1 - g.i % 800 END, 'bench'
FROM generate_series(${lo}::int, ${hi}::int) AS g(i)
CROSS JOIN LATERAL (SELECT (g.i::bigint * 7919) % ${Math.max(1, subjects)} AS n) s
CROSS JOIN LATERAL (SELECT (ARRAY[${cities.map((x) => `'${x}'`).join(",")}])[1 + g.i % ${cities.length}] AS code) c
CROSS JOIN LATERAL (SELECT (${TYPES})[1 + g.i % 5] AS type, (${STATES})[1 + (g.i / 5) % 4] AS state) t
CROSS JOIN LATERAL (SELECT t.state AS state) st`;
}

/** A breach record (失信记录) for every BREACHED commitment above `afterId` that has none. */
const breachRowsSql = (afterId: number) => `
INSERT INTO measures.commitment_breach (commitment_id, subject_id, city_code, breached_on, description)
SELECT c.id, c.subject_id, c.issuing_city_code, c.settled_on, '承诺未履行：' || c.matter || '（' || c.authority || '）'
FROM measures.credit_commitment c
WHERE c.id > ${afterId} AND c.state = 'BREACHED' AND NOT EXISTS (SELECT 1 FROM measures.commitment_breach b WHERE b.commitment_id = c.id)`;

export interface RecordProbes {
  /** A valid USCC with no record in any table. */
  empty: string;
  /** A valid USCC with list entries, ratings and breached commitments in every city. */
  busy: string;
}

const probeUscc = (k: number) => {
  const first17 = `93610800${String(k).padStart(9, "0")}`;
  return first17 + usccCheckChar(first17);
};

interface RatingRow { subject: string; g: Grade; ratedOn: string; validUntil: string }
interface CommitmentRow { subject: string; kind: string; type: string; matter: string; city: string; state: string; signedOn: string; settledOn: string | null }
interface EntryRow { subject: string; listType: string; state: string; city: string; n: number }

const daysFrom = (today: string, n: number) => new Date(Date.parse(today) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * The probes' ratings and commitments: firm k gets k % 4 ratings (one in five expired), every
 * probe k % 3 commitments in turn of the four states; breaches from 1 to 40 months ago, so the
 * measures' `forMonths` windows are both in and past. The busy probe gets four entries, two
 * ratings and two breached commitments per city.
 */
function probeRecords(probes: Probe[], grades: Grade[], today: string, rp: RecordProbes) {
  const ratings: RatingRow[] = [];
  const commitments: CommitmentRow[] = [];
  const entries: EntryRow[] = [];
  const cities = cityCodes();
  const states = ["PENDING", "FULFILLED", "BREACHED", "WITHDRAWN"];
  let r = 0;
  let c = 0;
  probes.forEach((p, k) => {
    if (p.kind === "ENTERPRISE") {
      for (let j = 0; j < k % 4; j++, r++) {
        ratings.push({ subject: p.subject, g: grades[(r * 7) % grades.length], ratedOn: daysFrom(today, -(30 + (r % 400))), validUntil: daysFrom(today, r % 5 === 0 ? -(1 + (r % 90)) : 20 + (r % 600)) });
      }
    }
    for (let j = 0; j < k % 3; j++, c++) {
      const state = states[c % 4];
      commitments.push({
        subject: p.subject, kind: p.kind, type: COMMITMENT_TYPES[c % COMMITMENT_TYPES.length], matter: "approval", city: cities[c % cities.length], state,
        signedOn: daysFrom(today, -(60 + 31 * (c % 40))), settledOn: state === "PENDING" ? null : daysFrom(today, -(30 + 31 * (c % 40))),
      });
    }
  });
  const live = ["RECOGNISED", "PUBLISHED", "RECTIFYING", "UNDER_OBJECTION"];
  const types = ["SERIOUS_DISHONESTY", "JUDGMENT_DEFAULTER", "MARKET_BAN", "INDUSTRY_BLACKLIST", "FALSE_LITIGATION", "RED", "KEY_ATTENTION", "RECTIFICATION"];
  cities.forEach((city, i) => {
    for (let j = 0; j < 4; j++) entries.push({ subject: rp.busy, listType: types[(i + j * 2) % types.length], state: live[j], city, n: i * 4 + j });
    for (let j = 0; j < 2; j++) {
      const g = grades.filter((x) => x.city === city)[j] ?? grades[i];
      ratings.push({ subject: rp.busy, g, ratedOn: daysFrom(today, -100), validUntil: daysFrom(today, 200) });
      commitments.push({ subject: rp.busy, kind: "ENTERPRISE", type: COMMITMENT_TYPES[(i + j) % COMMITMENT_TYPES.length], matter: "tendering", city, state: "BREACHED", signedOn: daysFrom(today, -200), settledOn: daysFrom(today, -(20 + 10 * j)) });
    }
  });
  return { ratings, commitments, entries };
}

async function insertJson(sql: Sql, rows: unknown[], statement: string): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) await sql.query(statement, [JSON.stringify(rows.slice(i, i + 5000))]);
}

async function insertProbeRecords(sql: Sql, rec: ReturnType<typeof probeRecords>): Promise<void> {
  await insertJson(sql, rec.ratings.map((x) => ({ subject: x.subject, ...x.g, ratedOn: x.ratedOn, validUntil: x.validUntil })), `
    INSERT INTO ratings.credit_rating (subject_id, evaluator_type, evaluator, issuing_city_code, scale_id, scale_version, field, model_version, score, grade, tier, rated_on, valid_until, lapsed, recorded_by)
    SELECT x.subject, x."evaluatorType", x.evaluator, x.city, x."scaleId", x.version, x.field, 'BENCH-1', x.score, x.grade, x.tier, x."ratedOn"::date, x."validUntil"::date, false, 'bench'
    FROM json_to_recordset($1::json) AS x(subject text, "scaleId" text, version int, city text, "evaluatorType" text, field text, grade text, tier text, score numeric, evaluator text, "ratedOn" text, "validUntil" text)`);
  await insertJson(sql, rec.commitments, `
    INSERT INTO measures.credit_commitment (subject_kind, subject_id, type, matter, text, signatory, signed_on, issuing_city_code, authority, published, state, settled_on, recorded_by)
    SELECT x.kind, x.subject, x.type, x.matter, '本单位承诺所报材料真实有效（bench probe）', '法定代表人', x."signedOn"::date, x.city, '行政审批服务局', true, x.state, x."settledOn"::date, 'bench'
    FROM json_to_recordset($1::json) AS x(subject text, kind text, type text, matter text, city text, state text, "signedOn" text, "settledOn" text)`);
  await insertJson(sql, rec.entries, `
    INSERT INTO lists.list_entry (subject_kind, subject_id, list_type, field, authority, issuing_city_code, basis_type, basis_number, basis_date, severity, state,
      publicity_until, earliest_repair_on, rule_version, ban_starts_on, ban_ends_on, ban_scope, under_objection, rectification_due, version)
    SELECT 'ENTERPRISE'::lists."SubjectKind", x.subject, x."listType"::lists."ListType", '市场监管', '市场监督管理局', x.city, 'ADMINISTRATIVE_PENALTY'::lists."BasisType",
      'BUSY-' || x.n, CURRENT_DATE - 40, CASE WHEN x."listType" = 'RED' THEN NULL ELSE 'SERIOUS'::lists."Severity" END, x.state::lists."ListEntryState",
      CASE WHEN x."listType" = 'RED' THEN NULL ELSE CURRENT_DATE + 300 END, NULL, NULL,
      CASE WHEN x."listType" = 'MARKET_BAN' THEN CURRENT_DATE - 30 END, NULL,
      CASE WHEN x."listType" = 'MARKET_BAN' THEN ARRAY['道路运输经营'] ELSE ARRAY[]::text[] END, x.state = 'UNDER_OBJECTION',
      CASE WHEN x.state = 'RECTIFYING' THEN CURRENT_DATE + 60 END, 0
    FROM json_to_recordset($1::json) AS x(subject text, "listType" text, state text, city text, n int)`);
}

/** Fills credit_rating with `subjects` bulk rows and credit_commitment with subjects / 2 (a quarter breached), then the probes' own; vacuums. */
export async function generateRatingsAndCommitments(sql: Sql, o: { subjects: number; chunk: number; probes: Probe[]; today: string; store: string }) {
  const started = Date.now();
  const grades = gradesInForce(o.today);
  const rp: RecordProbes = { empty: probeUscc(1), busy: probeUscc(2) };
  const commitments = Math.ceil(o.subjects / 2);
  log(`generating ${o.subjects} ratings (${grades.length} grades in force) and ${commitments} commitments`);
  for (let lo = 1; lo <= o.subjects; lo += o.chunk) {
    const hi = Math.min(o.subjects, lo + o.chunk - 1);
    await sql.query(bulkRatingsSql(lo, hi, o.subjects, grades.length), [JSON.stringify(grades), o.today]);
    log(`  ratings ${lo}..${hi}`);
  }
  const [{ max }] = await sql.query<{ max: number }>("SELECT coalesce(max(id), 0)::int AS max FROM measures.credit_commitment");
  for (let lo = 1; lo <= commitments; lo += o.chunk) {
    const hi = Math.min(commitments, lo + o.chunk - 1);
    await sql.query(bulkCommitmentsSql(lo, hi, o.subjects, o.today));
    log(`  commitments ${lo}..${hi}`);
  }
  await insertProbeRecords(sql, probeRecords(o.probes, grades, o.today, rp));
  await sql.query(breachRowsSql(max));
  const insertSec = (Date.now() - started) / 1000;
  const t = Date.now();
  // list_entry was vacuumed by generateEntries; the busy probe's 24 entries do not move its statistics.
  for (const table of ["ratings.credit_rating", "measures.credit_commitment", "measures.commitment_breach"]) await sql.query(`VACUUM (ANALYZE) ${table}`);
  if (o.store === "embedded") await sql.query("CHECKPOINT");
  return { recordProbes: rp, insertSec, vacuumAnalyzeSec: (Date.now() - t) / 1000 };
}
