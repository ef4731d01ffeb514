import DataLoader from "dataloader";
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import type { PrismaClient } from "../../../prisma/store.js";
import type { Identity } from "../../../lib/auth/identity.js";
import type { QueryRegistration } from "../../../prisma/generated/client.js";

export type { QueryRegistration };

export interface Registration {
  subject: string;
  purpose: string;
  fields: string[];
  unmasked: boolean;
}

// One statement text for any batch size: Prisma 7's createMany compiles (and caches) a new
// plan per distinct batch, which is slow and grows the plan cache (see prisma/seed/load.ts).
const INSERT = `INSERT INTO individual.query_registration
  (request_id, caller_sub, caller_city_code, purpose, subject_id_number, fields, unmasked)
  SELECT r.request_id, r.caller_sub, r.caller_city_code, r.purpose, r.subject_id_number,
         ARRAY(SELECT json_array_elements_text(r.fields)), r.unmasked
  FROM json_to_recordset($1::json) AS r(request_id text, caller_sub text, caller_city_code text,
       purpose text, subject_id_number text, fields json, unmasked boolean)`;

/**
 * Batches the request's registrations into one INSERT. A failed insert rejects
 * every load in the batch, so no resolver hands out data it could not register.
 */
export function createRegistrar(prisma: PrismaClient, identity: Identity | null) {
  return new DataLoader<Registration, true>(
    async (items) => {
      if (!identity) throw new Error("registration without a caller identity");
      const rows = items.map((r) => ({
        request_id: identity.requestId, caller_sub: identity.sub, caller_city_code: identity.city,
        purpose: r.purpose, subject_id_number: r.subject, fields: r.fields, unmasked: r.unmasked,
      }));
      await prisma.$executeRawUnsafe(INSERT, JSON.stringify(rows));
      return items.map(() => true as const);
    },
    { cache: false },
  );
}

/** The field names selected on `typeName` under the current field (through fragments). */
export function selectedFields(info: GraphQLResolveInfo, typeName: string): string[] {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value !== "__typename") names.add(sel.name.value);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (!sel.typeCondition || sel.typeCondition.name.value === typeName) visit(sel.selectionSet);
      } else {
        const frag = info.fragments[sel.name.value];
        if (frag && frag.typeCondition.name.value === typeName) visit(frag.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return [...names].sort();
}

export function registrationsOf(prisma: PrismaClient, subject: string, take: number, before?: bigint): Promise<QueryRegistration[]> {
  return prisma.queryRegistration.findMany({
    where: { subjectIdNumber: subject, id: before !== undefined ? { lt: before } : undefined },
    orderBy: { id: "desc" },
    take,
  });
}
