import { z } from "zod";
import type { GraphQLResolveInfo } from "graphql";
import type { BaseContext, Resolvers } from "../../lib/service/subgraph.js";
import { requireIdNumber } from "../../lib/ids/index.js";
import { cityOf } from "../../lib/cities.js";
import { hubError } from "../../lib/errors.js";
import { parseInput } from "../../lib/service/validate.js";
import { checkFirst, decodeCursor, toPage } from "../../lib/service/pagination.js";
import type { Individual } from "./data.js";
import { registrationsOf, selectedFields, type QueryRegistration } from "./domain/registration.js";
import type { IndividualContext } from "./loaders.js";

const purposeSchema = z.string().trim().min(2, "state the purpose of the look-up (查询目的), at least 2 characters").max(200);
const mayUnmask = (ctx: BaseContext) => ctx.identity?.scopes.has("personal:read") ?? false;

/** The home city of a person: the holding city of the record, else the city part of the ID's address code. */
async function homeCity(ctx: IndividualContext, idNumber: string): Promise<string> {
  const person = await ctx.loaders.individual.load(idNumber);
  return person?.cityCode ?? `${idNumber.slice(0, 4)}00`;
}

export function createResolvers(maxPageSize: number): Resolvers {
  return {
    Query: {
      individual: async (_: unknown, args: { idNumber: string; purpose: string }, ctx: IndividualContext, info: GraphQLResolveInfo) => {
        const idNumber = requireIdNumber(args.idNumber);
        const purpose = parseInput(purposeSchema, args.purpose, "purpose");
        // Registered whether or not the person is on record, and before anything is returned.
        await ctx.registrar.load({ subject: idNumber, purpose, fields: selectedFields(info, "Individual"), unmasked: mayUnmask(ctx) });
        return ctx.loaders.individual.load(idNumber);
      },
      queryRegistrations: async (_: unknown, args: { subject: string; first?: number; after?: string }, ctx: IndividualContext) => {
        const subject = requireIdNumber(args.subject, "subject");
        const first = checkFirst(args.first, maxPageSize);
        const before = args.after ? BigInt(decodeCursor(args.after, (k) => /^\d{1,19}$/.test(k) && BigInt(k) <= 9223372036854775807n)) : undefined;
        const city = await homeCity(ctx, subject);
        if (ctx.identity!.city !== city && !ctx.identity!.scopes.has("admin")) {
          throw hubError("FORBIDDEN", `registrations of this person are visible to their home city (${city}) only`);
        }
        const rows = await registrationsOf(ctx.store.prisma, subject, first + 1, before);
        return toPage(rows, first, (r) => r.id.toString());
      },
    },
    Individual: {
      __resolveReference: async (key: { idNumber?: string; ref?: string }, ctx: IndividualContext, info: GraphQLResolveInfo) => {
        const ref = { idNumber: (key.ref ?? key.idNumber)! };
        if (mayUnmask(ctx)) {
          const purpose = ctx.identity!.purpose;
          if (!purpose) {
            throw hubError("FORBIDDEN", "personal data reached through another record needs a stated purpose: send the X-Hub-Purpose header", { reason: "PURPOSE_REQUIRED" });
          }
          await ctx.registrar.load({ subject: ref.idNumber, purpose, fields: selectedFields(info, "Individual"), unmasked: true });
        }
        return ctx.loaders.individual.load(ref.idNumber);
      },
      ref: (i: Individual) => i.idNumber,
      city: (i: Individual) => cityOf(i.cityCode),
      professionalQualifications: (i: Individual, _: unknown, ctx: IndividualContext) => ctx.loaders.qualifications.load(i.idNumber),
    },
    ProfessionalQualification: { issuingCity: (q: { issuingCityCode: string }) => cityOf(q.issuingCityCode) },
    QueryRegistration: {
      id: (r: QueryRegistration) => r.id.toString(),
      caller: (r: QueryRegistration) => r.callerSub,
      callerCity: (r: QueryRegistration) => cityOf(r.callerCityCode),
      at: (r: QueryRegistration) => r.createdAt.toISOString(),
    },
  };
}

