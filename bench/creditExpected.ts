// What every creditCheck answer of the credit-check bench should be, and the load that checks it.
// The bench reads each probe's rows straight from the tables (its own SQL, its own reading of
// the rules: entries in force by state, bans by their dates, ratings by validity, breaches) and
// applies the measures subgraph's pure applyMeasures with the same catalogues. So the check
// covers what the hub adds around that function: gathering across the lists, ratings and
// measures subgraphs, federation through the gateway, and the state and date filters.
import { applyMeasures, type Party, type Trigger } from "../subgraphs/measures/domain/check.js";
import { loadCatalogues, type CommitmentType, type ListTypeName, type TierName } from "../subgraphs/measures/catalogues/index.js";
import type { Sql } from "./listsData.js";
import type { DynamicLoadOptions } from "./load.js";

export const MATTERS = ["tendering", "procurement", "approval", "market-entry", "subsidy", "financing"];
export const CHECK_QUERY =
  'query Check($s: ID!, $m: String!) { creditCheck(subject: $s, matter: $m, purpose: "bench: 凡办必查") { restricted measures { measure { code } trigger { kind id } expiresOn } } }';

export interface CheckProbe { subject: string; kind: "ENTERPRISE" | "INDIVIDUAL" }
/** One line per applied measure (code, trigger kind and id, expiry), in the answer's order, and whether restricted. */
export interface Expected { lines: string; restricted: boolean; measures: number }

/** Entries in these states carry measures (UNDER_OBJECTION suspends them, F16). */
const IN_FORCE = new Set(["RECOGNISED", "PUBLISHED", "RECTIFYING"]);
const D = (c: string) => `to_char(${c}, 'YYYY-MM-DD')`;

interface EntryRow { id: string; s: string; type: ListTypeName; city: string; state: string; basis: string; until: string | null; banFrom: string | null; banTo: string | null }
interface RatingRow { id: string; s: string; tier: TierName; city: string; rated: string; until: string }
interface BreachRow { id: string; s: string; type: CommitmentType; city: string; on: string }

/** Each subject's records that may trigger a measure today, read with the bench's own SQL. */
async function triggersOf(sql: Sql, subjects: CheckProbe[], today: string): Promise<Map<string, Trigger[]>> {
  const ids = subjects.map((s) => s.subject);
  const firms = new Set(subjects.filter((s) => s.kind === "ENTERPRISE").map((s) => s.subject));
  const out = new Map<string, Trigger[]>(ids.map((id) => [id, []]));
  const add = (s: string, t: Trigger) => out.get(s.trim())?.push(t);
  const entries = await sql.query<EntryRow>(
    `SELECT id::text, subject_id AS s, list_type::text AS type, issuing_city_code AS city, state::text AS state, ${D("basis_date")} AS basis,
       ${D("publicity_until")} AS until, ${D("ban_starts_on")} AS "banFrom", ${D("ban_ends_on")} AS "banTo"
     FROM lists.list_entry WHERE subject_id = ANY($1::char(18)[])`, [ids]);
  for (const e of entries) {
    if (!IN_FORCE.has(e.state)) continue;
    const ban = e.type === "MARKET_BAN";
    if (ban && (e.banFrom === null || e.banFrom > today || (e.banTo !== null && e.banTo < today))) continue;
    add(e.s, { kind: "LIST_ENTRY", id: e.id, listType: e.type, issuingCity: e.city, basis: "", since: ban ? e.banFrom! : e.basis, expiresOn: ban ? e.banTo : e.until });
  }
  const ratings = await sql.query<RatingRow>(
    `SELECT id::text, subject_id AS s, tier, issuing_city_code AS city, ${D("rated_on")} AS rated, ${D("valid_until")} AS until
     FROM ratings.credit_rating WHERE subject_id = ANY($1::char(18)[]) AND valid_until >= $2::date`, [ids, today]);
  for (const r of ratings) if (firms.has(r.s.trim())) add(r.s, { kind: "RATING", id: r.id, tier: r.tier, issuingCity: r.city, basis: "", since: r.rated, expiresOn: r.until });
  const breaches = await sql.query<BreachRow>(
    `SELECT b.commitment_id::text AS id, b.subject_id AS s, c.type, b.city_code AS city, ${D("b.breached_on")} AS on
     FROM measures.commitment_breach b JOIN measures.credit_commitment c ON c.id = b.commitment_id WHERE b.subject_id = ANY($1::char(18)[])`, [ids]);
  for (const b of breaches) add(b.s, { kind: "COMMITMENT", id: b.id, type: b.type, issuingCity: b.city, basis: "", since: b.on, expiresOn: null });
  return out;
}

