import { z } from "zod";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { loadSchemaFile, type BaseContext, type SubgraphModule } from "../../lib/subgraph.js";
import { rowLoader, groupLoader } from "../../lib/loaders.js";
import { requireIdNumber } from "../../lib/ids/index.js";
import { findCity } from "../../lib/cities.js";
import { personalFieldResolvers } from "../../lib/privacy.js";
import { parseInput } from "../../lib/validate.js";
import { DateScalar } from "../../lib/scalars.js";
import { individualsById, qualificationsOf, type Individual } from "./data.js";

/** Individual credit records (自然人), keyed by ID number. Sensitive personal data. */
export interface IndividualContext extends BaseContext {
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(prisma: BaseContext["store"]["prisma"]) {
  return {
    individual: rowLoader((ids: readonly string[]) => individualsById(prisma, ids), (i) => i.idNumber),
    qualifications: groupLoader((ids: readonly string[]) => qualificationsOf(prisma, ids), (q) => q.idNumber),
  };
}

const purposeSchema = z.string().trim().min(2, "state the purpose of the look-up (查询目的), at least 2 characters").max(200);
const cityOf = (code: string) => findCity(code) ?? { code, name: code, province: "" };

const resolvers: GraphQLResolverMap<IndividualContext> = {
  Date: DateScalar,
  Query: {
    individual: (_: unknown, args: { idNumber: string; purpose: string }, ctx: IndividualContext) => {
      const idNumber = requireIdNumber(args.idNumber);
      parseInput(purposeSchema, args.purpose, "purpose");
      return ctx.loaders.individual.load(idNumber);
    },
  },
  Individual: {
    __resolveReference: (ref: { idNumber: string }, ctx: IndividualContext) => ctx.loaders.individual.load(ref.idNumber),
    ...personalFieldResolvers("Individual"),
    city: (i: Individual) => cityOf(i.cityCode),
    professionalQualifications: (i: Individual, _: unknown, ctx: IndividualContext) => ctx.loaders.qualifications.load(i.idNumber),
  },
  ProfessionalQualification: { issuingCity: (q: { issuingCityCode: string }) => cityOf(q.issuingCityCode) },
};

export function individualSubgraph(): SubgraphModule<IndividualContext> {
  return {
    name: "individual",
    typeDefs: loadSchemaFile(new URL("./schema.graphql", import.meta.url)),
    resolvers,
    createContext: (base) => ({ ...base, loaders: createLoaders(base.store.prisma) }),
  };
}
