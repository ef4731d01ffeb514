/**
 * The records a credit check judges, gathered through the other subgraphs' contracts (never
 * their tables): list entries of every city (lists), ratings in force (ratings), the parties that
 * answer for the subject as of today (relations: the graph, lib/service/answerable.ts), and
 * breached commitments (ours).
 * One call to each subgraph however many parties, and one statement here: the cost of a check
 * does not grow with the measures or the cities.
 */
import { callSubgraph } from "../../../lib/service/subgraphClient.js";
import { hubError } from "../../../lib/errors.js";
import type { PrismaClient } from "../../../prisma/store.js";
import { answeringParties } from "../../../lib/service/answerable.js";
import type { ListTypeName, TierName, CommitmentType } from "../catalogues/index.js";
import type { Party, Trigger } from "./check.js";

export interface Contracts {
  lists: () => string | undefined;
  ratings: () => string | undefined;
  relations: () => string | undefined;
  secret: string;
}

type Subject = { id: string; kind: "ENTERPRISE" | "INDIVIDUAL" };
const representation = (s: Subject) => (s.kind === "ENTERPRISE" ? { __typename: "Enterprise", uscc: s.id } : { __typename: "Individual", ref: s.id });

function need(url: string | undefined, name: string): string {
  if (!url) throw hubError("INTERNAL_SERVER_ERROR", `the ${name} subgraph is not running; the credit check cannot be complete without it`);
  return url;
}

/** Entries in these states carry their measures (under objection they are suspended; F16). */
const IN_FORCE = "[RECOGNISED, PUBLISHED, RECTIFYING]";
const ENTRY = "id listType authority issuingCity { code } basis { type referenceNumber decidedOn } publicityUntil banStartsOn banEndsOn linkedEntry { subject { ... on Enterprise { uscc } } }";
interface EntryRow {
  id: string; listType: ListTypeName; authority: string; issuingCity: { code: string }; basis: { type: string; referenceNumber: string; decidedOn: string };
  publicityUntil: string | null; banStartsOn: string | null; banEndsOn: string | null; linkedEntry: { subject: { uscc?: string } } | null;
}

/** Entries by party id, each with the enterprise whose own entry it extends (F19), if any. */
type PartyEntries = Map<string, Array<Trigger & { linkedTo: string | null }>>;

/** List entries in force of every party, by party id, from every member city. */
async function listEntries(c: Contracts, parties: Subject[], today: string): Promise<PartyEntries> {
  const data = await callSubgraph<{ _entities: Array<{ uscc?: string; ref?: string; listEntries: EntryRow[] } | null> }>(need(c.lists(), "lists"), c.secret, "measures", ["credit:read"],
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { uscc listEntries(states: ${IN_FORCE}) { ${ENTRY} } } ... on Individual { ref listEntries(states: ${IN_FORCE}) { ${ENTRY} } } } }`,
    { r: parties.map(representation) });
  const out: PartyEntries = new Map();
  for (const e of data._entities) {
    if (!e) continue;
    const triggers: Array<Trigger & { linkedTo: string | null }> = [];
    for (const x of e.listEntries) {
      const ban = x.listType === "MARKET_BAN";
      if (ban && (x.banStartsOn === null || x.banStartsOn > today || (x.banEndsOn !== null && x.banEndsOn < today))) continue;
      triggers.push({
        kind: "LIST_ENTRY", id: x.id, listType: x.listType, issuingCity: x.issuingCity.code, since: ban ? x.banStartsOn! : x.basis.decidedOn,
        expiresOn: ban ? x.banEndsOn : x.publicityUntil, basis: `${x.authority} ${x.basis.referenceNumber}（${x.basis.decidedOn}）`,
        linkedTo: x.linkedEntry?.subject.uscc ?? null,
      });
    }
    out.set((e.uscc ?? e.ref)!, triggers);
  }
  return out;
}

interface RatingRow { id: string; tier: TierName; grade: string; evaluator: string; issuingCity: { code: string }; scale: { id: string; title: string }; ratedOn: string; validUntil: string }

/** The enterprise's ratings in force, each on its issuer's scale. */
async function ratings(c: Contracts, uscc: string): Promise<Trigger[]> {
  const data = await callSubgraph<{ _entities: Array<{ ratings: RatingRow[] } | null> }>(need(c.ratings(), "ratings"), c.secret, "measures", ["credit:read"],
    "query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { ratings { id tier grade evaluator issuingCity { code } scale { id title } ratedOn validUntil } } } }",
    { r: [{ __typename: "Enterprise", uscc }] });
  return (data._entities[0]?.ratings ?? []).map((r) => ({
    kind: "RATING", id: r.id, tier: r.tier, issuingCity: r.issuingCity.code, since: r.ratedOn, expiresOn: r.validUntil,
    basis: `${r.evaluator}：${r.scale.title}（${r.scale.id}）评为 ${r.grade}（${r.ratedOn}）`,
  }));
}

/** Breached commitments of the subject, as triggers (the breach's negative record is the basis): one statement. */
async function breaches(prisma: PrismaClient, subject: string): Promise<Trigger[]> {
  const rows = await prisma.$queryRaw<Array<{ commitment_id: number; type: string; city_code: string; breached_on: Date; description: string }>>`
    SELECT b.commitment_id, c.type, b.city_code, b.breached_on, b.description
    FROM measures.commitment_breach b JOIN measures.credit_commitment c ON c.id = b.commitment_id
    WHERE b.subject_id = ${subject} ORDER BY b.id`;
  return rows.map((b) => ({
    kind: "COMMITMENT", id: String(b.commitment_id), type: b.type as CommitmentType, issuingCity: b.city_code,
    since: new Date(b.breached_on).toISOString().slice(0, 10), expiresOn: null, basis: b.description,
  }));
}

/** The subject (role null) and, when asked, its related parties, each with the records that may trigger measures. */
export async function gatherParties(c: Contracts, prisma: PrismaClient, subject: Subject, includeRelated: boolean, today: string): Promise<Party[]> {
  // 防易地开张: the people and controllers who answer for the enterprise today, from the graph.
  const related = includeRelated && subject.kind === "ENTERPRISE" ? await answeringParties(c.relations(), c.secret, "measures", subject.id, today, true) : [];
  const everyone = [subject, ...related.filter((p, i) => related.findIndex((q) => q.id === p.id) === i)];
  const [entries, rated, broken] = await Promise.all([
    listEntries(c, everyone, today),
    subject.kind === "ENTERPRISE" ? ratings(c, subject.id) : Promise.resolve([]),
    breaches(prisma, subject.id),
  ]);
  return [
    { id: subject.id, kind: subject.kind, role: null, path: [], triggers: [...(entries.get(subject.id) ?? []), ...rated, ...broken] },
    // A person's entry that only extends the firm's own listing to them (F19) is not a second reason.
    ...related.map((p) => ({ ...p, triggers: (entries.get(p.id) ?? []).filter((t) => t.linkedTo !== subject.id) })),
  ];
}
