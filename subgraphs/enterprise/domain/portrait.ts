/** The enterprise subgraph's part of a portrait (F55): its 双公示 records, through the request's loaders (one statement each, however many subjects). */
import { checkUscc } from "../../../lib/ids/index.js";
import { cityOf } from "../../../lib/cities.js";
import { lastMonths, monthCounts, today } from "../../../lib/dates.js";
import type { EnterpriseContext } from "../loaders.js";

type Part = { subject: string };

/** A person's portrait has no enterprise records: nothing to read. */
const firm = (p: Part) => checkUscc(p.subject).ok;

function byCity(kind: "LICENSE" | "PENALTY", rows: Array<{ issuingCityCode: string }>) {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.issuingCityCode, (counts.get(r.issuingCityCode) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([city, count]) => ({ kind, city: cityOf(city), count }));
}

export const portraitResolvers = {
  __resolveReference: (ref: Part) => ref,
  records: async (p: Part, _: unknown, ctx: EnterpriseContext) => {
    if (!firm(p)) return [];
    const [licenses, penalties] = await Promise.all([ctx.loaders.licenses.load(p.subject), ctx.loaders.penalties.load(p.subject)]);
    return [...byCity("LICENSE", licenses), ...byCity("PENALTY", penalties)];
  },
  penaltyTrend: async (p: Part, _: unknown, ctx: EnterpriseContext) => {
    const months = lastMonths(12, today());
    return monthCounts(months, firm(p) ? (await ctx.loaders.penalties.load(p.subject)).map((x) => x.decidedOn) : []);
  },
};
