// The word tables the demo data is made of (names, trade names, roads, industries, authorities,
// violations, qualifications), read once from data/*.json: data, not code, so they can be read
// and extended without reading the generator. Our own files, shipped with it: not validated.
import { readFileSync } from "node:fs";
import type { City } from "../../lib/cities.js";
import type { UnitType } from "./records.js";
import { WeightedTable } from "./random.js";

function table<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./data/${name}.json`, import.meta.url), "utf8")) as T;
}

const personNames = table<{ surnames: Array<[string, number]>; maleGivenNameChars: string; femaleGivenNameChars: string }>("personNames");
/** Surnames by frequency (per thousand people, roughly). */
export const SURNAMES = new WeightedTable<string>(personNames.surnames);
/** Given names are one or two of these characters. */
export const MALE_CHARS = personNames.maleGivenNameChars.split("");
export const FEMALE_CHARS = personNames.femaleGivenNameChars.split("");

const enterpriseNames = table<{ tradeNames: string[]; companyForms: Array<[string, number]>; ordinals: string }>("enterpriseNames");
/** 字号: the trade name in an enterprise's name. */
export const TRADE_NAMES = enterpriseNames.tradeNames;
export const COMPANY_FORMS = new WeightedTable<string>(enterpriseNames.companyForms);
/** 一 to 十, for 第N中学 and 第N人民医院. */
export const CHINESE_ORDINALS = enterpriseNames.ordinals.split("");

export const ROADS = table<string[]>("roads");

export interface Industry {
  /** GB/T 4754 class. */
  code: string;
  label: string;
  /** Words the name is built from; for 个体工商户 and 合作社 the full tail. */
  words: string[];
  weight: number;
  /** Extra weight in a city (by code): coal in 榆林, oil in 延安, dairy in 呼和浩特… */
  boost?: Record<string, number>;
}

const industries = table<Record<"company" | "soleTrader" | "cooperative" | "institution", Industry[]>>("industries");
/** Companies (91), 个体工商户 (92), 农民专业合作社 (93), 事业单位 (12: name tails without a trade name). */
export const INDUSTRIES_BY_TYPE: Record<UnitType, Industry[]> = {
  "91": industries.company, "92": industries.soleTrader, "93": industries.cooperative, "12": industries.institution,
};

export interface Dept {
  name: string;
  /** In decision numbers: 榆市监罚〔2025〕… */
  abbr: string;
  /** A national administration's local bureau (国家税务总局榆林市税务局). */
  national?: boolean;
}
export type DeptKey = "market" | "eco" | "safety" | "housing" | "transport" | "water" | "tobacco" | "health" | "education" | "planning" | "agri" | "tax";
export const DEPTS = table<Record<DeptKey, Dept>>("departments");

export function authorityName(dept: Dept, city: City): string {
  return dept.national ? `国家税务总局${city.name}${dept.name}` : `${city.name}${dept.name}`;
}

/** Province → its one-character abbreviation (certificate numbers). */
export const PROVINCE_ABBR = table<Record<string, string>>("provinces");

export interface PenaltyKind {
  dept: DeptKey;
  /** Industry-code prefixes it applies to ("" for every industry). */
  industries: string[];
  violation: string;
  law: string;
}
export const PENALTY_KINDS = table<PenaltyKind[]>("violations");

export interface QualificationKind {
  title: string;
  code: string;
  /** The issuer's name; `{province}` and `{city}` stand for the issuing city's. */
  issuer: string;
  /** Validity in years; 0 = no expiry. */
  years: number;
}
export const QUALIFICATIONS = table<QualificationKind[]>("qualifications");

export function issuerName(kind: QualificationKind, city: City): string {
  return kind.issuer.replace("{province}", () => city.province).replace("{city}", () => city.name);
}

/** The graph demo's own smaller tables (graph.ts), apart from the generator's. */
export const GRAPH_NAMES = table<{ surnames: string[]; givenNameChars: string; tradeNames: string[]; lines: string[] }>("graphNames");
