/**
 * On what footing a caller sees a person's personal fields: a statutory basis (`personal:read`,
 * public bodies), the person's own grant to the caller's organisation for the stated purpose
 * (授权查询, F48: `personal:granted`), or not at all (the gateway masks them).
 */
import type { AccessGrant } from "../../../prisma/generated/client.js";
import type { PrismaClient } from "../../../prisma/store.js";
import type { Identity } from "../../../lib/auth/identity.js";
import { hubError } from "../../../lib/errors.js";
import { dateOf, today } from "../../../lib/dates.js";

export type Access = { unmasked: false } | { unmasked: true; basis: "statutory" } | { unmasked: true; basis: "grant"; grant: AccessGrant };

/** The organisation a caller acts for: its token's `org`, else the calling system. */
export const organisationOf = (identity: Identity) => identity.org ?? identity.sub;

/** The grant in force today from this person to this organisation for this purpose, if any. */
export function grantInForce(prisma: PrismaClient, subject: string, grantee: string, purpose: string): Promise<AccessGrant | null> {
  const day = dateOf(today());
  return prisma.accessGrant.findFirst({
    where: { subjectIdNumber: subject, grantee, purpose, revokedAt: null, validFrom: { lte: day }, validTo: { gte: day } },
    orderBy: { id: "desc" },
  });
}

/**
 * The caller's footing for one person and purpose. A caller who may see personal data only
 * under a grant and has none is refused here, FORBIDDEN naming the grant it lacks.
 */
export async function accessTo(prisma: PrismaClient, identity: Identity, subject: string, purpose: string | undefined): Promise<Access> {
  if (identity.scopes.has("personal:read")) return { unmasked: true, basis: "statutory" };
  if (!identity.scopes.has("personal:granted")) return { unmasked: false };
  const org = organisationOf(identity);
  const grant = purpose ? await grantInForce(prisma, subject, org, purpose) : null;
  if (!grant) {
    throw hubError("FORBIDDEN", `no grant in force from this person to ${org} for '${purpose ?? "(no purpose stated)"}' (授权查询): the person grants it through grantPersonalAccess`, {
      reason: "GRANT_REQUIRED", grantee: org, purpose: purpose ?? null,
    });
  }
  return { unmasked: true, basis: "grant", grant };
}
