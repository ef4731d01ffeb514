import { readFileSync } from "node:fs";
import { z } from "zod";
import { SCOPES, type Scope } from "./identity.js";

const roleSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  scopes: z.array(z.enum(SCOPES)),
  /** Fields the role may never see, as `Type.field`. */
  deniedFields: z.array(z.string().regex(/^[A-Z]\w*\.\w+$/, "a field coordinate such as Individual.idNumber")),
});
export type Role = z.infer<typeof roleSchema>;

// Data, not code: a new role is one entry in roles.json.
const roles: Role[] = z.object({ roles: z.array(roleSchema) }).parse(JSON.parse(readFileSync(new URL("./roles.json", import.meta.url), "utf8"))).roles;
const byId = new Map(roles.map((r) => [r.id, r]));

export function findRole(id: string): Role | undefined {
  return byId.get(id);
}

export function knownRoles(): readonly Role[] {
  return roles;
}

/** A role narrows what a token may do: its scopes are those of the token that the role also has. */
export function scopesUnder(role: Role, scopes: ReadonlySet<Scope>): Set<Scope> {
  return new Set([...scopes].filter((s) => role.scopes.includes(s)));
}
