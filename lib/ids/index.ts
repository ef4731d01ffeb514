import { badInput } from "../errors.js";
import { checkUscc } from "./uscc.js";
import { checkIdNumber } from "./idNumber.js";

export { checkUscc, usccCheckChar, orgCodeCheckChar, USCC_ALPHABET } from "./uscc.js";
export { checkIdNumber, idCheckDigit, upgradeLegacyIdNumber } from "./idNumber.js";
export { maskIdNumber, maskName } from "./mask.js";

/** Edge check for a USCC argument: returns the normalised code or throws BAD_USER_INPUT. */
export function requireUscc(raw: string, field = "uscc"): string {
  const r = checkUscc(raw);
  if (!r.ok) throw badInput(field, r.rule, `invalid USCC (GB 32100-2015): ${r.message}`);
  return r.value;
}

/** Edge check for a resident ID number argument. */
export function requireIdNumber(raw: string, field = "idNumber"): string {
  const r = checkIdNumber(raw);
  if (!r.ok) throw badInput(field, r.rule, `invalid ID number (GB 11643-1999): ${r.message}`);
  return r.value;
}

/**
 * Whom an 18-character identifier names. A few all-digit USCCs also pass the ID number checks
 * and a few ID numbers the USCC checks; the ID number's real birth date makes it the stronger
 * test, so it is tried first.
 */
export function subjectKindOf(raw: string): "INDIVIDUAL" | "ENTERPRISE" | null {
  if (checkIdNumber(raw).ok) return "INDIVIDUAL";
  return checkUscc(raw).ok ? "ENTERPRISE" : null;
}

/** Edge check for an argument naming a subject: a USCC or an ID number, normalised. */
export function requireSubjectId(raw: string, field = "subject"): { id: string; kind: "INDIVIDUAL" | "ENTERPRISE" } {
  const id = raw.trim().toUpperCase();
  const kind = subjectKindOf(id);
  if (kind === "INDIVIDUAL") return { id: requireIdNumber(id, field), kind };
  if (kind === "ENTERPRISE") return { id: requireUscc(id, field), kind };
  if (/^\d{17}[\dX]$/.test(id)) requireIdNumber(id, field);
  requireUscc(id, field);
  throw badInput(field, "format", "must be a USCC or a resident ID number");
}

/** The edge check of a numeric row id argument (`what` names it in the message, e.g. "a list entry id"). */
export function requireRowId(raw: string, field = "id", what = "an id"): number {
  if (!/^\d{1,9}$/.test(raw)) throw badInput(field, "format", `is not ${what} (digits), got '${raw.slice(0, 40)}'`);
  return Number(raw);
}
