import type { PrismaClient } from "../store.js";
import { today } from "../../lib/dates.js";
import { generateEnterprises } from "./generator.js";
import type { ScaleRegistry } from "../../subgraphs/ratings/scales/index.js";
import { recordRating, sweepLapsed } from "../../subgraphs/ratings/domain/record.js";

/**
 * Demo ratings on every city's own scales, made through the ratings subgraph's own domain
 * function (so tiers, tier changes and events are real): each city rates its first
 * enterprises on its current scales, grades cycling through the whole scale so the tiers
 * vary, a field scale on some, and one rating on an earlier scale version that has lapsed.
 */
export async function seedRatingsDemo(prisma: PrismaClient, scales: ScaleRegistry, opts: { seed: number; enterprises: number }): Promise<number> {
  const day = today();
  const byCity = new Map<string, string[]>();
  for (const g of generateEnterprises({ seed: opts.seed, enterprises: Math.min(opts.enterprises, 2000) })) {
    const list = byCity.get(g.enterprise.registeredCityCode) ?? [];
    if (list.length < 10) list.push(g.enterprise.uscc);
    byCity.set(g.enterprise.registeredCityCode, list);
  }
  let made = 0;
  for (const [city, firms] of byCity) {
    const current = scales.scales.filter((s) => s.city === city && s.validTo === null);
    for (const [k, scale] of current.entries()) {
      const rated = scale.field === null ? firms : firms.filter((_, i) => i % 2 === 0);
      for (const [i, uscc] of rated.entries()) {
        const grade = scale.grades[(i + k) % scale.grades.length];
        const score = scale.score ? Math.round(scale.score.max - ((scale.score.max - scale.score.min) * ((i + k) % scale.grades.length + 0.5)) / scale.grades.length) : null;
        await recordRating(prisma, scales, { sub: `demo:${city}`, city }, {
          subject: uscc, scale: scale.id, grade: grade.label, score, evaluator: scale.evaluatorType === "MARKET" ? "宁夏诚信评估有限公司" : "市社会信用体系建设领导小组办公室",
          modelVersion: `${scale.id}-M${scale.version}`, ratedOn: "2026-03-15", validUntil: "2028-03-14",
        }, day);
        made++;
      }
    }
    const earlier = scales.scales.find((s) => s.city === city && s.validTo !== null);
    if (earlier && firms[0]) {
      await recordRating(prisma, scales, { sub: `demo:${city}`, city }, {
        subject: firms[0], scale: earlier.id, grade: earlier.grades[earlier.grades.length - 1].label, evaluator: "市社会信用体系建设领导小组办公室",
        modelVersion: `${earlier.id}-M${earlier.version}`, ratedOn: earlier.validFrom, validUntil: earlier.validTo!,
      }, day);
      made++;
    }
  }
  await sweepLapsed(prisma, day);
  return made;
}
