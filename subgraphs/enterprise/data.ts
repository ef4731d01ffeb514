import type { PrismaClient } from "../../prisma/store.js";
import type { Enterprise, AdministrativeLicense, AdministrativePenalty, EnterpriseStatus } from "../../prisma/generated/client.js";

export type { Enterprise, AdministrativeLicense, AdministrativePenalty, EnterpriseStatus };

export interface EnterpriseQuery {
  cities?: string[];
  status?: EnterpriseStatus;
  nameContains?: string;
  industryCode?: string;
  after?: string;
  take: number;
}

/** Prisma passes `contains` to LIKE unescaped: a partner's `%` or `_` must match itself. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** Keyset scan in USCC order: `uscc > after`, never OFFSET, so deep pages cost the same as the first. */
export function findEnterprises(prisma: PrismaClient, q: EnterpriseQuery): Promise<Enterprise[]> {
  return prisma.enterprise.findMany({
    where: {
      registeredCityCode: q.cities?.length ? { in: q.cities } : undefined,
      status: q.status,
      industryCode: q.industryCode,
      name: q.nameContains ? { contains: escapeLike(q.nameContains) } : undefined,
      uscc: q.after ? { gt: q.after } : undefined,
    },
    orderBy: { uscc: "asc" },
    take: q.take,
  });
}

export function enterprisesByUscc(prisma: PrismaClient, usccs: readonly string[]): Promise<Enterprise[]> {
  return prisma.enterprise.findMany({ where: { uscc: { in: [...usccs] } } });
}

export function licensesOf(prisma: PrismaClient, usccs: readonly string[]): Promise<AdministrativeLicense[]> {
  return prisma.administrativeLicense.findMany({ where: { uscc: { in: [...usccs] } }, orderBy: [{ decidedOn: "desc" }, { id: "desc" }] });
}

export function penaltiesOf(prisma: PrismaClient, usccs: readonly string[]): Promise<AdministrativePenalty[]> {
  return prisma.administrativePenalty.findMany({ where: { uscc: { in: [...usccs] } }, orderBy: [{ decidedOn: "desc" }, { id: "desc" }] });
}
