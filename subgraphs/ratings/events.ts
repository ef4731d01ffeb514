/**
 * What the ratings subgraph emits: its outbox, the contracts of a recorded rating and of a
 * supervision tier change (动态调整检查对象名录库, F36), and the streams the gateway serves.
 */
import { z } from "zod";
import { defineEvent } from "../../events/contract.js";
import type { StreamDeclaration, SubgraphEvents } from "../../events/streams.js";
import { EVALUATOR_TYPES, TIERS } from "./scales/index.js";

export const RATINGS_STREAM = "ratings";

/** A city recorded a credit rating on a subject (F37: pushed to subscribers). */
export const RatingRecorded = defineEvent(RATINGS_STREAM, "RatingRecorded", z.object({
  ratingId: z.number().int(),
  /** USCC of the rated enterprise. */
  subject: z.string(),
  evaluatorType: z.enum(EVALUATOR_TYPES),
  scaleId: z.string(),
  grade: z.string(),
  tier: z.enum(TIERS),
}));

/** A subject's supervision tier changed, overall (field "") or in one field. */
export const SupervisionTierChanged = defineEvent(RATINGS_STREAM, "SupervisionTierChanged", z.object({
  changeId: z.number().int(),
  subject: z.string(),
  field: z.string(),
  from: z.enum(TIERS).nullable(),
  to: z.enum(TIERS),
}));

const streams: StreamDeclaration[] = [
  {
    field: "ratingChanged", eventTypeName: "RatingChangedEvent", events: [RatingRecorded],
    entity: { field: "rating", type: "CreditRating", lookup: "creditRating" },
    details: [{ name: "tier", type: "RiskTier", of: (e) => RatingRecorded.parse(e).tier }],
  },
  {
    field: "supervisionTierChanged", eventTypeName: "SupervisionTierChangedEvent", events: [SupervisionTierChanged],
    entity: { field: "change", type: "SupervisionTierChange", lookup: "supervisionTierChange" },
    details: [
      { name: "fromTier", type: "RiskTier", of: (e) => SupervisionTierChanged.parse(e).from },
      { name: "toTier", type: "RiskTier", of: (e) => SupervisionTierChanged.parse(e).to },
    ],
    typeFilter: { arg: "tiers", argType: "[RiskTier!]", of: (e) => SupervisionTierChanged.parse(e).to },
  },
];

export const ratingsEvents: SubgraphEvents = {
  outbox: { table: "ratings.outbox", stream: RATINGS_STREAM },
  emits: [RatingRecorded, SupervisionTierChanged],
  streams,
};
