import { rowLoader, groupLoader, withLoaders, type LoaderContext } from "../../lib/service/loaders.js";
import type { BaseContext } from "../../lib/service/subgraph.js";
import { enterprisesByUscc, licensesOf, penaltiesOf } from "./data.js";

/** One loader per entity per request (never global: no cross-request cache). */
export function createEnterpriseLoaders(prisma: BaseContext["store"]["prisma"]) {
  return {
    enterprise: rowLoader((keys: readonly string[]) => enterprisesByUscc(prisma, keys), (e) => e.uscc),
    licenses: groupLoader((keys: readonly string[]) => licensesOf(prisma, keys), (l) => l.uscc),
    penalties: groupLoader((keys: readonly string[]) => penaltiesOf(prisma, keys), (p) => p.uscc),
  };
}

export type EnterpriseLoaders = ReturnType<typeof createEnterpriseLoaders>;

/** A request of the enterprise subgraph: the caller and its loaders. */
export type EnterpriseContext = LoaderContext<EnterpriseLoaders>;

export const createEnterpriseContext = withLoaders(createEnterpriseLoaders);
