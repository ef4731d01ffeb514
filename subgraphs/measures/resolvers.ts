import type { Resolvers } from "../../lib/service/subgraph.js";
import { badInput, hubError } from "../../lib/errors.js";
import { cityOf, requireCity } from "../../lib/cities.js";
import { requireRowId as intId, requireSubjectId } from "../../lib/ids/index.js";
import { today } from "../../lib/dates.js";
import { checkFirst, decodeCursor, encodeCursor } from "../../lib/service/pagination.js";
import type { Catalogue, Measure } from "./catalogues/index.js";
import { casePage, type CreditCommitment, type JointCase, type JointCaseParticipant, type JointCaseStep } from "./data.js";
import { recordCommitment, recordRepairCommitment, settleCommitment, type CommitmentInput } from "./domain/commitments.js";
import { isServiceIdentity } from "../../lib/service/subgraphClient.js";
import { effectiveness, openCase, takeStep, type OpenCaseInput } from "./domain/cases.js";
import { applyMeasures, type AppliedMeasure, type PathStep } from "./domain/check.js";
import { gatherParties } from "./domain/sources.js";
import type { MeasuresContext } from "./loaders.js";

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const subjectRef = (kind: string, id: string) => (kind === "ENTERPRISE" ? { __typename: "Enterprise", uscc: id } : { __typename: "Individual", ref: id });
const partyRef = (id: string) => (id.startsWith("PB:") || id === "?" ? null : subjectRef(id.length === 18 && /^\d{17}[\dX]$/.test(id) ? "INDIVIDUAL" : "ENTERPRISE", id));

/** The edge check of a text argument a person writes. */
function requireText(value: string, field: string, max = 500): string {
  const v = value.trim();
  if (v === "" || v.length > max) throw badInput(field, "length", `give 1 to ${max} characters`);
  return v;
}

/** A subject argument; a person needs a statutory personal-data scope (the check shows their records). */
function requireSubject(ctx: MeasuresContext, raw: string, field = "subject") {
  const s = requireSubjectId(raw, field);
  if (s.kind === "INDIVIDUAL" && !ctx.identity!.scopes.has("personal:read")) throw hubError("FORBIDDEN", `${field}: a person's credit check needs the personal:read scope`);
  return s;
}

const measureView = (ctx: MeasuresContext, m: Measure) => ({
  ...m, matters: m.matters.map((c) => ctx.catalogues.matters.find((x) => x.code === c)!),
  listTypes: m.triggers.listTypes ?? [], tiers: m.triggers.tiers ?? [], breachedCommitments: m.triggers.breachedCommitments ?? [], forMonths: m.forMonths ?? null,
});
const catalogueView = (ctx: MeasuresContext, c: Catalogue) => ({
  ...c, city: cityOf(c.city), measures: c.measures.map((m) => measureView(ctx, m)),
  serviceItems: c.serviceItems.map((s) => ({ ...s, matter: ctx.catalogues.matters.find((x) => x.code === s.matter)! })),
});
const stepView = (s: PathStep) => ({ from: partyRef(s.from), to: partyRef(s.to), relation: s.type });
const appliedView = (ctx: MeasuresContext, a: AppliedMeasure) => ({
  measure: measureView(ctx, a.measure), catalogueCity: cityOf(a.catalogue.city), catalogueVersion: a.catalogue.version, issuingCity: cityOf(a.trigger.issuingCity),
  trigger: {
    kind: a.trigger.kind, id: a.trigger.id, basis: a.trigger.basis, since: a.trigger.since,
    listEntry: a.trigger.kind === "LIST_ENTRY" ? { id: a.trigger.id } : null, rating: a.trigger.kind === "RATING" ? { id: a.trigger.id } : null,
    commitment: a.trigger.kind === "COMMITMENT" ? ctx.loaders.commitment.load(Number(a.trigger.id)) : null,
  },
  expiresOn: a.expiresOn,
  via: a.party.role === null ? null : { role: a.party.role, party: subjectRef(a.party.kind, a.party.id), path: a.party.path.map(stepView) },
});

