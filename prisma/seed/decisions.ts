// What licenses and penalties share: the enterprise they are about, the kinds that apply to its
// industry, the issuing partner city, and the decision number (文号) that names the decision.
import type { Random } from "./random.js";
import type { EnterpriseRecord } from "./records.js";
import type { CityInfo } from "./runContext.js";
import type { Dept, Industry } from "./words.js";

/** The enterprise a decision is about, with its random stream. */
export interface Ctx {
  rng: Random;
  ent: EnterpriseRecord;
  industry: Industry;
  district: string;
}

function applies(prefixes: string[], industryCode: string): boolean {
  return prefixes.some((p) => industryCode.startsWith(p));
}

/** Kinds that apply to an industry, computed once per industry code. */
export function kindsFor<K extends { industries: string[] }>(cache: Map<string, K[]>, all: K[], industryCode: string): K[] {
  let kinds = cache.get(industryCode);
  if (!kinds) cache.set(industryCode, (kinds = all.filter((k) => applies(k.industries, industryCode))));
  return kinds;
}

/** Mostly the registering city; sometimes another partner city (the point of the hub). */
export function issuingCity(rng: Random, home: CityInfo, pHome: number): CityInfo {
  if (home.others.length === 0 || rng.chance(pHome)) return home;
  return rng.pick(home.others);
}

/** 榆市监许〔2025〕000042-1号: city, department, 许 or 罚, year, enterprise index, ordinal; unique per run. */
export function decisionNumber(city: CityInfo, dept: Dept, kind: "许" | "罚", decidedOn: string, index: number, ordinal: number): string {
  return `${city.abbr}${dept.abbr}${kind}〔${decidedOn.slice(0, 4)}〕${String(index).padStart(6, "0")}-${ordinal}号`;
}
