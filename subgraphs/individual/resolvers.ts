import { z } from "zod";
import type { GraphQLResolveInfo } from "graphql";
import type { AccessGrant } from "../../prisma/generated/client.js";
import type { Resolvers } from "../../lib/service/subgraph.js";
import { requireIdNumber } from "../../lib/ids/index.js";
import { cityOf } from "../../lib/cities.js";
import { badInput, hubError } from "../../lib/errors.js";
import { parseInput } from "../../lib/service/validate.js";
import { selectedFields, type LookupResult } from "../../lib/service/registration.js";
import type { Individual } from "./data.js";
import type { IndividualContext } from "./loaders.js";
import { accessTo, type Access } from "./domain/access.js";
import { grantsOf, recordGrant, revokeGrant } from "./domain/grants.js";

const purposeSchema = z.string().trim().min(2, "state the purpose of the look-up (查询目的), at least 2 characters").max(200);

/**
 * Decides the caller's footing for one person, registers the look-up (with the grant it used,
 * or REFUSED), and only then lets the answer out; no answer without its registration.
 */
async function lookUp(ctx: IndividualContext, info: GraphQLResolveInfo, idNumber: string, purpose: string | undefined, field: string): Promise<Individual | null> {
  const fields = selectedFields(info, "Individual");
  let access: Access;
  try {
    access = await accessTo(ctx.store.prisma, ctx.identity!, idNumber, purpose);
  } catch (err) {
    await ctx.registrar.load({ subjectKind: "INDIVIDUAL", subjectId: idNumber, field, fields, result: "REFUSED", unmasked: false, purpose });
    throw err;
  }
  const person = await ctx.loaders.individual.load(idNumber);
  const result: LookupResult = person ? "FOUND" : "NOT_FOUND";
  const grantId = access.unmasked && access.basis === "grant" ? access.grant.id : null;
  await ctx.registrar.load({ subjectKind: "INDIVIDUAL", subjectId: idNumber, field, fields, result, unmasked: access.unmasked, purpose, grantId });
  return person;
}

/** Grants of a person are seen by the person's home city (audit:read) and by platforms that record grants. */
async function requireGrantReader(ctx: IndividualContext, subject: string): Promise<void> {
  const id = ctx.identity!;
  if (id.scopes.has("grants:write") || id.scopes.has("admin")) return;
  const home = (await ctx.loaders.individual.load(subject))?.cityCode ?? `${subject.slice(0, 4)}00`;
  if (!id.scopes.has("audit:read") || id.city !== home) throw hubError("FORBIDDEN", `grants of this person are visible to platforms with grants:write and to their home city (${home}) with audit:read`);
}

const grantId = (raw: string) => {
  if (!/^\d{1,18}$/.test(raw)) throw badInput("id", "format", `is not a grant id (digits), got '${raw.slice(0, 40)}'`);
  return BigInt(raw);
};

export function createResolvers(): Resolvers {
  return {
    Query: {
      individual: (_: unknown, args: { idNumber: string; purpose: string }, ctx: IndividualContext, info: GraphQLResolveInfo) =>
        lookUp(ctx, info, requireIdNumber(args.idNumber), parseInput(purposeSchema, args.purpose, "purpose"), "Query.individual"),
      accessGrants: async (_: unknown, args: { subject: string }, ctx: IndividualContext) => {
        const subject = requireIdNumber(args.subject, "subject");
        await requireGrantReader(ctx, subject);
        return grantsOf(ctx.store.prisma, subject);
      },
    },
    Mutation: {
      grantPersonalAccess: (_: unknown, args: { input: unknown }, ctx: IndividualContext) => recordGrant(ctx.store.prisma, ctx.identity!, args.input),
      revokePersonalAccess: (_: unknown, args: { id: string; reason: string }, ctx: IndividualContext) => revokeGrant(ctx.store.prisma, ctx.identity!, grantId(args.id), args.reason),
    },
    Individual: {
      __resolveReference: async (key: { idNumber?: string; ref?: string }, ctx: IndividualContext, info: GraphQLResolveInfo) => {
        const idNumber = (key.ref ?? key.idNumber)!;
        const id = ctx.identity!;
        // Masked callers (the gateway masks their answer) neither need a purpose nor are registered.
        if (!id.scopes.has("personal:read") && !id.scopes.has("personal:granted")) return ctx.loaders.individual.load(idNumber);
        if (!id.purpose) {
          throw hubError("FORBIDDEN", "personal data reached through another record needs a stated purpose: send the X-Hub-Purpose header", { reason: "PURPOSE_REQUIRED" });
        }
        return lookUp(ctx, info, idNumber, id.purpose, "Individual");
      },
      ref: (i: Individual) => i.idNumber,
      portrait: (i: Individual) => ({ subject: i.idNumber }),
      city: (i: Individual) => cityOf(i.cityCode),
      professionalQualifications: (i: Individual, _: unknown, ctx: IndividualContext) => ctx.loaders.qualifications.load(i.idNumber),
    },
    ProfessionalQualification: { issuingCity: (q: { issuingCityCode: string }) => cityOf(q.issuingCityCode) },
    AccessGrant: {
      id: (g: AccessGrant) => g.id.toString(),
      recordedByCity: (g: AccessGrant) => cityOf(g.recordedByCity),
      recordedAt: (g: AccessGrant) => g.recordedAt.toISOString(),
      revokedAt: (g: AccessGrant) => g.revokedAt?.toISOString() ?? null,
      inForce: (g: AccessGrant) => !g.revokedAt && g.validTo >= new Date(new Date().toISOString().slice(0, 10)),
    },
  };
}
