/**
 * 统一社会信用代码 (USCC), GB 32100-2015 with amendment XG1-2016.
 * Checked in layers so a failure says which layer broke (DOMAIN.md).
 */
export const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** Registration authority (position 1) → organisation types allowed at position 2. */
const AUTHORITY_TYPES: Record<string, string> = {
  "1": "1239", "2": "19", "3": "12345679", "4": "19", "5": "1239", "6": "129",
  "7": "129", "8": "19", "9": "123", A: "19", N: "12349", Y: "1",
};

export type UsccRule = "length" | "alphabet" | "authority" | "region" | "checksum";
export type UsccResult =
  | { ok: true; value: string; orgCodeCheckValid: boolean }
  | { ok: false; rule: UsccRule; message: string };

/** MOD 31-3 check character over the first 17 characters. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** GB 11714 organisation-code check (positions 9–17); letters count A=10…Z=35. */
export function orgCodeCheckChar(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(first8[i], 36) * ORG_WEIGHTS[i];
  const c = 11 - (sum % 11);
  return c === 10 ? "X" : c === 11 ? "0" : String(c);
}

export function checkUscc(raw: string): UsccResult {
  const value = raw.trim().toUpperCase();
  if (value.length !== 18) return { ok: false, rule: "length", message: `must be 18 characters, got ${value.length}` };
  for (const ch of value) {
    if (!USCC_ALPHABET.includes(ch)) {
      return { ok: false, rule: "alphabet", message: `character '${ch}' is not allowed (I, O, Z, S, V and symbols are excluded)` };
    }
  }
  const types = AUTHORITY_TYPES[value[0]];
  if (!types || !types.includes(value[1])) {
    return { ok: false, rule: "authority", message: `registration authority '${value[0]}' with organisation type '${value[1]}' is not a valid pair` };
  }
  if (!/^\d{6}$/.test(value.slice(2, 8))) {
    return { ok: false, rule: "region", message: `positions 3–8 must be a six-digit GB/T 2260 code, got '${value.slice(2, 8)}'` };
  }
  const expected = usccCheckChar(value.slice(0, 17));
  if (expected !== value[17]) {
    return { ok: false, rule: "checksum", message: `check character expected '${expected}', got '${value[17]}'` };
  }
  // Some early real codes fail the inner check; it is reported, not rejected.
  const orgCodeCheckValid = orgCodeCheckChar(value.slice(8, 16)) === value[16];
  return { ok: true, value, orgCodeCheckValid };
}
