import { maskIdNumber, maskName } from "./ids/mask.js";

/**
 * Personal fields (PIPL Art. 28 sensitive data) and how each is masked for a
 * caller that may not see personal data. One table for the gateway's output
 * masking and the subgraphs' direct answers.
 */
export const PERSONAL_FIELDS: Record<string, Record<string, (v: string) => string>> = {
  Individual: { idNumber: maskIdNumber, name: maskName },
};

export function maskPersonalField(typeName: string, field: string, value: unknown): unknown {
  const mask: ((v: string) => string) | undefined = PERSONAL_FIELDS[typeName]?.[field];
  return mask !== undefined && typeof value === "string" ? mask(value) : value;
}

