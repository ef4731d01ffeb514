import { rowLoader, groupLoader, type LoaderContext } from "../../lib/service/loaders.js";
import type { BaseContext } from "../../lib/service/subgraph.js";
import type { ScaleRegistry } from "./scales/index.js";
import { ratingsById, ratingsOfSubjects, tierChangesById, tiersOfSubjects } from "./data.js";

/** One loader per entity per request (never global: no cross-request cache). */
export function createRatingsLoaders(prisma: BaseContext["store"]["prisma"]) {
  return {
    rating: rowLoader((ids: readonly number[]) => ratingsById(prisma, ids), (r) => r.id),
    ratingsOfSubject: groupLoader((subjects: readonly string[]) => ratingsOfSubjects(prisma, subjects), (r) => r.subjectId),
    tiersOfSubject: groupLoader((subjects: readonly string[]) => tiersOfSubjects(prisma, subjects), (t) => t.subjectId),
    tierChange: rowLoader((ids: readonly number[]) => tierChangesById(prisma, ids), (c) => c.id),
  };
}

/** A request of the ratings subgraph: the caller, its loaders and the cities' scales. */
export type RatingsContext = LoaderContext<ReturnType<typeof createRatingsLoaders>> & { scales: ScaleRegistry };

export function createRatingsContextFactory(scales: ScaleRegistry): (base: BaseContext) => RatingsContext {
  return (base) => ({ ...base, loaders: createRatingsLoaders(base.store.prisma), scales });
}
