import type { QueryRegistration } from "../../prisma/generated/client.js";
import type { PrismaClient } from "../../prisma/store.js";

export type { QueryRegistration };

/** Keyset page, newest first: `id < before`. */
export function registrationsOf(prisma: PrismaClient, subject: string, take: number, before?: bigint): Promise<QueryRegistration[]> {
  return prisma.queryRegistration.findMany({
    where: { subjectId: subject, id: before !== undefined ? { lt: before } : undefined },
    orderBy: { id: "desc" },
    take,
  });
}
