import { readFileSync } from "node:fs";
import { z } from "zod";

const ruleSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  cities: z.array(z.string()).min(1),
  industries: z.array(z.string()).min(1),
  severity: z.enum(["LOW", "MEDIUM", "HIGH"]),
  kind: z.enum(["NEW_LISTING", "RELATED_PARTY_LISTED", "CROSS_CITY", "REPEATED_PENALTIES", "TIER_DOWNGRADE"]),
  params: z.object({
    listTypes: z.array(z.string()).optional(),
    depth: z.number().int().min(1).max(4).optional(),
    minCities: z.number().int().min(2).optional(),
    count: z.number().int().min(1).optional(),
    withinDays: z.number().int().min(1).optional(),
    /** TIER_DOWNGRADE: the tiers a move into raises it (default: any worse tier). */
    toTiers: z.array(z.enum(["NORMAL", "HIGH_RISK"])).optional(),
  }),
  message: z.string(),
});
export type RiskRule = z.infer<typeof ruleSchema>;

export function loadRiskRules(url: URL = new URL("./riskRules.json", import.meta.url)): RiskRule[] {
  return z.object({ rules: z.array(ruleSchema) }).parse(JSON.parse(readFileSync(url, "utf8"))).rules;
}

/** The rule versions in force on `day` for an enterprise of this city and industry. */
export function applicableRules(rules: RiskRule[], day: string, cityCode: string, industryCode: string): RiskRule[] {
  return rules.filter((r) => r.validFrom <= day && (r.validTo === null || day < r.validTo)
    && (r.cities.includes("*") || r.cities.includes(cityCode))
    && (r.industries.includes("*") || r.industries.some((p) => industryCode.startsWith(p))));
}