const line = (code: string, kind: string, id: string, expiresOn: string | null) => `${code}|${kind}|${id}|${expiresOn ?? "-"}`;

/** Expected answers by `${subject}|${matter}` for every probe and matter (valid for `today` only). */
export async function expectedAnswers(sql: Sql, probes: CheckProbe[], today: string): Promise<Map<string, Expected>> {
  const registry = loadCatalogues();
  const out = new Map<string, Expected>();
  for (let i = 0; i < probes.length; i += 5000) {
    const part = probes.slice(i, i + 5000);
    const triggers = await triggersOf(sql, part, today);
    for (const p of part) {
      const party: Party = { id: p.subject, kind: p.kind, role: null, path: [], triggers: triggers.get(p.subject) ?? [] };
      for (const matter of MATTERS) {
        const applied = applyMeasures(registry, matter, today, [party]);
        out.set(`${p.subject}|${matter}`, {
          lines: applied.map((a) => line(a.measure.code, a.trigger.kind, a.trigger.id, a.expiresOn)).join("\n"),
          restricted: applied.some((a) => a.measure.kind === "PUNITIVE"),
          measures: applied.length,
        });
      }
    }
  }
  return out;
}

type CheckAnswer = { data?: { creditCheck?: { restricted: boolean; measures: Array<{ measure: { code: string }; trigger: { kind: string; id: string }; expiresOn: string | null }> } }; errors?: Array<{ message: string }> };

/** Compares one answer with the expected one; null when equal, else what differs (short). */
export function differs(body: string, want: Expected | undefined): string | null {
  if (!want) return "no expected answer";
  let r: CheckAnswer;
  try {
    r = JSON.parse(body) as CheckAnswer;
  } catch {
    return `not JSON: ${body.slice(0, 80)}`;
  }
  const c = r.data?.creditCheck;
  if (r.errors?.length || !c) return `errors: ${r.errors?.map((e) => e.message).join("; ").slice(0, 160) ?? "no data"}`;
  const got = c.measures.map((m) => line(m.measure.code, m.trigger.kind, m.trigger.id, m.expiresOn)).join("\n");
  if (got !== want.lines || c.restricted !== want.restricted) return `expected [${want.lines.replace(/\n/g, ", ")}] restricted ${want.restricted}; got [${got.replace(/\n/g, ", ")}] restricted ${c.restricted}`;
  return null;
}

/** creditCheck over the probes, the matter rotating too; every answer compared with `expected`. */
export function checkLoad(url: string, probes: CheckProbe[], expected: Map<string, Expected>) {
  let n = 0;
  const tally = { answers: 0, withMeasures: 0, restricted: 0, wrongAnswers: 0, wrongSamples: [] as string[] };
  const load: Omit<DynamicLoadOptions, "connections" | "durationSec"> = {
    url,
    nextBody: (ctx) => {
      const i = n++;
      const p = probes[i % probes.length];
      const matter = MATTERS[(i + Math.floor(i / probes.length)) % MATTERS.length];
      ctx.key = `${p.subject}|${matter}`;
      return JSON.stringify({ query: CHECK_QUERY, variables: { s: p.subject, m: matter } });
    },
    onBody: (body, ctx) => {
      const want = expected.get(ctx.key as string);
      const problem = differs(body, want);
      tally.answers++;
      if (want && want.measures > 0) tally.withMeasures++;
      if (want?.restricted) tally.restricted++;
      if (problem) {
        tally.wrongAnswers++;
        if (tally.wrongSamples.length < 5) tally.wrongSamples.push(`${String(ctx.key)}: ${problem}`.slice(0, 600));
      }
      return problem === null;
    },
  };
  return { load, tally };
}
