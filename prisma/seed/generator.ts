/**
 * Deterministic demo data for the hub: enterprises of the partner cities with their
 * 双公示 records (licenses, penalties) and their legal representatives (法定代表人)
 * as individuals with professional qualifications.
 *
 * Pure: no I/O beyond reading the city registry and the word tables (data/*.json) once at
 * load, no clock, no Math.random(). Records stream one enterprise at a time; the only state
 * kept across enterprises is one person counter per city, so a million enterprises need
 * no more memory than ten.
 *
 * Identifiers are valid by construction and unique without a "seen" set:
 * - USCC: positions 9–16 come from a seeded bijection of the enterprise index, so two
 *   enterprises of one run never share an organisation code (hence a USCC);
 * - ID number: a person is (city, local index); the local index goes through a seeded
 *   bijection onto (district, birth date, sequence) of that city, so the ID is unique
 *   and the person can be regenerated from the key alone (`individualAt`);
 * - decision / certificate numbers embed the enterprise index / person key.
 *
 * Dates are `YYYY-MM-DD` strings throughout; amounts are decimal strings in yuan.
 */
import { partnerCities, type City } from "../../lib/cities.js";
import { USCC_ALPHABET, idCheckDigit, orgCodeCheckChar, usccCheckChar } from "../../lib/ids/index.js";
import { WeightedTable, affinePermutation, hash32, rngFor, type Random } from "./random.js";
import {
  CHINESE_ORDINALS, COMPANY_FORMS, DEPTS, FEMALE_CHARS, INDUSTRIES_BY_TYPE, MALE_CHARS, PENALTY_KINDS, PROVINCE_ABBR, QUALIFICATIONS, ROADS, SURNAMES, TRADE_NAMES,
  authorityName, issuerName, type DeptKey, type Dept, type Industry, type PenaltyKind,
} from "./words.js";

// ---------------------------------------------------------------------------
// Public record types (one field per column; dates as YYYY-MM-DD)
// ---------------------------------------------------------------------------

export type EnterpriseStatus = "ACTIVE" | "REVOKED" | "CANCELLED" | "SUSPENDED";
/** Registration authority + organisation type (USCC positions 1–2). */
export type UnitType = "91" | "92" | "93" | "12";
export type PenaltySeverity = "一般" | "严重";

export interface QualificationRecord {
  idNumber: string;
  title: string;
  certificateNumber: string;
  issuedBy: string;
  issuedOn: string;
  validUntil: string | null;
  issuingCityCode: string;
}

export interface IndividualRecord {
  /** The key the person is regenerated from: `local * cityCount + cityIndex`. */
  key: number;
  idNumber: string;
  name: string;
  cityCode: string;
  qualifications: QualificationRecord[];
}

export interface EnterpriseRecord {
  uscc: string;
  name: string;
  legalRepresentativeName: string;
  legalRepresentativeId: string;
  registeredCityCode: string;
  registeredCapital: string;
  establishedOn: string;
  status: EnterpriseStatus;
  industryCode: string;
  address: string;
}

export interface LicenseRecord {
  uscc: string;
  decisionNumber: string;
  licenseName: string;
  authority: string;
  decidedOn: string;
  validUntil: string | null;
  content: string;
  issuingCityCode: string;
}

export interface PenaltyRecord {
  uscc: string;
  decisionNumber: string;
  authority: string;
  decidedOn: string;
  content: string;
  fineAmount: string | null;
  issuingCityCode: string;
  publicityUntil: string;
  /** Not a column: the class that set publicityUntil. */
  severity: PenaltySeverity;
}

export interface GeneratedEnterprise {
  /** 0-based position in the run. */
  index: number;
  unitType: UnitType;
  enterprise: EnterpriseRecord;
  legalRepresentative: IndividualRecord;
  /** False when the person already represented an earlier enterprise of the run. */
  legalRepresentativeIsNew: boolean;
  licenses: LicenseRecord[];
  penalties: PenaltyRecord[];
}

export interface GenerateOptions {
  seed: number;
  enterprises: number;
  /** Defaults to the partner-city registry (lib/cities.json). */
  cities?: readonly City[];
}

