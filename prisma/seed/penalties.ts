// The administrative penalties (行政处罚) of a generated enterprise: kind, severity, the decision
// (warning, fine, confiscation, suspension) and the publicity period it sets.
import { ANCHOR, addYears, dayBetween, maxIso, yuan } from "./formats.js";
import { decisionNumber, issuingCity, kindsFor, type Ctx } from "./decisions.js";
import { WeightedTable } from "./random.js";
import type { PenaltyRecord, PenaltySeverity } from "./records.js";
import type { CityInfo } from "./runContext.js";
import { DEPTS, PENALTY_KINDS, authorityName, type PenaltyKind } from "./words.js";

/**
 * Years a penalty stays published, by severity, counted from the decision date.
 * A stand-in: the versioned publicity rules (DOMAIN.md, keyed by decision date and
 * regime, e.g. NDRC Order 2025 No. 36 from 2026-04-01) will replace this table.
 */
export const PUBLICITY_YEARS: Readonly<Record<PenaltySeverity, number>> = { 一般: 1, 严重: 3 };

const FINES: Record<PenaltySeverity, WeightedTable<number>> = {
  一般: new WeightedTable([[2000, 3], [5000, 4], [10000, 5], [20000, 3], [30000, 2], [50000, 2], [100000, 1]]),
  严重: new WeightedTable([[100000, 3], [200000, 3], [500000, 2], [1000000, 1]]),
};
type PenaltyAction = "warning" | "fine" | "confiscate" | "suspend";
const ACTIONS: Record<PenaltySeverity, WeightedTable<PenaltyAction>> = {
  一般: new WeightedTable<PenaltyAction>([["warning", 15], ["fine", 70], ["confiscate", 10]]),
  严重: new WeightedTable<PenaltyAction>([["warning", 15], ["fine", 70], ["confiscate", 10], ["suspend", 10]]),
};

const PENALTY_COUNTS = new WeightedTable([[0, 80], [1, 14], [2, 6]]);
const penaltyKindsByIndustry = new Map<string, PenaltyKind[]>();

export function penalties(c: Ctx, home: CityInfo, index: number): PenaltyRecord[] {
  const count = PENALTY_COUNTS.pick(c.rng);
  if (count === 0) return [];
  const kinds = kindsFor(penaltyKindsByIndustry, PENALTY_KINDS, c.industry.code);
  const out: PenaltyRecord[] = [];
  for (let k = 1; k <= count; k++) {
    const kind = c.rng.pick(kinds);
    const city = issuingCity(c.rng, home, 0.8);
    const severity: PenaltySeverity = c.rng.chance(0.2) ? "严重" : "一般";
    // Mostly recent, so that a good share is still within its publicity period.
    const decidedOn = dayBetween(c.rng, maxIso(c.ent.establishedOn, addYears(ANCHOR, -6)), ANCHOR);
    const dept = DEPTS[kind.dept];
    const action = ACTIONS[severity].pick(c.rng);
    let fineAmount: string | null = null;
    let decision: string;
    if (action === "warning") {
      decision = "给予警告";
    } else {
      const cents = c.rng.chance(0.15) ? c.rng.int(100_000, 10_000_000) : FINES[severity].pick(c.rng) * 100;
      fineAmount = yuan(cents);
      const fine = `处罚款人民币${fineAmount}元`;
      decision =
        action === "confiscate" ? `没收违法所得人民币${yuan(c.rng.int(1_000, 500_000) * 100)}元，并${fine}`
        : action === "suspend" ? `责令停产停业整顿，并${fine}`
        : fine;
    }
    out.push({
      uscc: c.ent.uscc,
      decisionNumber: decisionNumber(city, dept, "罚", decidedOn, index, k),
      authority: authorityName(dept, city.city),
      decidedOn,
      content: `${c.ent.name}${kind.violation}，违反了${kind.law}的规定。依法决定：${decision}。`,
      fineAmount,
      issuingCityCode: city.city.code,
      publicityUntil: addYears(decidedOn, PUBLICITY_YEARS[severity]),
      severity,
    });
  }
  return out;
}