function commitmentInput(ctx: MeasuresContext, i: Omit<CommitmentInput, "subjectKind">): CommitmentInput {
  const s = requireSubject(ctx, i.subject);
  ctx.catalogues.requireMatter(i.matter, "matter");
  return { ...i, subject: s.id, subjectKind: s.kind, text: requireText(i.text, "text", 2000), signatory: requireText(i.signatory, "signatory", 100), authority: requireText(i.authority, "authority", 100) };
}

/** 三清单, 凡办必查, commitments and cases: the reading side. */
function queryResolvers(maxPageSize: number) {
  return {
    matters: (_: unknown, __: unknown, ctx: MeasuresContext) => ctx.catalogues.matters,
    measureCatalogues: (_: unknown, a: { cities?: string[]; inForceOn?: string }, ctx: MeasuresContext) => {
      const cities = new Set((a.cities ?? []).map((c) => requireCity(c, "cities").code));
      return ctx.catalogues.catalogues
        .filter((c) => (cities.size === 0 || cities.has(c.city)) && (!a.inForceOn || (c.validFrom <= a.inForceOn && (c.validTo === null || a.inForceOn < c.validTo))))
        .map((c) => catalogueView(ctx, c));
    },
    creditCheck: async (_: unknown, a: { subject: string; matter: string; purpose: string; includeRelated?: boolean }, ctx: MeasuresContext) => {
      const subject = requireSubject(ctx, a.subject);
      const matter = ctx.catalogues.requireMatter(a.matter.trim(), "matter");
      const purpose = requireText(a.purpose, "purpose", 200);
      // The related parties come from the affiliate graph: the caller must be allowed to read it.
      if (a.includeRelated && !ctx.identity!.scopes.has("graph:read")) throw hubError("FORBIDDEN", "includeRelated: reading related parties needs the graph:read scope");
      if (!ctx.contracts) throw hubError("INTERNAL_SERVER_ERROR", "creditCheck needs the lists, ratings and relations subgraphs; this subgraph runs alone");
      const day0 = today();
      const parties = await gatherParties(ctx.contracts, ctx.store.prisma, subject, a.includeRelated ?? false, day0);
      const applied = applyMeasures(ctx.catalogues, matter.code, day0, parties);
      return {
        subject: subjectRef(subject.kind, subject.id), matter, purpose, checkedOn: day0, includeRelated: a.includeRelated ?? false,
        restricted: applied.some((m) => m.measure.kind === "PUNITIVE"), measures: applied.map((m) => appliedView(ctx, m)),
      };
    },
    creditCommitment: (_: unknown, a: { id: string }, ctx: MeasuresContext) => ctx.loaders.commitment.load(intId(a.id, "id", "a commitment id")),
    jointCase: (_: unknown, a: { id: string }, ctx: MeasuresContext) => ctx.loaders.jointCase.load(intId(a.id, "id", "a joint case id")),
    jointCases: async (_: unknown, a: { subject?: string; overdueOnly?: boolean; first?: number; after?: string }, ctx: MeasuresContext) => {
      const first = checkFirst(a.first, maxPageSize);
      const before = a.after ? Number(decodeCursor(a.after, (k) => /^\d{1,10}$/.test(k))) : null;
      const subject = a.subject ? requireSubject(ctx, a.subject).id : null;
      const ids = await casePage(ctx.store.prisma, { subject, overdueOnly: a.overdueOnly ?? false }, first + 1, before);
      const nodes = (await Promise.all(ids.slice(0, first).map((id) => ctx.loaders.jointCase.load(id)))).filter((c): c is JointCase => c !== null);
      return { edges: nodes.map((n) => ({ cursor: encodeCursor(String(n.id)), node: n })), pageInfo: { hasNextPage: ids.length > first, endCursor: nodes.length ? encodeCursor(String(nodes.at(-1)!.id)) : null } };
    },
    measureEffectiveness: (_: unknown, a: { measures?: string[] }, ctx: MeasuresContext) => effectiveness(ctx.store.prisma, a.measures?.length ? a.measures : null),
  };
}

