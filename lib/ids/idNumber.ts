/**
 * 公民身份号码, GB 11643-1999: address code, birth date, sequence, ISO 7064 MOD 11-2 check.
 * Also covers HK/Macao/Taiwan residence permits and the 2023 permanent-residence card.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

export type IdNumberRule = "length" | "format" | "birthDate" | "checksum";
export type IdNumberResult =
  | { ok: true; value: string; birthDate: string; sex: "M" | "F" }
  | { ok: false; rule: IdNumberRule; message: string };

export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  const c = (12 - (sum % 11)) % 11;
  return c === 10 ? "X" : String(c);
}

function isRealDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Converts a 15-digit legacy number (no century, no check) to 18 digits. */
export function upgradeLegacyIdNumber(fifteen: string): string {
  const first17 = fifteen.slice(0, 6) + "19" + fifteen.slice(6);
  return first17 + idCheckDigit(first17);
}

export function checkIdNumber(raw: string, today: Date = new Date()): IdNumberResult {
  const value = raw.trim().toUpperCase();
  if (value.length !== 18) return { ok: false, rule: "length", message: `must be 18 characters, got ${value.length}` };
  if (!/^\d{17}[\dX]$/.test(value)) {
    return { ok: false, rule: "format", message: "must be 17 digits followed by a digit or X" };
  }
  const y = Number(value.slice(6, 10)), m = Number(value.slice(10, 12)), d = Number(value.slice(12, 14));
  if (y < 1850 || !isRealDate(y, m, d) || Date.UTC(y, m - 1, d) > today.getTime()) {
    return { ok: false, rule: "birthDate", message: `positions 7–14 must be a real birth date (YYYYMMDD), got '${value.slice(6, 14)}'` };
  }
  const expected = idCheckDigit(value.slice(0, 17));
  if (expected !== value[17]) {
    return { ok: false, rule: "checksum", message: `check digit expected '${expected}', got '${value[17]}'` };
  }
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  return { ok: true, value, birthDate, sex: Number(value[16]) % 2 === 1 ? "M" : "F" };
}
