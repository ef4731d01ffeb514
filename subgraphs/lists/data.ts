import type { PrismaClient } from "../../prisma/store.js";
import type { ListEntry, ListEntryState, ListType, Prisma } from "../../prisma/generated/client.js";
import { LIVE_STATES } from "./domain/stateMachine.js";

export interface EntryFilter {
  subject?: string;
  types?: ListType[];
  states?: ListEntryState[];
  cities?: string[];
  underObjection?: boolean;
}

function where(f: EntryFilter): Prisma.ListEntryWhereInput {
  return {
    subjectId: f.subject,
    listType: f.types?.length ? { in: f.types } : undefined,
    state: f.states?.length ? { in: f.states } : undefined,
    issuingCityCode: f.cities?.length ? { in: f.cities } : undefined,
    underObjection: f.underObjection,
  };
}

/** Keyset page, newest first: `id < after`. */
export function findEntries(prisma: PrismaClient, f: EntryFilter, take: number, before?: number): Promise<ListEntry[]> {
  return prisma.listEntry.findMany({ where: { ...where(f), id: before !== undefined ? { lt: before } : undefined }, orderBy: { id: "desc" }, take });
}

/** Market bans in force today on any of the subjects, in every member city. */
export function bansInForce(prisma: PrismaClient, subjects: string[], today: Date): Promise<ListEntry[]> {
  return prisma.listEntry.findMany({
    where: {
      subjectId: { in: subjects },
      listType: "MARKET_BAN",
      state: { in: LIVE_STATES },
      banStartsOn: { lte: today },
      OR: [{ banEndsOn: null }, { banEndsOn: { gte: today } }],
    },
    orderBy: { id: "asc" },
  });
}

/** The entries' history: tamper-evident (sealed by the runtime, lib/service/ledger.ts). */
export const LIST_HISTORY = { table: "lists.list_entry_history" };
