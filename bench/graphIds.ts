// The graph bench's ids and per-node facts, each a function of (seed, index) alone: valid
// USCCs (GB 32100 check character, GB 11714 organisation-code check) and resident ID
// numbers (GB 11643 check digit), the nominee pool, and the risk flags the checks expect.
import { partnerCities, type City } from "../lib/cities.js";
import { idCheckDigit, orgCodeCheckChar, usccCheckChar } from "../lib/ids/index.js";
import { hash32 } from "../prisma/seed/random.js";

export const CITIES = partnerCities();
const FLAGS = ["SERIOUS_DISHONESTY", "MARKET_BAN", "JUDGMENT_DEFAULTER", "KEY_ATTENTION", "LOW_RATING", "LOW_RATING"];
/** Per mille of enterprises and people carrying a risk flag. */
const FLAGGED_PER_MILLE = 20;
const NOMINEE_SHARE = 0.02; // of the people: the pool nominee representatives come from
export const DAY_MS = 86_400_000;
const BIRTH_DAYS = 18_250;
/** Made once: Date formatting per id was a third of the generator's time. */
const BIRTH_DATES = Array.from({ length: BIRTH_DAYS }, (_, n) => new Date(Date.UTC(1950, 0, 1) + n * DAY_MS).toISOString().slice(0, 10).replaceAll("-", ""));

export function enterpriseId(index: number, city: City): string {
  // "91" (市场监管, company) + city + "B" and seven digits as the organisation code + its GB 11714 check.
  const org8 = "B" + String(index).padStart(7, "0");
  const first17 = "91" + city.code + org8 + orgCodeCheckChar(org8);
  return first17 + usccCheckChar(first17);
}

export function personCity(seed: number, index: number): City {
  return CITIES[hash32(seed, 0x9e, index) % CITIES.length];
}

/** Born 1950..1999 by index, sequence digits by index too: distinct for up to 18 million people. */
export function personId(seed: number, index: number): string {
  const city = personCity(seed, index);
  const district = city.districts[hash32(seed, 0xd1, index) % city.districts.length][0];
  const first17 = district + BIRTH_DATES[index % BIRTH_DAYS] + String(Math.floor(index / BIRTH_DAYS) % 1000).padStart(3, "0");
  return first17 + idCheckDigit(first17);
}

export function publicBodyId(city: City): string {
  return `PB:${city.code}-SASAC`;
}

/** A node's flags from its own hash: the checks know them without the store. */
export function flagsOf(seed: number, kind: "Enterprise" | "Person", index: number): string[] {
  const h = hash32(seed, kind === "Enterprise" ? 0xe1 : 0xf1, index);
  return h % 1000 < FLAGGED_PER_MILLE ? [FLAGS[(h >>> 10) % FLAGS.length]] : [];
}

export function nomineeCount(people: number): number {
  return Math.max(1, Math.floor(people * NOMINEE_SHARE));
}

/** The flags of a generated node from its id alone (the inverse of enterpriseId / personId). */
export function flagsOfId(seed: number, id: string): string[] {
  if (id.startsWith("PB:")) return [];
  if (id.startsWith("91")) return flagsOf(seed, "Enterprise", Number(id.slice(9, 16)));
  const born = Date.UTC(Number(id.slice(6, 10)), Number(id.slice(10, 12)) - 1, Number(id.slice(12, 14)));
  const day = Math.round((born - Date.UTC(1950, 0, 1)) / DAY_MS);
  return flagsOf(seed, "Person", Number(id.slice(14, 17)) * BIRTH_DAYS + day);
}
