/**
 * Credit commitments (信用承诺, F30) and the 容缺 deadline sweep (F31): recorded by the city they
 * were made to, settled by it, and breached by the sweep when materials promised by a date
 * did not come; a breach leaves a negative record (失信记录) and an event, in one transaction.
 */
import type { CreditCommitment } from "../../../prisma/generated/client.js";
import type { PrismaClient } from "../../../prisma/store.js";
import { outboxWriter } from "../../../events/outboxWriter.js";
import { badInput, hubError } from "../../../lib/errors.js";
import { dateOf } from "../../../lib/dates.js";
import { findCity } from "../../../lib/cities.js";
import type { CommitmentType } from "../catalogues/index.js";
import { CommitmentChanged, measuresEvents } from "../events.js";

const emit = outboxWriter(measuresEvents.outbox!);

export interface CommitmentInput {
  subject: string;
  subjectKind: "ENTERPRISE" | "INDIVIDUAL";
  type: CommitmentType;
  matter: string;
  text: string;
  signatory: string;
  signedOn: string;
  authority: string;
  published: boolean;
  /** 容缺 (SUPPLEMENT_LATER) only: the date the missing materials are due. */
  dueOn?: string | null;
}

export interface Actor {
  sub: string;
  city: string;
}

const eventOf = (c: CreditCommitment, breachRecordId: number | null = null) =>
  ({ commitmentId: c.id, subjectKind: c.subjectKind as "ENTERPRISE", type: c.type as CommitmentType, state: c.state as "PENDING", breachRecordId });

/** Records a commitment made to the actor's city; `sourceRef` ties it to the record it belongs to elsewhere (one record, not a copy). */
export async function recordCommitment(prisma: PrismaClient, by: Actor, input: CommitmentInput, today: string, sourceRef: string | null = null): Promise<CreditCommitment> {
  if (input.signedOn > today) throw badInput("signedOn", "future", `${input.signedOn} is after today (${today})`);
  if (input.type === "SUPPLEMENT_LATER") {
    if (!input.dueOn) throw badInput("dueOn", "required", "a 容缺 (SUPPLEMENT_LATER) commitment names the date its materials are due");
    if (input.dueOn <= input.signedOn) throw badInput("dueOn", "order", `must be after signedOn (${input.signedOn}), got ${input.dueOn}`);
  } else if (input.dueOn) {
    throw badInput("dueOn", "notApplicable", `only a SUPPLEMENT_LATER commitment has a due date; leave it out for ${input.type}`);
  }
  return prisma.$transaction(async (tx) => {
    const c = await tx.creditCommitment.create({
      data: {
        subjectKind: input.subjectKind, subjectId: input.subject, type: input.type, matter: input.matter, text: input.text, signatory: input.signatory,
        signedOn: dateOf(input.signedOn), issuingCityCode: by.city, authority: input.authority, published: input.published, state: "PENDING",
        dueOn: input.dueOn ? dateOf(input.dueOn) : null, sourceRef, recordedBy: by.sub,
      },
    });
    await emit(tx, CommitmentChanged, c.id, by.city, eventOf(c));
    return c;
  });
}

/**
 * A repair application's commitment (信用修复承诺书), made to the city that recognised the entry:
 * one record here, linked from the application by `sourceRef`; recording it again returns it.
 */
export async function recordRepairCommitment(prisma: PrismaClient, by: Actor, input: Omit<CommitmentInput, "type" | "matter" | "published" | "dueOn">, today: string, sourceRef: string): Promise<CreditCommitment> {
  const existing = await prisma.creditCommitment.findUnique({ where: { sourceRef } });
  if (existing) return existing;
  return recordCommitment(prisma, by, { ...input, type: "REPAIR", matter: "credit-repair", published: false }, today, sourceRef);
}

/** 履约 or 撤回: only the city the commitment was made to, and only while it is pending. */
export async function settleCommitment(prisma: PrismaClient, by: Actor, id: number, to: "FULFILLED" | "WITHDRAWN", today: string): Promise<CreditCommitment> {
  return prisma.$transaction(async (tx) => {
    const c = await tx.creditCommitment.findUnique({ where: { id } });
    if (!c) throw hubError("NOT_FOUND", `no commitment ${id}`);
    if (c.issuingCityCode !== by.city) throw hubError("FORBIDDEN", `commitment ${id} was made to ${findCity(c.issuingCityCode)?.name ?? c.issuingCityCode}; only that city settles it, and your token acts for ${by.city}`);
    const moved = await tx.creditCommitment.updateMany({ where: { id, state: "PENDING" }, data: { state: to, settledOn: dateOf(today) } });
    if (moved.count === 0) throw hubError("INVALID_TRANSITION", `commitment ${id} is ${c.state}; only a PENDING commitment can become ${to}`, { from: c.state, to });
    const after = { ...c, state: to, settledOn: dateOf(today) };
    await emit(tx, CommitmentChanged, id, c.issuingCityCode, eventOf(after));
    return after;
  });
}

const dayAfter = (d: Date) => new Date(d.getTime() + 86_400_000);

/**
 * The 容缺 sweep: pending SUPPLEMENT_LATER commitments whose due date has passed become BREACHED
 * (dated the first day late, whenever the sweep runs), each with its negative record and event.
 * Idempotent: a commitment is moved only from PENDING, and a breach record is unique per commitment.
 */
export async function sweepBreaches(prisma: PrismaClient, today: string): Promise<number> {
  const due = await prisma.creditCommitment.findMany({ where: { type: "SUPPLEMENT_LATER", state: "PENDING", dueOn: { lt: dateOf(today) } }, orderBy: { id: "asc" }, take: 500 });
  let breached = 0;
  for (const c of due) {
    breached += await prisma.$transaction(async (tx) => {
      const breachedOn = dayAfter(c.dueOn!);
      const moved = await tx.creditCommitment.updateMany({ where: { id: c.id, state: "PENDING" }, data: { state: "BREACHED", settledOn: breachedOn } });
      if (moved.count === 0) return 0;
      const record = await tx.commitmentBreach.create({
        data: { commitmentId: c.id, subjectId: c.subjectId, cityCode: c.issuingCityCode, breachedOn, description: `容缺受理承诺未履行：承诺于${c.dueOn!.toISOString().slice(0, 10)}前补齐材料（${c.authority}，事项 ${c.matter}）` },
      });
      await emit(tx, CommitmentChanged, c.id, c.issuingCityCode, eventOf({ ...c, state: "BREACHED" }, record.id));
      return 1;
    });
  }
  return breached;
}
