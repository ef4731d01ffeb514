/**
 * The records a credit check judges, gathered through the other subgraphs' contracts (never
 * their tables): list entries of every city (lists), ratings in force (ratings), the parties that
 * answer for the subject as of today (relations: the graph), and breached commitments (ours).
 * One call to each subgraph however many parties, and one statement here: the cost of a check
 * does not grow with the measures or the cities.
 */
import { callSubgraph } from "../../../lib/service/subgraphClient.js";
import { hubError } from "../../../lib/errors.js";
import type { PrismaClient } from "../../../prisma/store.js";
import { REACH_ROLES, type ListTypeName, type ReachRole, type TierName, type CommitmentType } from "../catalogues/index.js";
import type { Party, PathStep, Trigger } from "./check.js";

export interface Contracts {
  lists: () => string | undefined;
  ratings: () => string | undefined;
  relations: () => string | undefined;
  secret: string;
}

type Subject = { id: string; kind: "ENTERPRISE" | "INDIVIDUAL" };
type Ref = { uscc?: string; ref?: string; code?: string } | null;

const idOf = (s: Ref) => s?.uscc ?? s?.ref ?? (s?.code ? `PB:${s.code}` : null);
const representation = (s: Subject) => (s.kind === "ENTERPRISE" ? { __typename: "Enterprise", uscc: s.id } : { __typename: "Individual", ref: s.id });

function need(url: string | undefined, name: string): string {
  if (!url) throw hubError(name === "relations" ? "GRAPH_UNAVAILABLE" : "INTERNAL_SERVER_ERROR", `the ${name} subgraph is not running; the credit check cannot be complete without it`);
  return url;
}

/** Entries in these states carry their measures (under objection they are suspended; F16). */
const IN_FORCE = "[RECOGNISED, PUBLISHED, RECTIFYING]";
const ENTRY = "id listType authority issuingCity { code } basis { type referenceNumber decidedOn } publicityUntil banStartsOn banEndsOn";
interface EntryRow { id: string; listType: ListTypeName; authority: string; issuingCity: { code: string }; basis: { type: string; referenceNumber: string; decidedOn: string }; publicityUntil: string | null; banStartsOn: string | null; banEndsOn: string | null }

