import type { PrismaClient } from "../../../prisma/store.js";
import type { Objection } from "../../../prisma/generated/client.js";
import { badInput, hubError } from "../../../lib/errors.js";
import { lockEntry, moveEntry, type Actor, type Tx } from "./entryTx.js";
import { appendHistory } from "./history.js";
import { recordEvent } from "./outbox.js";
import { ObjectionChanged } from "../events.js";
import type { ListRules } from "../rules/index.js";
import { LIVE_STATES } from "./stateMachine.js";

/** 申请 → 受理 → 标注 → 核实 → 更正 / 删除 / 维持 → 更新 (F45): the next steps allowed from each. */
export const OBJECTION_STEPS: Record<string, string[]> = {
  SUBMITTED: ["ACCEPTED"],
  ACCEPTED: ["VERIFYING"],
  VERIFYING: ["CORRECTED", "DELETED", "UPHELD"],
  CORRECTED: ["UPDATED"],
  DELETED: ["UPDATED"],
  UPHELD: ["UPDATED"],
  UPDATED: [],
};
const OPEN_STEPS = ["ACCEPTED", "VERIFYING"];
const DAY = 86_400_000;

export function isOverdue(o: Objection, now = new Date()): boolean {
  if (o.step === "SUBMITTED") return now > o.acceptDueAt;
  return OPEN_STEPS.includes(o.step) && now > o.resultDueAt;
}

/** The entry shows `underObjection` while any accepted objection is unresolved. */
async function refreshFlag(tx: Tx, entryId: number): Promise<void> {
  const open = await tx.objection.count({ where: { entryId, step: { in: OPEN_STEPS } } });
  await tx.listEntry.update({ where: { id: entryId }, data: { underObjection: open > 0, version: { increment: 1 } } });
}

async function log(tx: Tx, o: Objection, actor: Actor, step: string, note: string): Promise<void> {
  await appendHistory(tx, { entryId: o.entryId, action: `OBJECTION_${step}`, fromState: null, toState: null, actorSub: actor.sub, actorCity: actor.city, reason: `objection ${o.id}: ${note}` }, actor.historyKey);
  await recordEvent(tx, ObjectionChanged, o.entryId, o.routedToCity, { objectionId: o.id, entryId: o.entryId, step });
}

/** Any partner may file an objection for a subject; it is routed to the issuing city's information provider (F46). */
export function submitObjection(prisma: PrismaClient, rules: ListRules, actor: Actor, entryId: number, applicant: string, reason: string): Promise<Objection> {
  if (applicant.trim().length < 2 || reason.trim().length < 2) throw badInput("reason", "required", "name the applicant and state the grounds of the objection");
  return prisma.$transaction(async (tx) => {
    const entry = await lockEntry(tx, entryId);
    if (!LIVE_STATES.includes(entry.state)) throw badInput("entryId", "state", `entry ${entryId} is ${entry.state}: objections apply to live entries`);
    const now = new Date();
    const o = await tx.objection.create({
      data: {
        entryId, applicant: applicant.trim(), reason: reason.trim(), step: "SUBMITTED", routedToCity: entry.issuingCityCode, filedByCity: actor.city,
        acceptDueAt: new Date(now.getTime() + rules.objectionLimits.acceptDays * DAY), resultDueAt: new Date(now.getTime() + rules.objectionLimits.resultDays * DAY),
      },
    });
    await log(tx, o, actor, "SUBMITTED", reason.trim());
    return o;
  });
}

/** Moves an objection one step; only the city it is routed to may. DELETED revokes the entry (wrongful listing). */
export function advanceObjection(prisma: PrismaClient, actor: Actor, id: number, to: string, note: string): Promise<Objection> {
  if (note.trim().length < 2) throw badInput("note", "required", "record what was decided or checked");
  return prisma.$transaction(async (tx) => {
    const current = await tx.objection.findUnique({ where: { id } });
    if (!current) throw hubError("NOT_FOUND", `no objection ${id}`);
    const entry = await lockEntry(tx, current.entryId);
    const o = await tx.objection.findUniqueOrThrow({ where: { id } });
    if (o.routedToCity !== actor.city) throw hubError("FORBIDDEN", `objection ${id} is routed to ${o.routedToCity}; your token acts for ${actor.city}`);
    const allowed = OBJECTION_STEPS[o.step] ?? [];
    if (!allowed.includes(to)) {
      throw hubError("INVALID_TRANSITION", `objection ${id} is ${o.step}; next allowed: ${allowed.join(", ") || "none (closed)"}`, { currentState: o.step, allowed });
    }
    const now = new Date();
    const updated = await tx.objection.update({
      where: { id },
      data: { step: to, acceptedAt: to === "ACCEPTED" ? now : undefined, resolvedAt: ["CORRECTED", "DELETED", "UPHELD"].includes(to) ? now : undefined },
    });
    await refreshFlag(tx, o.entryId);
    if (to === "DELETED") await moveEntry(tx, await tx.listEntry.findUniqueOrThrow({ where: { id: entry.id } }), "REVOKED", "manual", actor, `objection ${id} upheld: record deleted`);
    await log(tx, updated, actor, to, note.trim());
    return updated;
  });
}
