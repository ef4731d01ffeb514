import type { Resolvers } from "../../lib/service/subgraph.js";
import { badInput } from "../../lib/errors.js";
import { cityOf, requireCity } from "../../lib/cities.js";
import { checkUscc, requireRowId as intId, requireUscc } from "../../lib/ids/index.js";
import { today } from "../../lib/dates.js";
import { checkFirst, decodeCursor, toPage } from "../../lib/service/pagination.js";
import type { GradeScale, Tier } from "./scales/index.js";
import { directoryCounts, directoryPage, type CreditRating, type SupervisionTier, type SupervisionTierChange } from "./data.js";
import { recordRating, type RatingInput } from "./domain/record.js";
import type { RatingsContext } from "./loaders.js";


/** The edge check of a `field` argument: one a scale rates in. */
function requireField(ctx: RatingsContext, field: string | null | undefined): string {
  if (field == null || field === "") return "";
  if (!ctx.scales.fields.includes(field)) throw badInput("field", "unknownField", `no scale rates in '${field}' (fields: ${ctx.scales.fields.join(", ")})`);
  return field;
}

const scaleView = (s: GradeScale) => ({ ...s, city: cityOf(s.city), scoreMin: s.score?.min ?? null, scoreMax: s.score?.max ?? null });

/** A tier row (or the unrated default) with the caller's city's inspection rule. */
const tierView = (ctx: RatingsContext, field: string, row: Pick<SupervisionTier, "tier" | "rated" | "since"> | undefined) => {
  const tier = (row?.tier ?? "NORMAL") as Tier;
  // Resolved only when asked: a service caller (city 000000) reading the tier has no inspection rule.
  const inspection = () => ({ ...ctx.scales.inspection(ctx.identity!.city, tier), city: cityOf(ctx.identity!.city) });
  return { field: field || null, tier, rated: row?.rated ?? false, since: row?.rated ? row.since.toISOString() : null, inspection };
};

export function createResolvers(maxPageSize: number): Resolvers {
  return {
    Query: {
      gradeScales: (_: unknown, a: { cities?: string[] }, ctx: RatingsContext) => {
        const cities = new Set((a.cities ?? []).map((c) => requireCity(c, "cities").code));
        return ctx.scales.scales.filter((s) => cities.size === 0 || cities.has(s.city)).map(scaleView);
      },
      creditRating: (_: unknown, a: { id: string }, ctx: RatingsContext) => ctx.loaders.rating.load(intId(a.id, "id")),
      supervisionTierChange: (_: unknown, a: { id: string }, ctx: RatingsContext) => ctx.loaders.tierChange.load(intId(a.id, "id")),
      supervisionDirectory: async (_: unknown, a: { field?: string; tiers?: Tier[]; first?: number; after?: string }, ctx: RatingsContext) => {
        const field = requireField(ctx, a.field);
        const first = checkFirst(a.first, maxPageSize);
        const after = a.after ? decodeCursor(a.after, (k) => /^[0-9A-Z]{18}$/.test(k)) : undefined;
        const rows = await directoryPage(ctx.store.prisma, field, a.tiers, first + 1, after);
        const page = toPage(rows, first, (r) => r.subjectId);
        return {
          edges: page.edges.map((e) => ({ cursor: e.cursor, node: { subject: { uscc: e.node.subjectId }, tier: tierView(ctx, field, e.node) } })),
          pageInfo: page.pageInfo,
          countsByTier: () => directoryCounts(ctx.store.prisma, field),
        };
      },
    },
    Mutation: {
      recordCreditRating: (_: unknown, a: { input: RatingInput }, ctx: RatingsContext) => {
        const input = { ...a.input, subject: requireUscc(a.input.subject, "subject") };
        for (const k of ["evaluator", "modelVersion"] as const) if (input[k].trim() === "" || input[k].length > 100) throw badInput(k, "length", "give 1 to 100 characters");
        return recordRating(ctx.store.prisma, ctx.scales, ctx.identity!, input, today());
      },
    },
    Enterprise: {
      ratings: async (e: { uscc: string }, a: { includeExpired?: boolean }, ctx: RatingsContext) => {
        const day = today();
        const all = await ctx.loaders.ratingsOfSubject.load(e.uscc);
        return a.includeExpired ? all : all.filter((r) => r.validUntil.toISOString().slice(0, 10) >= day);
      },
      supervisionTier: async (e: { uscc: string }, a: { field?: string }, ctx: RatingsContext) => {
        const field = requireField(ctx, a.field);
        const rows = await ctx.loaders.tiersOfSubject.load(e.uscc);
        // A field without its own row takes the general tier (no field rating on the subject).
        return tierView(ctx, field, rows.find((t) => t.field === field) ?? rows.find((t) => t.field === ""));
      },
    },
    Portrait: {
      __resolveReference: (ref: { subject: string }) => ref,
      latestRatings: async (p: { subject: string }, _: unknown, ctx: RatingsContext) => {
        const day = today();
        const seen = new Set<string>();
        // Newest first: the first in force of each scale is its latest.
        return (await ctx.loaders.ratingsOfSubject.load(p.subject)).filter((r) => {
          if (r.ratedOn.toISOString().slice(0, 10) > day || r.validUntil.toISOString().slice(0, 10) < day || seen.has(r.scaleId)) return false;
          seen.add(r.scaleId);
          return true;
        });
      },
      tier: async (p: { subject: string }, _: unknown, ctx: RatingsContext) =>
        checkUscc(p.subject).ok ? ((await ctx.loaders.tiersOfSubject.load(p.subject)).find((t) => t.field === "")?.tier ?? "NORMAL") : null,
    },
    CreditRating: {
      __resolveReference: (ref: { id: string }, ctx: RatingsContext) => ctx.loaders.rating.load(intId(ref.id, "id")),
      id: (r: CreditRating) => String(r.id),
      subject: (r: CreditRating) => ({ uscc: r.subjectId }),
      issuingCity: (r: CreditRating) => cityOf(r.issuingCityCode),
      scale: (r: CreditRating, _: unknown, ctx: RatingsContext) => scaleView(ctx.scales.scales.find((s) => s.id === r.scaleId && s.version === r.scaleVersion)!),
      score: (r: CreditRating) => (r.score === null ? null : Number(r.score)),
      inForce: (r: CreditRating) => { const d = today(); return r.ratedOn.toISOString().slice(0, 10) <= d && r.validUntil.toISOString().slice(0, 10) >= d; },
    },
    SupervisionTierChange: {
      __resolveReference: (ref: { id: string }, ctx: RatingsContext) => ctx.loaders.tierChange.load(intId(ref.id, "id")),
      id: (c: SupervisionTierChange) => String(c.id),
      subject: (c: SupervisionTierChange) => ({ uscc: c.subjectId }),
      field: (c: SupervisionTierChange) => c.field || null,
      cause: (c: SupervisionTierChange, _: unknown, ctx: RatingsContext) => (c.ratingId === null ? null : ctx.loaders.rating.load(c.ratingId)),
      changedAt: (c: SupervisionTierChange) => c.changedAt.toISOString(),
    },
  };
}
