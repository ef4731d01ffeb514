import DataLoader from "dataloader";
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import type { PrismaClient } from "../../lib/db/store.js";
import type { Identity } from "../../lib/auth/identity.js";
import type { QueryRegistration } from "../../prisma/generated/client.js";

export type { QueryRegistration };

export interface Registration {
  subject: string;
  purpose: string;
  fields: string[];
  unmasked: boolean;
}

/**
 * Batches the request's registrations into one INSERT. A failed insert rejects
 * every load in the batch, so no resolver hands out data it could not register.
 */
export function createRegistrar(prisma: PrismaClient, identity: Identity | null) {
  return new DataLoader<Registration, true>(
    async (items) => {
      if (!identity) throw new Error("registration without a caller identity");
      await prisma.queryRegistration.createMany({
        data: items.map((r) => ({
          requestId: identity.requestId, callerSub: identity.sub, callerCityCode: identity.city,
          purpose: r.purpose, subjectIdNumber: r.subject, fields: r.fields, unmasked: r.unmasked,
        })),
      });
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
