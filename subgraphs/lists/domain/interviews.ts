import type { PrismaClient } from "../../../prisma/store.js";
import type { Interview } from "../../../prisma/generated/client.js";
import { badInput } from "../../../lib/errors.js";
import { lockEntry, requireIssuingCity, type Actor } from "./entryTx.js";
import { appendHistory } from "./history.js";

/** 约谈 (F23): 谁认定、谁约谈 — only the recognising city records one. */
export function recordInterview(prisma: PrismaClient, actor: Actor, entryId: number, interviewedOn: string, interviewee: string, notes: string): Promise<Interview> {
  if (interviewee.trim().length < 2 || notes.trim().length < 2) throw badInput("notes", "required", "name the interviewee and record what was said");
  return prisma.$transaction(async (tx) => {
    const entry = await lockEntry(tx, entryId);
    requireIssuingCity(entry, actor, "record interviews on");
    const interview = await tx.interview.create({
      data: { entryId, interviewedOn: new Date(`${interviewedOn}T00:00:00.000Z`), interviewee: interviewee.trim(), notes: notes.trim(), actorSub: actor.sub, actorCity: actor.city },
    });
    await appendHistory(tx, { entryId, action: "INTERVIEW", fromState: null, toState: null, actorSub: actor.sub, actorCity: actor.city, reason: `interview of ${interviewee.trim()} on ${interviewedOn}` }, actor.historyKey);
    return interview;
  });
}
