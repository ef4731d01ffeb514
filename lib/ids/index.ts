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
