import type { CreditRating, SupervisionTier, SupervisionTierChange } from "../../prisma/generated/client.js";
import type { PrismaClient } from "../../prisma/store.js";

export type { CreditRating, SupervisionTier, SupervisionTierChange };

export function ratingsById(prisma: PrismaClient, ids: readonly number[]): Promise<CreditRating[]> {
  return prisma.creditRating.findMany({ where: { id: { in: [...ids] } } });
}

/** Every rating of the subjects, newest first. */
export function ratingsOfSubjects(prisma: PrismaClient, subjects: readonly string[]): Promise<CreditRating[]> {
  return prisma.creditRating.findMany({ where: { subjectId: { in: [...subjects] } }, orderBy: [{ ratedOn: "desc" }, { id: "desc" }] });
}

export function tiersOfSubjects(prisma: PrismaClient, subjects: readonly string[]): Promise<SupervisionTier[]> {
  return prisma.supervisionTier.findMany({ where: { subjectId: { in: [...subjects] } } });
}

export function tierChangesById(prisma: PrismaClient, ids: readonly number[]): Promise<SupervisionTierChange[]> {
  return prisma.supervisionTierChange.findMany({ where: { id: { in: [...ids] } } });
}

/** A directory page: one field's rated subjects, by USCC after the cursor. */
export function directoryPage(prisma: PrismaClient, field: string, tiers: readonly string[] | undefined, take: number, after?: string): Promise<SupervisionTier[]> {
  return prisma.supervisionTier.findMany({
    where: { field, rated: true, tier: tiers?.length ? { in: [...tiers] } : undefined, subjectId: after ? { gt: after } : undefined },
    orderBy: { subjectId: "asc" },
    take,
  });
}

export async function directoryCounts(prisma: PrismaClient, field: string): Promise<Array<{ tier: string; count: number }>> {
  const groups = await prisma.supervisionTier.groupBy({ by: ["tier"], where: { field, rated: true }, _count: { _all: true } });
  return groups.map((g) => ({ tier: g.tier, count: g._count._all }));
}
