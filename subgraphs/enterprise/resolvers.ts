import { z } from "zod";
import { requireUscc, checkUscc } from "../../lib/ids/index.js";
import { cityOf, partnerCities, requireCity } from "../../lib/cities.js";
import { dateOf, today } from "../../lib/dates.js";
import { checkFirst, decodeCursor, toPage } from "../../lib/service/pagination.js";
import { parseInput } from "../../lib/service/validate.js";
import { findEnterprises, type Enterprise, type AdministrativePenalty, type EnterpriseStatus } from "./data.js";
import type { EnterpriseContext } from "./loaders.js";
import { portraitResolvers } from "./domain/portrait.js";
import type { Resolvers } from "../../lib/service/subgraph.js";

const filterSchema = z
  .object({
    cities: z.array(z.string()).max(50, "at most 50 cities").nullish(),
    cityCode: z.string().nullish(),
    status: z.enum(["ACTIVE", "REVOKED", "CANCELLED", "SUSPENDED"]).nullish(),
    nameContains: z.string().trim().min(1, "must not be empty").max(50, "at most 50 characters").nullish(),
    industryCode: z.string().regex(/^[A-T]\d{0,4}$/, "must be a GB/T 4754 code such as C3011").nullish(),
  })
  .nullish();

export function createResolvers(maxPageSize: number): Resolvers {
  return {
    Query: {
      enterprise: (_: unknown, args: { uscc: string }, ctx: EnterpriseContext) => ctx.loaders.enterprise.load(requireUscc(args.uscc)),
      enterprises: async (_: unknown, args: { filter?: unknown; first?: number; after?: string }, ctx: EnterpriseContext) => {
        const filter = parseInput(filterSchema, args.filter, "filter") ?? {};
        const first = checkFirst(args.first, maxPageSize);
        const cities = [...(filter.cities ?? []), ...(filter.cityCode != null ? [filter.cityCode] : [])];
        for (const c of filter.cities ?? []) requireCity(c, "filter.cities");
        if (filter.cityCode != null) requireCity(filter.cityCode, "filter.cityCode");
        const after = args.after ? decodeCursor(args.after, (k) => checkUscc(k).ok) : undefined;
        const rows = await findEnterprises(ctx.store.prisma, {
          cities: cities.length ? cities : undefined,
          status: (filter.status ?? undefined) as EnterpriseStatus | undefined,
          nameContains: filter.nameContains ?? undefined,
          industryCode: filter.industryCode ?? undefined,
          after,
          take: first + 1,
        });
        // Warm the loader so federated look-ups of these rows cost no more SQL.
        for (const row of rows) ctx.loaders.enterprise.prime(row.uscc, row);
        return toPage(rows, first, (e) => e.uscc);
      },
      cities: () => partnerCities(),
    },
    Portrait: portraitResolvers,
    Enterprise: {
      __resolveReference: (ref: { uscc: string }, ctx: EnterpriseContext) => ctx.loaders.enterprise.load(ref.uscc),
      registeredCity: (e: Enterprise) => cityOf(e.registeredCityCode),
      portrait: (e: Enterprise) => ({ subject: e.uscc }),
      legalRepresentative: (e: Enterprise) => (e.legalRepresentativeId ? { ref: e.legalRepresentativeId } : null),
      administrativeLicenses: (e: Enterprise, _: unknown, ctx: EnterpriseContext) => ctx.loaders.licenses.load(e.uscc),
      administrativePenalties: async (e: Enterprise, args: { includeExpired?: boolean }, ctx: EnterpriseContext) => {
        const all = await ctx.loaders.penalties.load(e.uscc);
        if (args.includeExpired) return all;
        const now = dateOf(today());
        return all.filter((p: AdministrativePenalty) => p.publicityUntil >= now);
      },
    },
    MarketBanStatus: {
      __resolveReference: (ref: { subject: string }) => ref,
      responsiblePersonIds: async (s: { subject: string }, _: unknown, ctx: EnterpriseContext) => {
        if (!checkUscc(s.subject).ok) return []; // a person answers for themself
        const e = await ctx.loaders.enterprise.load(s.subject);
        return e?.legalRepresentativeId ? [e.legalRepresentativeId] : [];
      },
    },
    AdministrativeLicense: { issuingCity: (l: { issuingCityCode: string }) => cityOf(l.issuingCityCode) },
    AdministrativePenalty: { issuingCity: (p: { issuingCityCode: string }) => cityOf(p.issuingCityCode) },
  };
}
