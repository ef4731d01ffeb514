import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../../prisma/store.js";
import type { ListEntry, RepairApplication } from "../../../prisma/generated/client.js";
import { badInput, hubError } from "../../../lib/errors.js";
import { lockEntry, moveEntry, requireIssuingCity, type Actor, type Tx } from "./entryTx.js";
import { appendHistory } from "./history.js";
import { recordEvent } from "./outbox.js";
import { RepairChanged } from "../events.js";
import { addYears, type ListRules } from "../rules/index.js";
import { LIVE_STATES } from "./stateMachine.js";

export interface CommitmentInput {
  text: string;
  signatory: string;
  signedOn: string;
}

/**
 * Where a repair's commitment (信用承诺书) is kept: the measures subgraph's commitment records,
 * one record the application links to (through its contract in the subgraph, its domain
 * function in the demo seed). `file` is idempotent by `sourceRef`; `withdraw` undoes a filed
 * commitment whose application could not be stored.
 */
export interface RepairCommitments {
  file(c: CommitmentInput & { sourceRef: string; subject: string; authority: string; city: string }): Promise<number>;
  withdraw(id: number, city: string): Promise<void>;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

async function log(tx: Tx, r: RepairApplication, actor: Actor, status: string, reason: string, city: string): Promise<void> {
  await appendHistory(tx, { entryId: r.entryId, action: `REPAIR_${status}`, fromState: null, toState: null, actorSub: actor.sub, actorCity: actor.city, reason: `repair ${r.id}: ${reason}` }, actor.historyKey);
  await recordEvent(tx, RepairChanged, r.entryId, city, { repairId: r.id, entryId: r.entryId, status });
}

/** Whether the entry may be repaired today: live, past its minimum publicity, no fraud bar in force. */
async function requireRepairable(tx: Tx | PrismaClient, rules: ListRules, entry: ListEntry, today: Date): Promise<void> {
  if (!LIVE_STATES.includes(entry.state) || entry.listType === "RED") throw badInput("entryId", "state", `entry ${entry.id} is ${entry.state} ${entry.listType}: only live dishonesty entries can be repaired`);
  if (entry.earliestRepairOn && entry.earliestRepairOn > today) {
    throw badInput("entryId", "tooEarly", `repair may be applied for from ${iso(entry.earliestRepairOn)} (minimum publicity under ${entry.ruleVersion})`);
  }
  const lastFraud = await tx.repairApplication.findFirst({ where: { subjectId: entry.subjectId, revokedAt: { not: null } }, orderBy: { revokedAt: "desc" } });
  if (lastFraud?.revokedAt) {
    const possibleOn = addYears(new Date(iso(lastFraud.revokedAt)), rules.repairBarYears);
    if (possibleOn > today) {
      throw hubError("REPAIR_BARRED", `a repair of this subject was revoked for fraud on ${iso(lastFraud.revokedAt)}; a new application is possible from ${iso(possibleOn)}`, { possibleOn: iso(possibleOn) });
    }
  }
}

/**
 * 信用修复申请 (F41–F43): needs a commitment, the minimum period passed, and no fraud bar in force.
 * The commitment is filed first (a commitment record of the measures subgraph, made to the
 * recognising city), then the application is stored linking it, the checks made again under the
 * entry's lock; if that fails, the filed commitment is withdrawn.
 */
export async function submitRepair(prisma: PrismaClient, rules: ListRules, actor: Actor, entryId: number, c: CommitmentInput, commitments: RepairCommitments): Promise<RepairApplication> {
  if (c.text.trim().length < 10) throw badInput("commitment.text", "required", "a repair needs the signed commitment (信用承诺书) text");
  if (c.signatory.trim().length < 2) throw badInput("commitment.signatory", "required", "name who signed the commitment");
  const today = new Date(iso(new Date()));
  if (new Date(c.signedOn) > today) throw badInput("commitment.signedOn", "future", "the commitment cannot be signed in the future");
  const entry = await prisma.listEntry.findUnique({ where: { id: entryId } });
  if (!entry) throw hubError("NOT_FOUND", `no list entry ${entryId}`);
  await requireRepairable(prisma, rules, entry, today);
  const commitmentId = await commitments.file({ text: c.text.trim(), signatory: c.signatory.trim(), signedOn: c.signedOn, sourceRef: `lists.repair:${randomUUID()}`, subject: entry.subjectId, authority: entry.authority, city: entry.issuingCityCode });
  try {
    return await prisma.$transaction(async (tx) => {
      const locked = await lockEntry(tx, entryId);
      await requireRepairable(tx, rules, locked, today);
      const r = await tx.repairApplication.create({ data: { entryId, subjectId: locked.subjectId, status: "SUBMITTED", commitmentId, filedByCity: actor.city } });
      await log(tx, r, actor, "SUBMITTED", `application with commitment ${commitmentId}`, locked.issuingCityCode);
      return r;
    });
  } catch (err) {
    await commitments.withdraw(commitmentId, entry.issuingCityCode).catch(() => undefined);
    throw err;
  }
}

/** The repair application and its entry, the entry locked (moves on one entry run one after the other), for the recognising city only. */
async function lockRepair(tx: Tx, id: number, actor: Actor, what: string): Promise<{ entry: ListEntry; repair: RepairApplication }> {
  const found = await tx.repairApplication.findUnique({ where: { id } });
  if (!found) throw hubError("NOT_FOUND", `no repair application ${id}`);
  const entry = await lockEntry(tx, found.entryId);
  requireIssuingCity(entry, actor, what);
  // Read again under the lock: a concurrent decision may have changed it.
  return { entry, repair: await tx.repairApplication.findUniqueOrThrow({ where: { id } }) };
}

const DECISIONS: Record<string, { from: string[]; to: string }> = {
  ACCEPT: { from: ["SUBMITTED"], to: "ACCEPTED" },
  REJECT: { from: ["SUBMITTED", "ACCEPTED"], to: "REJECTED" },
  CONFIRM: { from: ["ACCEPTED"], to: "CONFIRMED" },
};

/** 谁认定、谁修复: the recognising city decides; confirmation repairs the entry in the same transaction. */
export function decideRepair(prisma: PrismaClient, actor: Actor, id: number, decision: string, reason: string): Promise<RepairApplication> {
  if (reason.trim().length < 2) throw badInput("reason", "required", "state the reason for the decision");
  return prisma.$transaction(async (tx) => {
    const { entry, repair: r } = await lockRepair(tx, id, actor, "decide repairs of");
    const rule = DECISIONS[decision];
    if (!rule.from.includes(r.status)) throw hubError("INVALID_TRANSITION", `repair ${id} is ${r.status}: ${decision} needs ${rule.from.join(" or ")}`, { currentState: r.status });
    const updated = await tx.repairApplication.update({ where: { id }, data: { status: rule.to, decidedAt: new Date(), decisionReason: reason.trim() } });
    if (rule.to === "CONFIRMED") await moveEntry(tx, entry, "REPAIRED", "repair", actor, `repair ${id} confirmed: publication stopped, sharing ended, measures lifted`);
    await log(tx, updated, actor, rule.to, reason.trim(), entry.issuingCityCode);
    return updated;
  });
}

/** Fraud: the repair is revoked, the entry published again, and new applications barred for the configured years. */
export function revokeRepair(prisma: PrismaClient, actor: Actor, id: number, reason: string): Promise<RepairApplication> {
  if (reason.trim().length < 2) throw badInput("reason", "required", "state the fraud found");
  return prisma.$transaction(async (tx) => {
    const { entry, repair: found } = await lockRepair(tx, id, actor, "revoke repairs of");
    if (found.status !== "CONFIRMED") throw hubError("INVALID_TRANSITION", `repair ${id} is ${found.status}: only a confirmed repair can be revoked`, { currentState: found.status });
    const updated = await tx.repairApplication.update({ where: { id }, data: { status: "REVOKED", revokedAt: new Date(), decisionReason: reason.trim() } });
    await moveEntry(tx, entry, "PUBLISHED", "repairRevoked", actor, `repair ${id} revoked for fraud: ${reason.trim()}`);
    await log(tx, updated, actor, "REVOKED", `fraud: ${reason.trim()}`, entry.issuingCityCode);
    return updated;
  });
}
