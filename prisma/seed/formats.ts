// Dates and amounts as the generated records carry them: `YYYY-MM-DD` strings computed from UTC
// day numbers (never the clock, so a seed gives the same records on any day), yuan as decimals.
import type { Random } from "./random.js";

export const ANCHOR = "2026-11-01";

/** The fixed "today" of the seed data: every generated date is on or before it. */
export function seedAnchorDate(): string {
  return ANCHOR;
}

const DAY_MS = 86_400_000;
export function dayOf(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}
/** Day number → `YYYY-MM-DD` (Hinnant's civil_from_days; ~10× faster than Date#toISOString). */
export function isoOf(day: number): string {
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
export function addDays(iso: string, n: number): string {
  return isoOf(dayOf(iso) + n);
}
export function dayBetween(rng: Random, from: string, to: string): string {
  const a = dayOf(from), b = dayOf(to);
  return b <= a ? from : isoOf(rng.int(a, b));
}
export function maxIso(a: string, b: string): string {
  return a > b ? a : b;
}
export function minIso(a: string, b: string): string {
  return a < b ? a : b;
}

export const ANCHOR_DAY = dayOf(ANCHOR);

/** Cents → yuan as a decimal string ("1234.05"). */
export function yuan(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}
