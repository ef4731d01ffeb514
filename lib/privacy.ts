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

/**
 * Resolvers for a type's personal fields in a subgraph: raw to the gateway
 * (which needs the ID number as the federation key and masks on output),
 * masked to anyone who reaches the subgraph another way.
 */
export function personalFieldResolvers(typeName: string) {
  const fields = Object.keys(PERSONAL_FIELDS[typeName] ?? {});
  return Object.fromEntries(
    fields.map((field) => [
      field,
      (parent: Record<string, unknown>, _args: unknown, ctx: { caller: { viaGateway: boolean } }) =>
        ctx.caller.viaGateway ? parent[field] : maskPersonalField(typeName, field, parent[field]),
    ]),
  );
}