// ---------------------------------------------------------------------------
// Dates (UTC day numbers, never the clock)
// ---------------------------------------------------------------------------

const ANCHOR = "2026-11-01";

/** The fixed "today" of the seed data: every generated date is on or before it. */
export function seedAnchorDate(): string {
  return ANCHOR;
}

const DAY_MS = 86_400_000;
function dayOf(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}
/** Day number → `YYYY-MM-DD` (Hinnant's civil_from_days; ~10× faster than Date#toISOString). */
function isoOf(day: number): string {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}
/** Same month and day n years later; 29 Feb becomes 28 Feb in a common year. */
export function addYears(iso: string, n: number): string {
  const y = Number(iso.slice(0, 4)) + n;
  let md = iso.slice(4);
  if (md === "-02-29" && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) md = "-02-28";
  return String(y).padStart(4, "0") + md;
}
function addDays(iso: string, n: number): string {
  return isoOf(dayOf(iso) + n);
}
function dayBetween(rng: Random, from: string, to: string): string {
  const a = dayOf(from), b = dayOf(to);
  return b <= a ? from : isoOf(rng.int(a, b));
}
function maxIso(a: string, b: string): string {
  return a > b ? a : b;
}
function minIso(a: string, b: string): string {
  return a < b ? a : b;
}

const ANCHOR_DAY = dayOf(ANCHOR);
const ESTABLISHED_FROM = dayOf("1995-01-01");
const BIRTH_FROM = dayOf("1950-01-01");
const BIRTH_DAYS = dayOf("2002-12-31") - BIRTH_FROM + 1;
/** Sequence codes 001–999 (000 is not issued). */
const SEQUENCES = 999;
/** Organisation codes are a bijection of the enterprise index onto [0, ORG_SPACE). */
const ORG_SPACE = 100_000_000;
/** Unified codes (the "MA…" organisation codes) were issued from October 2015. */
const UNIFIED_CODE_FROM = "2015-10-01";

// ---------------------------------------------------------------------------
// Publicity periods
// ---------------------------------------------------------------------------

/**
 * Years a penalty stays published, by severity, counted from the decision date.
 * A stand-in: the versioned publicity rules (DOMAIN.md, keyed by decision date and
 * regime, e.g. NDRC Order 2025 No. 36 from 2026-04-01) will replace this table.
 */
export const PUBLICITY_YEARS: Readonly<Record<PenaltySeverity, number>> = { 一般: 1, 严重: 3 };

// ---------------------------------------------------------------------------
// Distributions (the word tables: words.ts, data/*.json)
// ---------------------------------------------------------------------------

const UNIT_TYPES = new WeightedTable<UnitType>([["91", 82], ["92", 10], ["93", 5], ["12", 3]]);
const STATUSES = new WeightedTable<EnterpriseStatus>([["ACTIVE", 88], ["CANCELLED", 6], ["REVOKED", 4], ["SUSPENDED", 2]]);
/** Registered capital (or 开办资金 / 资金数额) in 万元, by unit type. */
const CAPITAL_WAN: Record<UnitType, WeightedTable<number>> = {
  "91": new WeightedTable([[10, 6], [30, 5], [50, 8], [100, 12], [200, 8], [300, 6], [500, 8], [1000, 8], [2000, 4], [3000, 3], [5000, 3], [10000, 2], [50000, 0.5]]),
  "92": new WeightedTable([[1, 3], [2, 2], [3, 3], [5, 4], [10, 4], [20, 2], [50, 1]]),
  "93": new WeightedTable([[10, 2], [20, 2], [50, 3], [100, 3], [200, 2], [500, 1]]),
  "12": new WeightedTable([[50, 2], [100, 3], [200, 3], [500, 2], [1000, 1], [2000, 0.5]]),
};

/** Relative share of the run registered in each city; unknown cities get 2. */
const CITY_WEIGHTS: Record<string, number> = { "620100": 4, "150100": 3.5, "640100": 3, "610800": 3, "610600": 2, "620800": 2 };

