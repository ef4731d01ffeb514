// What one run of the generator derives once from its seed and cities: per city its short
// names, industry tables (with the city's boosts) and the bijection behind its people's ID
// numbers; across cities the city pick and the bijection behind organisation codes.
import type { City } from "../../lib/cities.js";
import { dayOf } from "./formats.js";
import { WeightedTable, affinePermutation, hash32 } from "./random.js";
import type { UnitType } from "./records.js";
import { INDUSTRIES_BY_TYPE, PROVINCE_ABBR, type Industry } from "./words.js";

/** Random-stream domains: each entity kind draws from its own streams (`rngFor(seed, domain, index)`). */
export const D_ENTERPRISE = 1, D_PERSON = 2, D_ORG = 3, D_ID = 4;

export const BIRTH_FROM = dayOf("1950-01-01");
const BIRTH_DAYS = dayOf("2002-12-31") - BIRTH_FROM + 1;
/** Sequence codes 001–999 (000 is not issued). */
export const SEQUENCES = 999;
/** Organisation codes are a bijection of the enterprise index onto [0, ORG_SPACE). */
export const ORG_SPACE = 100_000_000;

/** Relative share of the run registered in each city; unknown cities get 2. */
const CITY_WEIGHTS: Record<string, number> = { "620100": 4, "150100": 3.5, "640100": 3, "610800": 3, "610600": 2, "620800": 2 };

export interface CityInfo {
  index: number;
  city: City;
  /** 榆林市 → 榆 (decision numbers). */
  abbr: string;
  provinceAbbr: string;
  /** Districts with their short form (神木市 → 神木). */
  districts: Array<{ code: string; name: string; short: string }>;
  /** The other partner cities (cross-city records). */
  others: CityInfo[];
  /** Industry pick per unit type, with this city's boosts applied. */
  industries: Record<UnitType, WeightedTable<Industry>>;
  idSpace: number;
  idPermutation: (x: number) => number;
}

export interface RunContext {
  seed: number;
  cities: CityInfo[];
  cityTable: WeightedTable<CityInfo>;
  orgPermutation: (x: number) => number;
}

function shortName(name: string): string {
  return name.length > 2 ? name.replace(/(区|县|市|旗)$/, "") : name;
}

export function runContext(seed: number, cities: readonly City[]): RunContext {
  if (cities.length === 0) throw new Error("no partner cities to generate for");
  const info = cities.map((city, index): CityInfo => {
    if (city.districts.length === 0) throw new Error(`city ${city.code} has no districts`);
    const idSpace = city.districts.length * BIRTH_DAYS * SEQUENCES;
    return {
      index,
      city,
      abbr: city.name[0],
      provinceAbbr: PROVINCE_ABBR[city.province] ?? city.province[0],
      districts: city.districts.map(([code, name]) => ({ code, name, short: shortName(name) })),
      others: [],
      industries: Object.fromEntries(
        (Object.keys(INDUSTRIES_BY_TYPE) as UnitType[]).map((t) => [
          t,
          new WeightedTable(INDUSTRIES_BY_TYPE[t].map((ind) => [ind, ind.weight * (ind.boost?.[city.code] ?? 1)] as const)),
        ]),
      ) as Record<UnitType, WeightedTable<Industry>>,
      idSpace,
      idPermutation: affinePermutation(idSpace, hash32(seed, D_ID, index)),
    };
  });
  for (const c of info) c.others = info.filter((o) => o !== c);
  return {
    seed,
    cities: info,
    cityTable: new WeightedTable(info.map((c) => [c, CITY_WEIGHTS[c.city.code] ?? 2] as const)),
    orgPermutation: affinePermutation(ORG_SPACE, hash32(seed, D_ORG)),
  };
}
