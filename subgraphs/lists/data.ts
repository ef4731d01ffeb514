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

/** Counts by issuing city and type, by month of the basis decision and type, and by state: one grouped statement each. */
export async function countEntries(prisma: PrismaClient, f: Pick<EntryFilter, "cities" | "states">) {
  const w = where(f);
  const [byCityType, byDay, byState] = await Promise.all([
    prisma.listEntry.groupBy({ by: ["issuingCityCode", "listType"], where: w, _count: { _all: true }, orderBy: [{ issuingCityCode: "asc" }, { listType: "asc" }] }),
    prisma.listEntry.groupBy({ by: ["basisDate", "listType"], where: w, _count: { _all: true }, orderBy: [{ basisDate: "asc" }, { listType: "asc" }] }),
    prisma.listEntry.groupBy({ by: ["state"], where: w, _count: { _all: true }, orderBy: { state: "asc" } }),
  ]);
  const months = new Map<string, { month: string; listType: ListType; count: number }>();
  for (const d of byDay) {
    const month = d.basisDate.toISOString().slice(0, 7);
    const m = months.get(`${month}|${d.listType}`) ?? months.set(`${month}|${d.listType}`, { month, listType: d.listType, count: 0 }).get(`${month}|${d.listType}`)!;
    m.count += d._count._all;
  }
  return {
    total: byState.reduce((n, s) => n + s._count._all, 0),
    byCityAndType: byCityType.map((g) => ({ city: g.issuingCityCode, listType: g.listType, count: g._count._all })),
    byMonth: [...months.values()],
    byState: byState.map((g) => ({ state: g.state, count: g._count._all })),
  };
}
