import { z } from "zod";
import type { ListEntry, ListEntryHistory, Objection, RepairApplication, Interview, ListEntryState, ListType } from "../../prisma/generated/client.js";
import type { Resolvers } from "../../lib/service/subgraph.js";
import { cityOf, requireCity } from "../../lib/cities.js";
import { dateOf, today } from "../../lib/dates.js";
import { hubError } from "../../lib/errors.js";
import { checkUscc, requireRowId } from "../../lib/ids/index.js";
import { checkFirst, decodeCursor, toPage } from "../../lib/service/pagination.js";
import { parseInput } from "../../lib/service/validate.js";
import type { ListsContext } from "./loaders.js";
import { LIST_TYPES } from "./domain/listTypes.js";
import { bansInForce, countEntries, findEntries, LIST_HISTORY } from "./data.js";
import { verifyChain } from "./domain/history.js";
import { recognize, subjectOf, type RecognizeInput } from "./domain/recognition.js";
import { transition } from "./domain/transitions.js";
import { advanceObjection, isOverdue, submitObjection } from "./domain/objections.js";
import { decideRepair, revokeRepair, submitRepair, type CommitmentInput } from "./domain/repairs.js";
import { recordInterview } from "./domain/interviews.js";
import { portraitResolvers } from "./domain/portrait.js";
import type { Actor } from "./domain/entryTx.js";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const entryId = (raw: string, field = "id"): number => requireRowId(raw, field, "a list entry id");

function actorOf(ctx: ListsContext): Actor {
  return { sub: ctx.identity!.sub, city: ctx.identity!.city, historyKey: ctx.historyKey };
}

const filterSchema = z.object({
  subject: z.string().nullish(),
  types: z.array(z.string()).nullish(),
  states: z.array(z.string()).nullish(),
  cities: z.array(z.string()).nullish(),
  underObjection: z.boolean().nullish(),
}).nullish();

interface SubjectFilterArgs { types?: ListType[] | null; states?: ListEntryState[] | null; cities?: string[] | null }

async function entriesOf(subject: string, args: SubjectFilterArgs, ctx: ListsContext): Promise<ListEntry[]> {
  for (const c of args.cities ?? []) requireCity(c, "cities");
  const all = await ctx.loaders.entriesOfSubject.load(subject);
  return all.filter((e) => (!args.types?.length || args.types.includes(e.listType)) && (!args.states?.length || args.states.includes(e.state)) && (!args.cities?.length || args.cities.includes(e.issuingCityCode)));
}

type BanStatus = { subject: string; responsiblePersonIds?: string[]; bans?: Promise<ListEntry[]> };

/**
 * One query per status object, however many of `banned` and `bans` are selected: bans on the
 * subject and on everyone answering for it today (F19), in the records and in the graph.
 */
function bansOf(s: BanStatus, ctx: ListsContext): Promise<ListEntry[]> {
  s.bans ??= (async () => {
    const day = today();
    const answering = ctx.lookupResponsible && checkUscc(s.subject).ok ? (await ctx.lookupResponsible(s.subject, day)).map((p) => p.idNumber) : [];
    return bansInForce(ctx.store.prisma, [...new Set([s.subject, ...(s.responsiblePersonIds ?? []), ...answering])], dateOf(day));
  })();
  return s.bans;
}

