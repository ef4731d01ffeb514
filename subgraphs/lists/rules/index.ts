import { readFileSync } from "node:fs";
import { z } from "zod";

/** Versioned rule data (rules/publicity.json): periods keyed by decision date and severity. */
const period = z.object({ minMonths: z.number().int().min(0), maxMonths: z.number().int().min(0) });
const rulesSchema = z.object({
  regimes: z.array(z.object({
    id: z.string(),
    title: z.string(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    periods: z.object({ MINOR: period, GENERAL: period, SERIOUS: period }),
  })),
  objectionLimits: z.object({ acceptDays: z.number().positive(), resultDays: z.number().positive() }),
  repairBarYears: z.number().int().positive(),
});
export type ListRules = z.infer<typeof rulesSchema>;
export type SeverityLevel = keyof ListRules["regimes"][number]["periods"];

export function loadRules(url: URL = new URL("./publicity.json", import.meta.url)): ListRules {
  return rulesSchema.parse(JSON.parse(readFileSync(url, "utf8")));
}

/** Calendar months; a day past the end of the target month is clamped (03-31 + 3 months = 06-30). */
function addMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear(), m = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay)));
}

export function addYears(date: Date, years: number): Date {
  return addMonths(date, years * 12);
}

export interface Periods {
  ruleVersion: string;
  publicityUntil: Date;
  earliestRepairOn: Date;
}

/** The periods of a decision: the regime in force on its date, the severity's minimum and maximum. */
export function periodsFor(rules: ListRules, decidedOn: Date, severity: SeverityLevel): Periods {
  const day = decidedOn.toISOString().slice(0, 10);
  const regime = rules.regimes.find((r) => r.validFrom <= day && (r.validTo === null || day < r.validTo));
  if (!regime) throw new Error(`no publicity rules cover decisions dated ${day}`);
  const p = regime.periods[severity];
  return { ruleVersion: regime.id, publicityUntil: addMonths(decidedOn, p.maxMonths), earliestRepairOn: addMonths(decidedOn, p.minMonths) };
}
