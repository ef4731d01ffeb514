import { randomUUID } from "node:crypto";
import type { Prisma } from "../../prisma/generated/client.js";

/**
 * Writes the event of a change in the change's own transaction (the outbox);
 * the events issue relays these rows to subscribers. Resolvers never publish.
 */
export async function recordEvent(tx: Prisma.TransactionClient, type: string, entryId: number, cityCode: string, payload: Prisma.InputJsonValue): Promise<void> {
  await tx.listOutbox.create({ data: { eventId: randomUUID(), type, entryId, cityCode, payload } });
}
