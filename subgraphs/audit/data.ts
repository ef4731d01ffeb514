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

/** The registrations: tamper-evident (sealed by the runtime, lib/service/ledger.ts). */
export const REGISTRATIONS = { table: "audit.query_registration" };

/** The tables the hub seals, by name: what verifyLedger may be asked about. */
export const SEALED_TABLES = ["audit.query_registration", "lists.list_entry_history"] as const;