/** Commitments and cases: the writing side, each checked at the edge. */
const mutationResolvers = {
  recordRepairCommitment: (_: unknown, a: { input: { sourceRef: string; subject: string; text: string; signatory: string; signedOn: string; authority: string } }, ctx: MeasuresContext) => {
    if (!isServiceIdentity(ctx.identity!)) throw hubError("FORBIDDEN", "repair commitments are filed with a repair application (submitRepairApplication), not on their own");
    const s = requireSubjectId(a.input.subject, "subject");
    return recordRepairCommitment(ctx.store.prisma, ctx.identity!, { ...a.input, subject: s.id, subjectKind: s.kind }, today(), a.input.sourceRef);
  },
  recordCommitment: (_: unknown, a: { input: Omit<CommitmentInput, "subjectKind"> }, ctx: MeasuresContext) =>
    recordCommitment(ctx.store.prisma, ctx.identity!, commitmentInput(ctx, a.input), today()),
  settleCommitment: (_: unknown, a: { id: string; to: "FULFILLED" | "WITHDRAWN" }, ctx: MeasuresContext) =>
    settleCommitment(ctx.store.prisma, ctx.identity!, intId(a.id, "id", "a commitment id"), a.to, today()),
  openJointCase: (_: unknown, a: { input: Omit<OpenCaseInput, "subjectKind"> }, ctx: MeasuresContext) => {
    const s = requireSubject(ctx, a.input.subject);
    return openCase(ctx.store.prisma, ctx.catalogues, ctx.identity!, { ...a.input, subject: s.id, subjectKind: s.kind, department: requireText(a.input.department, "department", 100), triggerId: requireText(a.input.triggerId, "triggerId", 40) }, today());
  },
  recordJointCaseStep: async (_: unknown, a: { caseId: string; step: "INITIATED" | "RESPONDED" | "EXECUTED" | "FEEDBACK"; department: string; note: string }, ctx: MeasuresContext) => {
    if (a.step === "INITIATED") throw badInput("step", "initiated", "a case is INITIATED by openJointCase; record RESPONDED, EXECUTED or FEEDBACK");
    const id = intId(a.caseId, "caseId", "a joint case id");
    await takeStep(ctx.store.prisma, ctx.identity!, id, a.step, requireText(a.department, "department", 100), requireText(a.note, "note", 2000));
    return ctx.loaders.jointCase.load(id);
  },
};

