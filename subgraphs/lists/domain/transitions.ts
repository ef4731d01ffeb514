import type { PrismaClient } from "../../../prisma/store.js";
import type { ListEntry, ListEntryState } from "../../../prisma/generated/client.js";
import { badInput } from "../../../lib/errors.js";
import { lockEntry, moveEntry, requireIssuingCity, type Actor } from "./entryTx.js";
import { LIVE_STATES } from "./stateMachine.js";

function requireReason(reason: string): string {
  const r = reason.trim();
  if (r.length < 2) throw badInput("reason", "required", "state the reason for the change (it is kept in the entry's history)");
  return r;
}

/** `transitionListEntry`: a move by the recognising city, serialised per entry by a row lock. */
export function transition(prisma: PrismaClient, actor: Actor, id: number, to: ListEntryState, reason: string): Promise<ListEntry> {
  const why = requireReason(reason);
  return prisma.$transaction(async (tx) => {
    const entry = await lockEntry(tx, id);
    requireIssuingCity(entry, actor, "move");
    return moveEntry(tx, entry, to, "manual", actor, why);
  });
}

const SWEEPER: Omit<Actor, "historyKey"> = { sub: "system:expiry-sweep", city: "000000" };

/**
 * Expiry (F14): live entries whose publicity period or ban has ended move to
 * EXPIRED by themselves. Idempotent: a second run finds nothing to do.
 */
export async function expireDue(prisma: PrismaClient, historyKey: string, today: Date = new Date()): Promise<number> {
  const day = new Date(today.toISOString().slice(0, 10));
  const due = await prisma.listEntry.findMany({
    where: {
      state: { in: LIVE_STATES },
      linkedEntryId: null,
      OR: [{ publicityUntil: { lt: day } }, { listType: "MARKET_BAN", banEndsOn: { lt: day } }],
    },
    select: { id: true },
  });
  let expired = 0;
  for (const { id } of due) {
    await prisma.$transaction(async (tx) => {
      const entry = await lockEntry(tx, id);
      if (!LIVE_STATES.includes(entry.state)) return; // moved meanwhile
      await moveEntry(tx, entry, "EXPIRED", "sweep", { ...SWEEPER, city: entry.issuingCityCode, historyKey }, "publicity period or ban ended");
      expired++;
    });
  }
  return expired;
}