// ---------------------------------------------------------------------------
// Authorities, licenses, penalties
// ---------------------------------------------------------------------------

interface Ctx {
  rng: Random;
  ent: EnterpriseRecord;
  industry: Industry;
  district: string;
}

interface LicenseKind {
  name: string;
  dept: DeptKey;
  /** Validity in years; 0 = no expiry. */
  years: number;
  /** Industry-code prefixes the license applies to. */
  industries: string[];
  content(c: Ctx): string;
}

const LICENSE_KINDS: LicenseKind[] = [
  {
    name: "食品经营许可证", dept: "market", years: 5, industries: ["F521", "H6"],
    content: (c) => `经营场所：${c.ent.address}；经营项目：预包装食品（含冷藏冷冻食品）销售，散装食品销售${c.industry.code.startsWith("H") ? "，热食类食品制售" : ""}`,
  },
  {
    name: "排污许可证", dept: "eco", years: 5, industries: ["B", "C", "D441"],
    content: (c) => `行业类别：${c.industry.label}；主要污染物类别：${c.rng.pick(["废气、废水", "废气", "废水、一般工业固体废物"])}；排污权使用和交易信息：无`,
  },
  {
    name: "安全生产许可证", dept: "safety", years: 3, industries: ["B", "C26"],
    content: (c) => `许可范围：${c.industry.code === "B0610" ? "煤炭开采" : c.industry.code === "B0710" ? "石油天然气开采" : "危险化学品生产"}`,
  },
  {
    name: "建筑业企业资质证书", dept: "housing", years: 5, industries: ["E"],
    content: (c) => `资质类别及等级：${c.rng.pick(["建筑工程施工总承包贰级", "建筑工程施工总承包叁级", "市政公用工程施工总承包贰级", "施工劳务不分等级"])}`,
  },
  {
    name: "房地产开发企业资质证书", dept: "housing", years: 3, industries: ["K70"],
    content: (c) => `资质等级：${c.rng.pick(["贰级", "叁级", "暂定"])}`,
  },
  {
    name: "建设工程规划许可证", dept: "planning", years: 0, industries: ["K70", "E47", "C"],
    content: (c) => `建设项目名称：${c.ent.name}${c.rng.pick(["综合楼", "厂房", "住宅小区"])}项目；建设规模：${c.rng.int(20, 900) * 100}平方米`,
  },
  {
    name: "道路运输经营许可证", dept: "transport", years: 4, industries: ["G54", "B06"],
    content: (c) => `经营范围：道路普通货物运输${c.rng.chance(0.3) ? "，货物专用运输（集装箱）" : ""}`,
  },
  {
    name: "取水许可证", dept: "water", years: 5, industries: ["B", "C", "D", "A01"],
    content: (c) => `取水地点：${c.district}；取水方式：${c.rng.pick(["地下水", "地表水"])}；年取水量：${c.rng.int(1, 300)}万立方米`,
  },
  {
    name: "烟草专卖零售许可证", dept: "tobacco", years: 5, industries: ["F521"],
    content: (c) => `经营场所：${c.ent.address}；经营范围：卷烟、雪茄烟零售`,
  },
  {
    name: "特种设备使用登记证", dept: "market", years: 0, industries: ["B", "C", "D", "H61", "K70"],
    content: (c) => `设备类别：${c.rng.pick(["锅炉", "压力容器", "电梯", "起重机械", "场（厂）内专用机动车辆"])}；使用单位：${c.ent.name}`,
  },
  {
    name: "生鲜乳收购许可证", dept: "agri", years: 2, industries: ["C1441", "A0311"],
    content: (c) => `收购站地址：${c.ent.address}`,
  },
  {
    name: "动物防疫条件合格证", dept: "agri", years: 0, industries: ["A03"],
    content: (c) => `场所地址：${c.ent.address}；经营范围：${c.industry.label}`,
  },
  {
    name: "医疗机构执业许可证", dept: "health", years: 5, industries: ["Q84"],
    content: () => "诊疗科目：预防保健科；内科；外科；妇产科；儿科；医学检验科；医学影像科",
  },
  {
    name: "办学许可证", dept: "education", years: 5, industries: ["P"],
    content: () => "办学层次：初级中学；办学形式：全日制",
  },
  {
    name: "检验检测机构资质认定证书", dept: "market", years: 6, industries: ["M745"],
    content: () => "检验检测能力范围：建筑材料、食品、环境监测",
  },
];