export function createResolvers(maxPageSize: number): Resolvers {
  return {
    Query: queryResolvers(maxPageSize),
    Mutation: mutationResolvers,
    Enterprise: {
      commitments: (e: { uscc: string }, a: { states?: string[] }, ctx: MeasuresContext) => commitmentsOf(e.uscc, a.states, ctx),
      measuresInForce: (e: { uscc: string }, _: unknown, ctx: MeasuresContext) => measuresInForce(ctx, e.uscc),
    },
    Individual: { commitments: (i: { ref: string }, a: { states?: string[] }, ctx: MeasuresContext) => commitmentsOf(i.ref, a.states, ctx) },
    CreditSubject: { __resolveType: (s: { __typename: string }) => s.__typename },
    Portrait: {
      __resolveReference: (ref: { subject: string }) => ref,
      commitmentsByState: async (p: { subject: string }, _: unknown, ctx: MeasuresContext) => {
        const all = await ctx.loaders.commitmentsOfSubject.load(p.subject);
        return ["PENDING", "FULFILLED", "BREACHED", "WITHDRAWN"].map((state) => ({ state, count: all.filter((c) => c.state === state).length })).filter((x) => x.count > 0);
      },
      fulfilmentRate: async (p: { subject: string }, _: unknown, ctx: MeasuresContext) => {
        const all = await ctx.loaders.commitmentsOfSubject.load(p.subject);
        const kept = all.filter((c) => c.state === "FULFILLED").length, broken = all.filter((c) => c.state === "BREACHED").length;
        return kept + broken === 0 ? null : Math.round((kept / (kept + broken)) * 10_000) / 10_000;
      },
    },
    CreditCommitment: {
      __resolveReference: (ref: { id: string }, ctx: MeasuresContext) => ctx.loaders.commitment.load(intId(ref.id, "id")),
      id: (c: CreditCommitment) => String(c.id),
      subject: (c: CreditCommitment) => subjectRef(c.subjectKind, c.subjectId),
      matter: (c: CreditCommitment, _: unknown, ctx: MeasuresContext) => ctx.catalogues.matters.find((m) => m.code === c.matter) ?? { code: c.matter, name: c.matter },
      signedOn: (c: CreditCommitment) => day(c.signedOn),
      dueOn: (c: CreditCommitment) => day(c.dueOn),
      settledOn: (c: CreditCommitment) => day(c.settledOn),
      issuingCity: (c: CreditCommitment) => cityOf(c.issuingCityCode),
      breach: async (c: CreditCommitment, _: unknown, ctx: MeasuresContext) => {
        if (c.state !== "BREACHED") return null;
        const b = await ctx.loaders.breach.load(c.id);
        return b && { id: String(b.id), breachedOn: day(b.breachedOn), description: b.description, city: cityOf(b.cityCode) };
      },
    },
    JointCase: {
      __resolveReference: (ref: { id: string }, ctx: MeasuresContext) => ctx.loaders.jointCase.load(intId(ref.id, "id")),
      id: (c: JointCase) => String(c.id),
      subject: (c: JointCase) => subjectRef(c.subjectKind, c.subjectId),
      measure: (c: JointCase, _: unknown, ctx: MeasuresContext) => {
        const cat = ctx.catalogues.catalogues.find((x) => x.city === c.catalogueCity && x.version === c.catalogueVersion);
        const m = cat?.measures.find((x) => x.code === c.measureCode);
        if (!m) throw hubError("NOT_FOUND", `measure ${c.measureCode} of catalogue ${c.catalogueCity} v${c.catalogueVersion} is no longer in the repository`);
        return measureView(ctx, m);
      },
      catalogueCity: (c: JointCase) => cityOf(c.catalogueCity),
      initiatingCity: (c: JointCase) => cityOf(c.initiatingCityCode),
      openedAt: (c: JointCase) => c.openedAt.toISOString(),
      participants: async (c: JointCase, _: unknown, ctx: MeasuresContext) => {
        const [parts, steps] = await Promise.all([ctx.loaders.participants.load(c.id), ctx.loaders.steps.load(c.id)]);
        const now = Date.now();
        return parts.map((p: JointCaseParticipant) => {
          const mine = steps.filter((s) => s.cityCode === p.cityCode && s.department === p.department);
          return { city: cityOf(p.cityCode), department: p.department, respondBy: p.respondBy.toISOString(), lastStep: mine.at(-1)?.step ?? null, overdue: !mine.some((s) => s.step === "RESPONDED") && p.respondBy.getTime() < now };
        });
      },
      steps: async (c: JointCase, _: unknown, ctx: MeasuresContext) =>
        (await ctx.loaders.steps.load(c.id)).map((s: JointCaseStep) => ({ ...s, id: String(s.id), city: cityOf(s.cityCode), at: s.at.toISOString() })),
    },
  };
}

/** The measures applying today for any matter: one gathering, judged per matter, each measure and record once. */
async function measuresInForce(ctx: MeasuresContext, uscc: string) {
  if (!ctx.contracts) throw hubError("INTERNAL_SERVER_ERROR", "measuresInForce needs the lists and ratings subgraphs; this subgraph runs alone");
  const day0 = today();
  const parties = await gatherParties(ctx.contracts, ctx.store.prisma, { id: uscc, kind: "ENTERPRISE" }, false, day0);
  const seen = new Set<string>();
  return ctx.catalogues.matters.flatMap((m) => applyMeasures(ctx.catalogues, m.code, day0, parties))
    .filter((a) => { const k = `${a.catalogue.city}|${a.measure.code}|${a.trigger.kind}|${a.trigger.id}`; return seen.has(k) ? false : (seen.add(k), true); })
    .map((a) => appliedView(ctx, a));
}

async function commitmentsOf(subject: string, states: string[] | undefined, ctx: MeasuresContext): Promise<CreditCommitment[]> {
  const all = await ctx.loaders.commitmentsOfSubject.load(subject);
  return states?.length ? all.filter((c) => states.includes(c.state)) : all;
}
