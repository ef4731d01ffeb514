import type { RiskAlert, Watchlist } from "../../prisma/generated/client.js";
import type { PrismaClient } from "../../prisma/store.js";
import type { Identity } from "../../lib/auth/identity.js";
import { hubError } from "../../lib/errors.js";


/** A watchlist with its items, when it belongs to the caller (the partner user who made it); NOT_FOUND otherwise. */
export async function ownWatchlist(prisma: PrismaClient, id: number, shown: string, owner: Pick<Identity, "sub" | "city">): Promise<Watchlist & { items: Array<{ uscc: string }> }> {
  const w = await prisma.watchlist.findUnique({ where: { id }, include: { items: true } });
  if (!w || w.ownerSub !== owner.sub || w.ownerCity !== owner.city) throw hubError("NOT_FOUND", `no watchlist ${shown} of yours`);
  return w;
}

export function alertsById(prisma: PrismaClient, ids: readonly number[]): Promise<RiskAlert[]> {
  return prisma.riskAlert.findMany({ where: { id: { in: [...ids] } } });
}

/** Every alert on the subjects, newest first (callers take the first N of each). */
export function alertsOfSubjects(prisma: PrismaClient, subjects: readonly string[]): Promise<RiskAlert[]> {
  return prisma.riskAlert.findMany({ where: { subjectId: { in: [...subjects] } }, orderBy: { id: "desc" } });
}