const FINES: Record<PenaltySeverity, WeightedTable<number>> = {
  一般: new WeightedTable([[2000, 3], [5000, 4], [10000, 5], [20000, 3], [30000, 2], [50000, 2], [100000, 1]]),
  严重: new WeightedTable([[100000, 3], [200000, 3], [500000, 2], [1000000, 1]]),
};
type PenaltyAction = "warning" | "fine" | "confiscate" | "suspend";
const ACTIONS: Record<PenaltySeverity, WeightedTable<PenaltyAction>> = {
  一般: new WeightedTable<PenaltyAction>([["warning", 15], ["fine", 70], ["confiscate", 10]]),
  严重: new WeightedTable<PenaltyAction>([["warning", 15], ["fine", 70], ["confiscate", 10], ["suspend", 10]]),
};

// ---------------------------------------------------------------------------
// Context for one run: per-city derived data and the ID bijections
// ---------------------------------------------------------------------------

const D_ENTERPRISE = 1, D_PERSON = 2, D_ORG = 3, D_ID = 4;

interface CityInfo {
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

interface RunContext {
  seed: number;
  cities: CityInfo[];
  cityTable: WeightedTable<CityInfo>;
  orgPermutation: (x: number) => number;
}

function shortName(name: string): string {
  return name.length > 2 ? name.replace(/(区|县|市|旗)$/, "") : name;
}

function runContext(seed: number, cities: readonly City[]): RunContext {
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

// ---------------------------------------------------------------------------
// Individuals
// ---------------------------------------------------------------------------

function personName(rng: Random, male: boolean): string {
  const pool = male ? MALE_CHARS : FEMALE_CHARS;
  const given = rng.chance(0.7) ? rng.pick(pool) + rng.pick(pool) : rng.pick(pool);
  return SURNAMES.pick(rng) + given;
}

function personFromContext(ctx: RunContext, key: number): IndividualRecord {
  const n = ctx.cities.length;
  const home = ctx.cities[key % n];
  const local = Math.floor(key / n);
  // (district, sequence, birth day) from a bijection of the local index: unique per city,
  // and the district code prefix keeps cities apart.
  let x = home.idPermutation(local);
  const district = home.districts[x % home.districts.length];
  x = Math.floor(x / home.districts.length);
  const sequence = 1 + (x % SEQUENCES);
  const birthDay = BIRTH_FROM + Math.floor(x / SEQUENCES);
  const birth = isoOf(birthDay);
  const first17 = district.code + birth.replaceAll("-", "") + String(sequence).padStart(3, "0");
  const idNumber = first17 + idCheckDigit(first17);

  const rng = rngFor(ctx.seed, D_PERSON, key);
  const name = personName(rng, sequence % 2 === 1);
  const qualifications: QualificationRecord[] = [];
  if (rng.chance(0.2)) {
    const count = rng.chance(0.8) ? 1 : 2;
    for (let k = 1; k <= count; k++) {
      const kind = rng.pick(QUALIFICATIONS);
      // Mostly certified where they live; sometimes in another partner city.
      const issuing = rng.chance(0.9) ? home : rng.pick(ctx.cities);
      const issuedOn = dayBetween(rng, addYears(birth, 22), minIso(addYears(birth, 50), ANCHOR));
      qualifications.push({
        idNumber,
        title: kind.title,
        certificateNumber: `${issuing.provinceAbbr}${kind.code}${issuedOn.slice(0, 4)}${String(key).padStart(9, "0")}${k}`,
        issuedBy: issuerName(kind, issuing.city),
        issuedOn,
        validUntil: kind.years ? addDays(addYears(issuedOn, kind.years), -1) : null,
        issuingCityCode: issuing.city.code,
      });
    }
  }
  return { key, idNumber, name, cityCode: home.city.code, qualifications };
}

/**
 * The person with this key in a run with this seed (and city list): the same record the
 * generator produced for them, recomputed rather than remembered.
 */
export function individualAt(seed: number, key: number, cities: readonly City[] = partnerCities()): IndividualRecord {
  return personFromContext(runContext(seed, cities), key);
}

// ---------------------------------------------------------------------------
// Enterprises
// ---------------------------------------------------------------------------

function base31(x: number, width: number): string {
  let s = "";
  for (let i = 0; i < width; i++) {
    s = USCC_ALPHABET[x % 31] + s;
    x = Math.floor(x / 31);
  }
  return s;
}

function yuan(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

function capital(rng: Random, type: UnitType): string {
  if (type === "91" && rng.chance(0.1)) return yuan(rng.int(100_000, 50_000_000) * 100 + rng.int(0, 99));
  return yuan(CAPITAL_WAN[type].pick(rng) * 10_000 * 100);
}

function enterpriseName(rng: Random, type: UnitType, info: CityInfo, district: CityInfo["districts"][number], industry: Industry): string {
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

function address(rng: Random, info: CityInfo, district: CityInfo["districts"][number]): string {
  const tail = rng.chance(0.3) ? `${rng.int(1, 30)}号楼${rng.int(1, 28)}层` : "";
  return `${info.city.province}${info.city.name}${district.name}${rng.pick(ROADS)}${rng.int(1, 999)}号${tail}`;
}

function applies(prefixes: string[], industryCode: string): boolean {
  return prefixes.some((p) => industryCode.startsWith(p));
}

/** Kinds that apply to an industry, computed once per industry code. */
function kindsFor<K extends { industries: string[] }>(cache: Map<string, K[]>, all: K[], industryCode: string): K[] {
  let kinds = cache.get(industryCode);
  if (!kinds) cache.set(industryCode, (kinds = all.filter((k) => applies(k.industries, industryCode))));
  return kinds;
}
const licenseKindsByIndustry = new Map<string, LicenseKind[]>();
const penaltyKindsByIndustry = new Map<string, PenaltyKind[]>();

/** Mostly the registering city; sometimes another partner city (the point of the hub). */
function issuingCity(rng: Random, ctx: RunContext, home: CityInfo, pHome: number): CityInfo {
  if (home.others.length === 0 || rng.chance(pHome)) return home;
  return rng.pick(home.others);
}

function decisionNumber(city: CityInfo, dept: Dept, kind: "许" | "罚", decidedOn: string, index: number, ordinal: number): string {
  return `${city.abbr}${dept.abbr}${kind}〔${decidedOn.slice(0, 4)}〕${String(index).padStart(6, "0")}-${ordinal}号`;
}

const LICENSE_COUNTS = new WeightedTable([[0, 45], [1, 30], [2, 17], [3, 8]]);
const PENALTY_COUNTS = new WeightedTable([[0, 80], [1, 14], [2, 6]]);

function licenses(c: Ctx, ctx: RunContext, home: CityInfo, index: number): LicenseRecord[] {
  const kinds = kindsFor(licenseKindsByIndustry, LICENSE_KINDS, c.industry.code);
  const count = LICENSE_COUNTS.pick(c.rng);
  if (kinds.length === 0 || count === 0) return [];
  const out: LicenseRecord[] = [];
  for (let k = 1; k <= count; k++) {
    const kind = c.rng.pick(kinds);
    const city = issuingCity(c.rng, ctx, home, 0.88);
    const decidedOn = dayBetween(c.rng, c.ent.establishedOn, ANCHOR);
    const dept = DEPTS[kind.dept];
    out.push({
      uscc: c.ent.uscc,
      decisionNumber: decisionNumber(city, dept, "许", decidedOn, index, k),
      licenseName: kind.name,
      authority: authorityName(dept, city.city),
      decidedOn,
      validUntil: kind.years ? addDays(addYears(decidedOn, kind.years), -1) : null,
      content: kind.content(c),
      issuingCityCode: city.city.code,
    });
  }
  return out;
}

function penalties(c: Ctx, ctx: RunContext, home: CityInfo, index: number): PenaltyRecord[] {
  const count = PENALTY_COUNTS.pick(c.rng);
  if (count === 0) return [];
  const kinds = kindsFor(penaltyKindsByIndustry, PENALTY_KINDS, c.industry.code);
  const out: PenaltyRecord[] = [];
  for (let k = 1; k <= count; k++) {
    const kind = c.rng.pick(kinds);
    const city = issuingCity(c.rng, ctx, home, 0.8);
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

/** Share of enterprises whose legal representative already represents an earlier one. */
const REUSE_PERSON = 0.1;

/**
 * Enterprises 0 … enterprises−1 for this seed, one at a time. The stream does not
 * depend on `enterprises`: a longer run starts with the records of a shorter one.
 */
export function* generateEnterprises(opts: GenerateOptions): Generator<GeneratedEnterprise, void, undefined> {
  const { seed, enterprises } = opts;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(enterprises) || enterprises < 0 || enterprises > ORG_SPACE) {
    throw new RangeError(`enterprises must be an integer in [0, ${ORG_SPACE}], got ${enterprises}`);
  }
  const ctx = runContext(seed, opts.cities ?? partnerCities());
  const n = ctx.cities.length;
  /** People created so far per city: the whole cross-enterprise state. */
  const persons = new Array<number>(n).fill(0);
  let totalPersons = 0;

  for (let index = 0; index < enterprises; index++) {
    const rng = rngFor(seed, D_ENTERPRISE, index);
    const type = UNIT_TYPES.pick(rng);
    const home = ctx.cityTable.pick(rng);
    const district = rng.pick(home.districts);

    // Legal representative: an earlier person (regenerated from the key) or a new one.
    let key: number;
    let isNew: boolean;
    if (totalPersons > 0 && rng.chance(REUSE_PERSON)) {
      let c = home.index;
      if (persons[c] === 0 || rng.chance(0.2)) {
        let r = rng.int(0, totalPersons - 1);
        c = 0;
        while (r >= persons[c]) r -= persons[c++];
      }
      key = rng.int(0, persons[c] - 1) * n + c;
      isNew = false;
    } else {
      const c = rng.chance(0.92) ? home.index : rng.int(0, n - 1);
      if (persons[c] >= ctx.cities[c].idSpace) throw new RangeError(`ID number space of ${ctx.cities[c].city.name} exhausted`);
      key = persons[c]++ * n + c;
      totalPersons++;
      isNew = true;
    }
    const person = personFromContext(ctx, key);

    const industry = home.industries[type].pick(rng);
    // More registrations in recent years: density grows linearly towards the anchor.
    const establishedOn = isoOf(ESTABLISHED_FROM + Math.floor((ANCHOR_DAY - ESTABLISHED_FROM + 1) * Math.sqrt(rng.float())));

    const x = ctx.orgPermutation(index);
    const org8 = establishedOn >= UNIFIED_CODE_FROM ? "MA" + base31(x, 6) : String(x).padStart(8, "0");
    const first17 = type + district.code + org8 + orgCodeCheckChar(org8);
    const uscc = first17 + usccCheckChar(first17);

    const ent: EnterpriseRecord = {
      uscc,
      name: enterpriseName(rng, type, home, district, industry),
      legalRepresentativeName: person.name,
      legalRepresentativeId: person.idNumber,
      registeredCityCode: home.city.code,
      registeredCapital: capital(rng, type),
      establishedOn,
      status: STATUSES.pick(rng),
      industryCode: industry.code,
      address: address(rng, home, district),
    };
    const c: Ctx = { rng, ent, industry, district: district.name };
    yield {
      index,
      unitType: type,
      enterprise: ent,
      legalRepresentative: person,
      legalRepresentativeIsNew: isNew,
      licenses: licenses(c, ctx, home, index),
      penalties: penalties(c, ctx, home, index),
    };
  }
}
