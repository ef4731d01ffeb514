import type { Prisma, ListEntry, ListEntryState } from "../../../prisma/generated/client.js";
import { hubError } from "../../../lib/errors.js";
import { checkTransition, type Mover } from "./stateMachine.js";
import { appendHistory } from "./history.js";
import { recordEvent } from "./outbox.js";
import { ListEntryChanged } from "../events.js";

export type Tx = Prisma.TransactionClient;

/** The acting partner: the token's system and city (谁认定、谁修复: the city decides for its own entries). */
export interface Actor {
  sub: string;
  city: string;
  /** The key the hub signs the history of this change with (history.ts historyKeyFrom). */
  historyKey: string;
}

/** Locks the entry row for this transaction, so two moves on one entry run one after the other. */
export async function lockEntry(tx: Tx, id: number): Promise<ListEntry> {
  const rows = await tx.$queryRaw<Array<{ id: number }>>`SELECT id FROM lists.list_entry WHERE id = ${id} FOR UPDATE`;
  if (rows.length === 0) throw hubError("NOT_FOUND", `no list entry ${id}`);
  return tx.listEntry.findUniqueOrThrow({ where: { id } });
}

export function requireIssuingCity(entry: ListEntry, actor: Actor, what: string): void {
  if (entry.issuingCityCode !== actor.city) {
    throw hubError("FORBIDDEN", `only the recognising city (${entry.issuingCityCode}) may ${what} entry ${entry.id}; your token acts for ${actor.city}`);
  }
}

/**
 * Moves a locked entry (and the live entries linked to it for its responsible
 * persons) to `to`, appending history and an outbox event in the same transaction.
 */
export async function moveEntry(tx: Tx, entry: ListEntry, to: ListEntryState, by: Mover, actor: Actor, reason: string): Promise<ListEntry> {
  checkTransition(entry.state, to, by);
  const updated = await tx.listEntry.update({ where: { id: entry.id }, data: { state: to, version: { increment: 1 } } });
  await appendHistory(tx, { entryId: entry.id, action: `STATE_${to}`, fromState: entry.state, toState: to, actorSub: actor.sub, actorCity: actor.city, reason }, actor.historyKey);
  await recordEvent(tx, ListEntryChanged, entry.id, entry.issuingCityCode, { id: entry.id, from: entry.state, to, reason, listType: entry.listType, subject: entry.subjectId, subjectKind: entry.subjectKind });
  // Entries extended to responsible persons (F19) mirror the enterprise entry they follow.
  const linked = await tx.listEntry.findMany({ where: { linkedEntryId: entry.id, state: entry.state } });
  for (const person of linked) {
    await tx.$queryRaw`SELECT id FROM lists.list_entry WHERE id = ${person.id} FOR UPDATE`;
    await moveEntry(tx, person, to, by, actor, `${reason} (follows enterprise entry ${entry.id})`);
  }
  return updated;
}