/** 名单 queries: entries, bans across cities, history checks, objections and overdue rectifications. */
function queryResolvers(maxPageSize: number) {
  return {
    listEntry: (_: unknown, a: { id: string }, ctx: ListsContext) => ctx.loaders.entry.load(entryId(a.id)),
    listEntries: async (_: unknown, a: { filter?: unknown; first?: number; after?: string }, ctx: ListsContext) => {
      const f = parseInput(filterSchema, a.filter, "filter") ?? {};
      for (const c of f.cities ?? []) requireCity(c, "filter.cities");
      const first = checkFirst(a.first, maxPageSize);
      const before = a.after ? Number(decodeCursor(a.after, (k) => /^\d{1,9}$/.test(k))) : undefined;
      const rows = await findEntries(ctx.store.prisma, {
        subject: f.subject ? subjectOf(f.subject, "filter.subject").id : undefined,
        types: (f.types ?? undefined) as ListType[] | undefined, states: (f.states ?? undefined) as ListEntryState[] | undefined,
        cities: f.cities ?? undefined, underObjection: f.underObjection ?? undefined,
      }, first + 1, before);
      for (const r of rows) ctx.loaders.entry.prime(r.id, r);
      return toPage(rows, first, (e) => String(e.id));
    },
    listStatistics: (_: unknown, a: { cities?: string[] | null; states?: ListEntryState[] | null }, ctx: ListsContext) => {
      for (const c of a.cities ?? []) requireCity(c, "cities");
      return countEntries(ctx.store.prisma, { cities: a.cities ?? undefined, states: a.states ?? undefined });
    },
    marketBanStatus: (_: unknown, a: { subject: string }) => ({ subject: subjectOf(a.subject).id }),
    verifyHistory: async (_: unknown, a: { id: string }, ctx: ListsContext) => {
      const id = entryId(a.id);
      const rows = await ctx.store.prisma.listEntryHistory.findMany({ where: { entryId: id }, orderBy: { seq: "asc" } });
      if (rows.length === 0) throw hubError("NOT_FOUND", `no list entry ${id}`);
      const chain = verifyChain(rows, ctx.historyKey);
      if (!chain.valid || !ctx.ledger) return { entryId: String(id), ...chain, sealedRecords: 0 };
      // The seals from the entry's first record on: its own rows, and any of its rows deleted since.
      const sealed = await ctx.ledger.verify(LIST_HISTORY, { from: rows[0].id, to: 9223372036854775807n });
      const upTo = sealed.sealedUpTo === null ? -1n : BigInt(sealed.sealedUpTo);
      const sealedRecords = rows.filter((r) => r.id <= upTo).length;
      if (!sealed.valid) return { entryId: String(id), valid: false, records: rows.length, brokenAtSeq: null, problem: sealed.problems.join("; "), sealedRecords };
      return { entryId: String(id), ...chain, sealedRecords };
    },
    listTypes: () => Object.entries(LIST_TYPES).map(([type, info]) => ({ type, ...info })),
    objections: async (_: unknown, a: { routedToCity: string; overdueOnly?: boolean }, ctx: ListsContext) => {
      requireCity(a.routedToCity, "routedToCity");
      const rows = await ctx.store.prisma.objection.findMany({ where: { routedToCity: a.routedToCity }, orderBy: { id: "asc" }, take: 500 });
      return a.overdueOnly ? rows.filter((o) => isOverdue(o)) : rows;
    },
    overdueRectifications: (_: unknown, a: { city: string }, ctx: ListsContext) => {
      requireCity(a.city, "city");
      return ctx.store.prisma.listEntry.findMany({ where: { issuingCityCode: a.city, state: "RECTIFYING", rectificationDue: { lt: dateOf(today()) } }, orderBy: { id: "asc" }, take: 500 });
    },
  };
}

/** Every change goes through the domain functions (domain/): one transaction each, with history and outbox. */
const mutationResolvers = {
  recognizeListEntry: async (_: unknown, a: { input: RecognizeInput }, ctx: ListsContext) => recognize(ctx.store.prisma, ctx.rules, actorOf(ctx), a.input, ctx.lookupResponsible),
  transitionListEntry: (_: unknown, a: { id: string; to: ListEntryState; reason: string }, ctx: ListsContext) => transition(ctx.store.prisma, actorOf(ctx), entryId(a.id), a.to, a.reason),
  submitObjection: (_: unknown, a: { entryId: string; applicant: string; reason: string }, ctx: ListsContext) =>
    submitObjection(ctx.store.prisma, ctx.rules, actorOf(ctx), entryId(a.entryId, "entryId"), a.applicant, a.reason),
  advanceObjection: (_: unknown, a: { id: string; to: string; note: string }, ctx: ListsContext) => advanceObjection(ctx.store.prisma, actorOf(ctx), entryId(a.id), a.to, a.note),
  submitRepairApplication: (_: unknown, a: { entryId: string; commitment: CommitmentInput }, ctx: ListsContext) =>
    submitRepair(ctx.store.prisma, ctx.rules, actorOf(ctx), entryId(a.entryId, "entryId"), a.commitment, ctx.repairCommitments),
  decideRepairApplication: (_: unknown, a: { id: string; decision: string; reason: string }, ctx: ListsContext) => decideRepair(ctx.store.prisma, actorOf(ctx), entryId(a.id), a.decision, a.reason),
  revokeRepair: (_: unknown, a: { id: string; reason: string }, ctx: ListsContext) => revokeRepair(ctx.store.prisma, actorOf(ctx), entryId(a.id), a.reason),
  recordInterview: (_: unknown, a: { entryId: string; interviewedOn: string; interviewee: string; notes: string }, ctx: ListsContext) =>
    recordInterview(ctx.store.prisma, actorOf(ctx), entryId(a.entryId, "entryId"), a.interviewedOn, a.interviewee, a.notes),
};

