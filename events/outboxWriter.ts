/**
 * The one way a subgraph writes an event: into its outbox table (see outboxTable.ts), in the
 * transaction of the change it reports, the payload checked against the event's contract.
 * Resolvers never publish; the relay does.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Prisma } from "../prisma/generated/client.js";
import type { EventContract } from "./contract.js";
import { OUTBOX_TABLE_NAME, type OutboxDeclaration } from "./outboxTable.js";

export type OutboxWrite = <P extends z.ZodType>(tx: Prisma.TransactionClient, event: EventContract<P>, entryId: number, cityCode: string, payload: z.input<P>) => Promise<void>;

/** The writer of one subgraph's outbox; an event of another stream is a producer bug, refused. */
export function outboxWriter(outbox: OutboxDeclaration): OutboxWrite {
  if (!OUTBOX_TABLE_NAME.test(outbox.table)) throw new Error(`outbox writer: '${outbox.table}' is not a schema.table name`);
  const sql = `INSERT INTO ${outbox.table} (event_id, type, entry_id, city_code, payload) VALUES ($1::uuid, $2, $3::int, $4, $5::jsonb)`;
  return async (tx, event, entryId, cityCode, payload) => {
    if (event.stream !== outbox.stream) throw new Error(`outbox writer: ${event.stream}/${event.type} does not belong in ${outbox.table} (stream ${outbox.stream})`);
    const checked = event.payload.parse(payload);
    await tx.$executeRawUnsafe(sql, randomUUID(), event.type, entryId, cityCode, JSON.stringify(checked));
  };
}
