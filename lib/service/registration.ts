/**
 * Query registration (查询登记, F47), one writer for every subgraph: each look-up of a subject's
 * credit file or of a person is written to audit.query_registration (append-only) before its
 * answer leaves the subgraph; when it cannot be written, the answer is not given.
 */
import DataLoader from "dataloader";
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import type { PrismaClient } from "../../prisma/store.js";
import type { Identity } from "../auth/identity.js";

export type LookupResult = "FOUND" | "NOT_FOUND" | "REFUSED";

export interface Lookup {
  subjectKind: "ENTERPRISE" | "INDIVIDUAL";
  subjectId: string;
  /** The field that looked the subject up, as Type.field. */
  field: string;
  fields: string[];
  result: LookupResult;
  unmasked: boolean;
  /** Defaults to the purpose the request stated. */
  purpose?: string | null;
  /** The grant the look-up was made under (individual.access_grant id). */
  grantId?: bigint | null;
}

// One statement text for any batch size: Prisma 7's createMany compiles (and caches) a plan per distinct batch.
const INSERT = `INSERT INTO audit.query_registration
  (request_id, caller_sub, caller_role, caller_org, caller_city_code, purpose, basis, grant_id, subject_kind, subject_id, field, fields, result, unmasked)
  SELECT r.request_id, r.caller_sub, r.caller_role, r.caller_org, r.caller_city_code, r.purpose, r.basis, r.grant_id::bigint,
         r.subject_kind, r.subject_id, r.field, ARRAY(SELECT json_array_elements_text(r.fields)), r.result, r.unmasked
  FROM json_to_recordset($1::json) AS r(request_id text, caller_sub text, caller_role text, caller_org text, caller_city_code text,
       purpose text, basis text, grant_id text, subject_kind text, subject_id text, field text, fields json, result text, unmasked boolean)`;

/** The legal basis a caller holds for personal data without a grant: its statutory scope. */
function basisOf(identity: Identity, lookup: Lookup): string | null {
  if (lookup.grantId) return null;
  return identity.scopes.has("personal:read") ? "personal:read (statutory)" : null;
}

/** The request's registrar: its look-ups written in one INSERT per batch; a failed write fails every look-up of the batch. */
export function createRegistrar(prisma: PrismaClient, identity: Identity | null): DataLoader<Lookup, true> {
  return new DataLoader<Lookup, true>(async (items) => {
    if (!identity) throw new Error("registration without a caller identity");
    const rows = items.map((l) => ({
      request_id: identity.requestId, caller_sub: identity.sub, caller_role: identity.role ?? null, caller_org: identity.org ?? null,
      caller_city_code: identity.city, purpose: l.purpose ?? identity.purpose ?? null, basis: basisOf(identity, l),
      grant_id: l.grantId ? String(l.grantId) : null, subject_kind: l.subjectKind, subject_id: l.subjectId, field: l.field,
      fields: l.fields, result: l.result, unmasked: l.unmasked,
    }));
    await prisma.$executeRawUnsafe(INSERT, JSON.stringify(rows));
    return items.map(() => true as const);
  }, { cache: false });
}

export type Registrar = ReturnType<typeof createRegistrar>;

/** The field names selected under the current field (through fragments; on `typeName` only, when given). */
export function selectedFields(info: GraphQLResolveInfo, typeName?: string): string[] {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value !== "__typename") names.add(sel.name.value);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (!typeName || !sel.typeCondition || sel.typeCondition.name.value === typeName) visit(sel.selectionSet);
      } else {
        const frag = info.fragments[sel.name.value];
        if (frag && (!typeName || frag.typeCondition.name.value === typeName)) visit(frag.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return [...names].sort();
}