/** Fields of the types the lists subgraph owns or extends. */
const typeResolvers = {
  Portrait: portraitResolvers,
  Enterprise: { listEntries: (e: { uscc: string }, a: SubjectFilterArgs, ctx: ListsContext) => entriesOf(e.uscc, a, ctx) },
  Individual: { listEntries: (i: { ref: string }, a: SubjectFilterArgs, ctx: ListsContext) => entriesOf(i.ref, a, ctx) },
  ListSubject: { __resolveType: (s: { __typename: string }) => s.__typename },
  MarketBanStatus: {
    __resolveReference: (ref: { subject: string; responsiblePersonIds?: string[] }) => ref,
    bans: (s: BanStatus, _: unknown, ctx: ListsContext) => bansOf(s, ctx),
    banned: async (s: BanStatus, _: unknown, ctx: ListsContext) => (await bansOf(s, ctx)).length > 0,
  },
  ListEntry: {
    __resolveReference: (ref: { id: string }, ctx: ListsContext) => ctx.loaders.entry.load(entryId(ref.id)),
    id: (e: ListEntry) => String(e.id),
    subject: (e: ListEntry) => (e.subjectKind === "ENTERPRISE" ? { __typename: "Enterprise", uscc: e.subjectId } : { __typename: "Individual", ref: e.subjectId }),
    issuingCity: (e: ListEntry) => cityOf(e.issuingCityCode),
    basis: (e: ListEntry) => ({ type: e.basisType, referenceNumber: e.basisNumber, decidedOn: e.basisDate }),
    recognisedAt: (e: ListEntry) => e.recognisedAt.toISOString(),
    linkedEntry: (e: ListEntry, _: unknown, ctx: ListsContext) => (e.linkedEntryId ? ctx.loaders.entry.load(e.linkedEntryId) : null),
    history: (e: ListEntry, _: unknown, ctx: ListsContext) => ctx.loaders.history.load(e.id),
    objections: (e: ListEntry, _: unknown, ctx: ListsContext) => ctx.loaders.objections.load(e.id),
    repairApplications: (e: ListEntry, _: unknown, ctx: ListsContext) => ctx.loaders.repairs.load(e.id),
    interviews: (e: ListEntry, _: unknown, ctx: ListsContext) => ctx.loaders.interviews.load(e.id),
  },
  HistoryRecord: { actor: (h: ListEntryHistory) => h.actorSub, actorCity: (h: ListEntryHistory) => cityOf(h.actorCity), at: (h: ListEntryHistory) => h.at.toISOString() },
  Objection: {
    id: (o: Objection) => String(o.id),
    entry: (o: Objection, _: unknown, ctx: ListsContext) => ctx.loaders.entry.load(o.entryId),
    routedToCity: (o: Objection) => cityOf(o.routedToCity),
    filedByCity: (o: Objection) => cityOf(o.filedByCity),
    submittedAt: (o: Objection) => iso(o.submittedAt),
    acceptDueAt: (o: Objection) => iso(o.acceptDueAt),
    resultDueAt: (o: Objection) => iso(o.resultDueAt),
    overdue: (o: Objection) => isOverdue(o),
  },
  RepairApplication: {
    id: (r: RepairApplication) => String(r.id),
    entry: (r: RepairApplication, _: unknown, ctx: ListsContext) => ctx.loaders.entry.load(r.entryId),
    commitment: (r: RepairApplication) => ({ id: String(r.commitmentId) }),
    filedByCity: (r: RepairApplication) => cityOf(r.filedByCity),
    submittedAt: (r: RepairApplication) => iso(r.submittedAt),
    decidedAt: (r: RepairApplication) => iso(r.decidedAt),
  },
  Interview: { id: (i: Interview) => String(i.id), actorCity: (i: Interview) => cityOf(i.actorCity) },
  ListCityTypeCount: { city: (c: { city: string }) => cityOf(c.city) },
};

export function createResolvers(maxPageSize: number): Resolvers {
  return { Query: queryResolvers(maxPageSize), Mutation: mutationResolvers, ...typeResolvers };
}
