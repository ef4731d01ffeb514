/** Recording a rating and deriving the subject's tiers again, in one transaction with their events. */
import type { CreditRating, Prisma } from "../../../prisma/generated/client.js";
import type { PrismaClient } from "../../../prisma/store.js";
import { outboxWriter } from "../../../events/outboxWriter.js";
import { badInput, hubError } from "../../../lib/errors.js";
import { findCity } from "../../../lib/cities.js";
import type { ScaleRegistry, Tier } from "../scales/index.js";
import { RatingRecorded, SupervisionTierChanged, ratingsEvents } from "../events.js";
import { deriveTiers } from "./tiers.js";

export interface RatingInput {
  subject: string;
  scale: string;
  grade: string;
  score?: number | null;
  evaluator: string;
  modelVersion: string;
  ratedOn: string;
  validUntil: string;
}

export interface Recorder {
  sub: string;
  city: string;
}

const emit = outboxWriter(ratingsEvents.outbox!);

/**
 * Derives the subject's tiers on `today` again and writes each change (row, history, event).
 * Serialised per subject (advisory lock), so two recordings never derive from the same old state.
 */
export async function rederive(tx: Prisma.TransactionClient, subject: string, today: string, cause: { ratingId: number | null; city: string }): Promise<number> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"ratings:" + subject}))`;
  const [ratings, current] = await Promise.all([
    tx.creditRating.findMany({ where: { subjectId: subject } }),
    tx.supervisionTier.findMany({ where: { subjectId: subject } }),
  ]);
  const before = new Map(current.map((t) => [t.field, t]));
  let changes = 0;
  for (const [field, d] of deriveTiers(ratings, today, before.keys())) {
    // No row yet is what an unrated subject is: NORMAL by rule.
    const old = before.get(field) ?? { tier: "NORMAL", rated: false };
    if (old.tier === d.tier && old.rated === d.rated) continue;
    await tx.supervisionTier.upsert({ where: { subjectId_field: { subjectId: subject, field } }, create: { subjectId: subject, field, tier: d.tier, rated: d.rated }, update: { tier: d.tier, rated: d.rated, since: new Date() } });
    if (old.tier === d.tier) continue; // only `rated` moved: not a change of tier
    const change = await tx.supervisionTierChange.create({ data: { subjectId: subject, field, fromTier: old.tier, toTier: d.tier, ratingId: cause.ratingId } });
    await emit(tx, SupervisionTierChanged, change.id, cause.city, { changeId: change.id, subject, field, from: old.tier as Tier, to: d.tier });
    changes++;
  }
  return changes;
}

/** 信用评价结果: checked against the issuer's own scale (own city only), stored, tiers derived again. */
export async function recordRating(prisma: PrismaClient, scales: ScaleRegistry, by: Recorder, input: RatingInput, today: string): Promise<CreditRating> {
  const scale = scales.scaleOn(input.scale, input.ratedOn);
  if (scale.city !== by.city) throw hubError("FORBIDDEN", `scale ${scale.id} is ${findCity(scale.city)?.name ?? scale.city}'s; a city records ratings on its own scales only, and your token acts for ${by.city}`);
  const tier = scales.tierOf(scale, input.grade);
  if (input.ratedOn > today) throw badInput("ratedOn", "future", `${input.ratedOn} is after today (${today})`);
  if (input.validUntil <= input.ratedOn) throw badInput("validUntil", "order", `must be after ratedOn (${input.ratedOn}), got ${input.validUntil}`);
  if (input.score != null) {
    if (!scale.score) throw badInput("score", "noScore", `scale ${scale.id} gives grades only; leave score out`);
    if (input.score < scale.score.min || input.score > scale.score.max) throw badInput("score", "range", `scale ${scale.id} scores from ${scale.score.min} to ${scale.score.max}, got ${input.score}`);
  }
  return prisma.$transaction(async (tx) => {
    const rating = await tx.creditRating.create({
      data: {
        subjectId: input.subject, evaluatorType: scale.evaluatorType, evaluator: input.evaluator, issuingCityCode: by.city, scaleId: scale.id, scaleVersion: scale.version,
        field: scale.field, modelVersion: input.modelVersion, score: input.score ?? null, grade: input.grade, tier, ratedOn: new Date(input.ratedOn), validUntil: new Date(input.validUntil), recordedBy: by.sub,
      },
    });
    await emit(tx, RatingRecorded, rating.id, by.city, { ratingId: rating.id, subject: input.subject, evaluatorType: scale.evaluatorType, scaleId: scale.id, grade: input.grade, tier });
    await rederive(tx, input.subject, today, { ratingId: rating.id, city: by.city });
    return rating;
  });
}

/**
 * The lapse sweep: ratings whose validity ended no longer count, so their subjects' tiers are
 * derived again. Idempotent (a lapsed rating is marked in the same transaction).
 */
export async function sweepLapsed(prisma: PrismaClient, today: string): Promise<number> {
  const due = await prisma.creditRating.findMany({ where: { lapsed: false, validUntil: { lt: new Date(today) } }, select: { id: true, subjectId: true, issuingCityCode: true }, take: 500 });
  let changes = 0;
  for (const r of due) {
    changes += await prisma.$transaction(async (tx) => {
      const marked = await tx.creditRating.updateMany({ where: { id: r.id, lapsed: false }, data: { lapsed: true } });
      return marked.count === 0 ? 0 : rederive(tx, r.subjectId, today, { ratingId: null, city: r.issuingCityCode });
    });
  }
  return changes;
}
