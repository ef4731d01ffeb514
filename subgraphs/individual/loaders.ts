import { rowLoader, groupLoader } from "../../lib/service/loaders.js";
import type { BaseContext } from "../../lib/service/subgraph.js";
import { individualsById, qualificationsOf } from "./data.js";
import { createRegistrar } from "./domain/registration.js";

/** One loader per entity per request (never global: no cross-request cache). */
export function createIndividualLoaders(prisma: BaseContext["store"]["prisma"]) {
  return {
    individual: rowLoader((ids: readonly string[]) => individualsById(prisma, ids), (i) => i.idNumber),
    qualifications: groupLoader((ids: readonly string[]) => qualificationsOf(prisma, ids), (q) => q.idNumber),
  };
}

/** A request of the individual subgraph (自然人, sensitive): the caller, its loaders, and its query registrations (查询登记). */
export interface IndividualContext extends BaseContext {
  loaders: ReturnType<typeof createIndividualLoaders>;
  registrar: ReturnType<typeof createRegistrar>;
}

export function createIndividualContext(base: BaseContext): IndividualContext {
  return { ...base, loaders: createIndividualLoaders(base.store.prisma), registrar: createRegistrar(base.store.prisma, base.identity) };
}
