import { rowLoader, groupLoader, withLoaders, type LoaderContext } from "../../lib/service/loaders.js";
import type { BaseContext } from "../../lib/service/subgraph.js";
import { individualsById, qualificationsOf } from "./data.js";

/** One loader per entity per request (never global: no cross-request cache). */
export function createIndividualLoaders(prisma: BaseContext["store"]["prisma"]) {
  return {
    individual: rowLoader((ids: readonly string[]) => individualsById(prisma, ids), (i) => i.idNumber),
    qualifications: groupLoader((ids: readonly string[]) => qualificationsOf(prisma, ids), (q) => q.idNumber),
  };
}

/** A request of the individual subgraph (自然人, sensitive): the caller and its loaders (its registrations come with the base). */
export type IndividualContext = LoaderContext<ReturnType<typeof createIndividualLoaders>>;

export const createIndividualContext = withLoaders(createIndividualLoaders);
