import { z } from "zod";
import type { AccessGrant } from "../../../prisma/generated/client.js";
import type { PrismaClient } from "../../../prisma/store.js";
import type { Identity } from "../../../lib/auth/identity.js";
import { badInput, hubError } from "../../../lib/errors.js";
import { requireIdNumber } from "../../../lib/ids/index.js";
import { parseInput } from "../../../lib/service/validate.js";
import { dateOf } from "../../../lib/dates.js";

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD").refine((d) => !Number.isNaN(Date.parse(d)), "a real date");
const grantSchema = z.object({
  subject: z.string(),
  organisation: z.string().trim().min(2, "name the organisation granted access").max(100),
  purpose: z.string().trim().min(2, "state the purpose the access is granted for").max(200),
  validFrom: date,
  validTo: date,
  evidence: z.string().trim().min(2, "give the reference of the signed authorisation (授权书)").max(200),
});

/** Records a person's grant (授权查询) from the signed authorisation a partner platform holds. */
export function recordGrant(prisma: PrismaClient, actor: Identity, raw: unknown): Promise<AccessGrant> {
  const g = parseInput(grantSchema, raw, "input");
  const subject = requireIdNumber(g.subject, "input.subject");
  if (g.validTo < g.validFrom) throw badInput("input.validTo", "range", `must not be before validFrom (${g.validFrom})`);
  return prisma.accessGrant.create({
    data: {
      subjectIdNumber: subject, grantee: g.organisation, purpose: g.purpose, validFrom: dateOf(g.validFrom), validTo: dateOf(g.validTo),
      evidence: g.evidence, recordedBySub: actor.sub, recordedByCity: actor.city,
    },
  });
}

/** Revocation takes effect at once: every later look-up under the grant is refused. Only the city that recorded it revokes it. */
export async function revokeGrant(prisma: PrismaClient, actor: Identity, id: bigint, reason: string): Promise<AccessGrant> {
  if (reason.trim().length < 2) throw badInput("reason", "required", "state why the grant is revoked");
  const grant = await prisma.accessGrant.findUnique({ where: { id } });
  if (!grant) throw hubError("NOT_FOUND", `no grant ${id}`);
  if (grant.recordedByCity !== actor.city) throw hubError("FORBIDDEN", `grant ${id} was recorded by ${grant.recordedByCity}; only that city revokes it`);
  if (grant.revokedAt) return grant;
  return prisma.accessGrant.update({ where: { id }, data: { revokedAt: new Date(), revocationReason: reason.trim() } });
}

export function grantsOf(prisma: PrismaClient, subject: string): Promise<AccessGrant[]> {
  return prisma.accessGrant.findMany({ where: { subjectIdNumber: subject }, orderBy: { id: "desc" }, take: 200 });
}
