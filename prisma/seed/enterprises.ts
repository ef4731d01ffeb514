// One generated enterprise's own record: unit type and status, its USCC (positions 9–16 from a
// seeded bijection of its index, so no two of a run share one), name, capital and address.
import { USCC_ALPHABET, orgCodeCheckChar, usccCheckChar } from "../../lib/ids/index.js";
import { ANCHOR_DAY, dayOf, isoOf, yuan } from "./formats.js";
import { WeightedTable, type Random } from "./random.js";
import type { EnterpriseRecord, EnterpriseStatus, IndividualRecord, UnitType } from "./records.js";
import type { CityInfo, RunContext } from "./runContext.js";
import { CHINESE_ORDINALS, COMPANY_FORMS, ROADS, TRADE_NAMES, type Industry } from "./words.js";

export const UNIT_TYPES = new WeightedTable<UnitType>([["91", 82], ["92", 10], ["93", 5], ["12", 3]]);

type District = CityInfo["districts"][number];

const STATUSES = new WeightedTable<EnterpriseStatus>([["ACTIVE", 88], ["CANCELLED", 6], ["REVOKED", 4], ["SUSPENDED", 2]]);
/** Registered capital (or 开办资金 / 资金数额) in 万元, by unit type. */
const CAPITAL_WAN: Record<UnitType, WeightedTable<number>> = {
  "91": new WeightedTable([[10, 6], [30, 5], [50, 8], [100, 12], [200, 8], [300, 6], [500, 8], [1000, 8], [2000, 4], [3000, 3], [5000, 3], [10000, 2], [50000, 0.5]]),
  "92": new WeightedTable([[1, 3], [2, 2], [3, 3], [5, 4], [10, 4], [20, 2], [50, 1]]),
  "93": new WeightedTable([[10, 2], [20, 2], [50, 3], [100, 3], [200, 2], [500, 1]]),
  "12": new WeightedTable([[50, 2], [100, 3], [200, 3], [500, 2], [1000, 1], [2000, 0.5]]),
};

const ESTABLISHED_FROM = dayOf("1995-01-01");
/** Unified codes (the "MA…" organisation codes) were issued from October 2015. */
const UNIFIED_CODE_FROM = "2015-10-01";

function base31(x: number, width: number): string {
  let s = "";
  for (let i = 0; i < width; i++) {
    s = USCC_ALPHABET[x % 31] + s;
    x = Math.floor(x / 31);
  }
  return s;
}

function capital(rng: Random, type: UnitType): string {
  if (type === "91" && rng.chance(0.1)) return yuan(rng.int(100_000, 50_000_000) * 100 + rng.int(0, 99));
  return yuan(CAPITAL_WAN[type].pick(rng) * 10_000 * 100);
}

function enterpriseName(rng: Random, type: UnitType, info: CityInfo, district: District, industry: Industry): string {
  const city = info.city;
  const trade = rng.pick(TRADE_NAMES);
  const word = rng.pick(industry.words);
  switch (type) {
    case "91": {
      const form = COMPANY_FORMS.pick(rng);
      const style = rng.int(0, 3);
      if (style === 0) return `${city.name}${district.short}${trade}${word}${form}`;
      if (style === 1) return `${city.province.replace(/(省|市|回族自治区|维吾尔自治区|壮族自治区|自治区)$/, "")}${trade}${word}${form}`;
      return `${city.name}${trade}${word}${form}`;
    }
    case "92":
      return `${district.name}${trade}${word}`;
    case "93":
      return `${city.name}${district.name}${trade}${word}`;
    case "12":
      if (word === "中学") return `${city.name}${district.name}第${rng.pick(CHINESE_ORDINALS)}中学`;
      if (word === "人民医院") return `${district.name}${rng.chance(0.5) ? "" : `第${rng.pick(CHINESE_ORDINALS.slice(0, 3))}`}人民医院`;
      return `${city.name}${district.name}${word}`;
  }
}

function address(rng: Random, info: CityInfo, district: District): string {
  const tail = rng.chance(0.3) ? `${rng.int(1, 30)}号楼${rng.int(1, 28)}层` : "";
  return `${info.city.province}${info.city.name}${district.name}${rng.pick(ROADS)}${rng.int(1, 999)}号${tail}`;
}

/** The USCC of enterprise `index`: its organisation code from the run's bijection, numeric before unified codes began. */
function usccOf(ctx: RunContext, index: number, type: UnitType, district: District, establishedOn: string): string {
  const x = ctx.orgPermutation(index);
  const org8 = establishedOn >= UNIFIED_CODE_FROM ? "MA" + base31(x, 6) : String(x).padStart(8, "0");
  const first17 = type + district.code + org8 + orgCodeCheckChar(org8);
  return first17 + usccCheckChar(first17);
}

export interface EnterpriseDraw {
  rng: Random;
  index: number;
  type: UnitType;
  home: CityInfo;
  district: District;
  industry: Industry;
  person: IndividualRecord;
}

/** The enterprise's record; draws from `rng` in a fixed order (the stream must not change). */
export function enterpriseRecord(ctx: RunContext, d: EnterpriseDraw): EnterpriseRecord {
  const { rng, type, home, district, industry } = d;
  // More registrations in recent years: density grows linearly towards the anchor.
  const establishedOn = isoOf(ESTABLISHED_FROM + Math.floor((ANCHOR_DAY - ESTABLISHED_FROM + 1) * Math.sqrt(rng.float())));
  return {
    uscc: usccOf(ctx, d.index, type, district, establishedOn),
    name: enterpriseName(rng, type, home, district, industry),
    legalRepresentativeName: d.person.name,
    legalRepresentativeId: d.person.idNumber,
    registeredCityCode: home.city.code,
    registeredCapital: capital(rng, type),
    establishedOn,
    status: STATUSES.pick(rng),
    industryCode: industry.code,
    address: address(rng, home, district),
  };
}
