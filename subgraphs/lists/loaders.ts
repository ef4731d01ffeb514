import { rowLoader, groupLoader } from "../../lib/service/loaders.js";
import type { BaseContext } from "../../lib/service/subgraph.js";
import type { ListRules } from "./rules/index.js";
import type { ResponsiblePersonsLookup } from "./domain/recognition.js";
import type { RepairCommitments } from "./domain/repairs.js";

type PrismaClient = BaseContext["store"]["prisma"];

/** One loader per entity per request (never global: no cross-request cache). */
export function createListLoaders(prisma: PrismaClient) {
  return {
    entry: rowLoader((ids: readonly number[]) => prisma.listEntry.findMany({ where: { id: { in: [...ids] } } }), (e) => e.id),
    entriesOfSubject: groupLoader((ids: readonly string[]) => prisma.listEntry.findMany({ where: { subjectId: { in: [...ids] } }, orderBy: { id: "desc" } }), (e) => e.subjectId),
    history: groupLoader((ids: readonly number[]) => prisma.listEntryHistory.findMany({ where: { entryId: { in: [...ids] } }, orderBy: [{ entryId: "asc" }, { seq: "asc" }] }), (h) => h.entryId),
    objections: groupLoader((ids: readonly number[]) => prisma.objection.findMany({ where: { entryId: { in: [...ids] } }, orderBy: { id: "asc" } }), (o) => o.entryId),
    repairs: groupLoader((ids: readonly number[]) => prisma.repairApplication.findMany({ where: { entryId: { in: [...ids] } }, orderBy: { id: "asc" } }), (r) => r.entryId),
    interviews: groupLoader((ids: readonly number[]) => prisma.interview.findMany({ where: { entryId: { in: [...ids] } }, orderBy: { id: "asc" } }), (i) => i.entryId),
  };
}


export type ListLoaders = ReturnType<typeof createListLoaders>;

/** A request of the lists subgraph: the caller, its loaders, the publicity rules and how to find responsible persons. */
export interface ListsContext extends BaseContext {
  loaders: ListLoaders;
  rules: ListRules;
  lookupResponsible?: ResponsiblePersonsLookup;
  /** Where repair applications file their commitments (the measures subgraph). */
  repairCommitments: RepairCommitments;
  /** The key the history of this hub's changes is signed with. */
  historyKey: string;
}