/** List entries in force of every party, by party id, from every member city. */
async function listEntries(c: Contracts, parties: Subject[], today: string): Promise<Map<string, Trigger[]>> {
  const data = await callSubgraph<{ _entities: Array<{ uscc?: string; ref?: string; listEntries: EntryRow[] } | null> }>(need(c.lists(), "lists"), c.secret, "measures", ["credit:read"],
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { uscc listEntries(states: ${IN_FORCE}) { ${ENTRY} } } ... on Individual { ref listEntries(states: ${IN_FORCE}) { ${ENTRY} } } } }`,
    { r: parties.map(representation) });
  const out = new Map<string, Trigger[]>();
  for (const e of data._entities) {
    if (!e) continue;
    const triggers: Trigger[] = [];
    for (const x of e.listEntries) {
      const ban = x.listType === "MARKET_BAN";
      if (ban && (x.banStartsOn === null || x.banStartsOn > today || (x.banEndsOn !== null && x.banEndsOn < today))) continue;
      triggers.push({
        kind: "LIST_ENTRY", id: x.id, listType: x.listType, issuingCity: x.issuingCity.code, since: ban ? x.banStartsOn! : x.basis.decidedOn,
        expiresOn: ban ? x.banEndsOn : x.publicityUntil, basis: `${x.authority} ${x.basis.referenceNumber}（${x.basis.decidedOn}）`,
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

const SUBJECT = "... on Enterprise { uscc } ... on Individual { ref } ... on PublicBody { code }";
const STEP = `type from { ${SUBJECT} } to { ${SUBJECT} }`;
type StepRow = { type: string; from: Ref; to: Ref };
interface RelatedRow {
  affiliates: { edges: Array<{ node: { kind: string; subject: Ref; path: StepRow[] } }> };
  ultimateControllers: Array<{ kind: string; controls: boolean; subject: Ref; paths: Array<{ steps: StepRow[] }> }>;
}

const pathOf = (steps: StepRow[]): PathStep[] => steps.map((s) => ({ from: idOf(s.from) ?? "?", to: idOf(s.to) ?? "?", type: s.type }));

/**
 * 防易地开张: the people who answer for the enterprise today (legal representative, principals,
 * actual controllers: edges into it) and the ultimate controllers of its ownership chain, each
 * with the path that links it. Public bodies are left out: no list holds them.
 */
async function relatedParties(c: Contracts, uscc: string, today: string): Promise<Array<Omit<Party, "triggers">>> {
  const data = await callSubgraph<{ _entities: Array<RelatedRow | null> }>(need(c.relations(), "relations"), c.secret, "measures", ["graph:read"],
    `query($r: [_Any!]!, $asOf: Date!) { _entities(representations: $r) { ... on Enterprise {
      affiliates(depth: 1, relationTypes: [${REACH_ROLES.join(", ")}], first: 100, asOf: $asOf) { edges { node { kind subject { ${SUBJECT} } path { ${STEP} } } } }
      ultimateControllers(asOf: $asOf) { kind controls subject { ${SUBJECT} } paths { steps { ${STEP} } } } } } }`,
    { r: [{ __typename: "Enterprise", uscc }], asOf: today });
  const row = data._entities[0];
  const parties = new Map<string, Omit<Party, "triggers">>();
  const add = (id: string | null, kind: string, role: ReachRole, path: PathStep[]) => {
    if (!id || id === uscc || (kind !== "ENTERPRISE" && kind !== "PERSON")) return;
    const key = `${id}|${role}`;
    if (!parties.has(key)) parties.set(key, { id, kind: kind === "PERSON" ? "INDIVIDUAL" : "ENTERPRISE", role, path });
  };
  for (const { node } of row?.affiliates.edges ?? []) {
    const first = pathOf(node.path)[0];
    // Only edges into the subject: a party that answers for it, not a firm it answers for.
    if (first && first.to === uscc && (REACH_ROLES as readonly string[]).includes(first.type)) add(idOf(node.subject), node.kind, first.type as ReachRole, pathOf(node.path));
  }
  for (const ctl of row?.ultimateControllers ?? []) {
    if (ctl.controls) add(idOf(ctl.subject), ctl.kind, "ACTUAL_CONTROLLER_OF", pathOf(ctl.paths[0]?.steps ?? []));
  }
  return [...parties.values()];
}

/** Breached commitments of the subject, as triggers (the breach's negative record is the basis). */
async function breaches(prisma: PrismaClient, subject: string): Promise<Trigger[]> {
  const rows = await prisma.commitmentBreach.findMany({ where: { subjectId: subject }, include: { commitment: { select: { type: true } } }, orderBy: { id: "asc" } });
  return rows.map((b) => ({
    kind: "COMMITMENT", id: String(b.commitmentId), type: b.commitment.type as CommitmentType, issuingCity: b.cityCode,
    since: b.breachedOn.toISOString().slice(0, 10), expiresOn: null, basis: b.description,
  }));
}

/** The subject (role null) and, when asked, its related parties, each with the records that may trigger measures. */
export async function gatherParties(c: Contracts, prisma: PrismaClient, subject: Subject, includeRelated: boolean, today: string): Promise<Party[]> {
  const related = includeRelated && subject.kind === "ENTERPRISE" ? await relatedParties(c, subject.id, today) : [];
  const everyone = [subject, ...related.filter((p, i) => related.findIndex((q) => q.id === p.id) === i)];
  const [entries, rated, broken] = await Promise.all([
    listEntries(c, everyone, today),
    subject.kind === "ENTERPRISE" ? ratings(c, subject.id) : Promise.resolve([]),
    breaches(prisma, subject.id),
  ]);
  return [
    { id: subject.id, kind: subject.kind, role: null, path: [], triggers: [...(entries.get(subject.id) ?? []), ...rated, ...broken] },
    ...related.map((p) => ({ ...p, triggers: entries.get(p.id) ?? [] })),
  ];
}
