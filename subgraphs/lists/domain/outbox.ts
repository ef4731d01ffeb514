import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Prisma } from "../../../prisma/generated/client.js";
import type { EventContract } from "../../../events/contract.js";

/**
 * Writes the event of a change in the change's own transaction (the outbox); the relay
 * publishes these rows. Resolvers never publish. The payload is checked against the
 * event's contract (events.ts) before it is written.
 */
export async function recordEvent<P extends z.ZodType>(tx: Prisma.TransactionClient, event: EventContract<P>, entryId: number, cityCode: string, payload: z.input<P>): Promise<void> {
  const checked = event.payload.parse(payload) as Prisma.InputJsonValue;
  await tx.listOutbox.create({ data: { eventId: randomUUID(), type: event.type, entryId, cityCode, payload: checked } });
}
