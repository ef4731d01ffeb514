import { rowLoader, groupLoader, type LoaderContext } from "../../lib/service/loaders.js";
import type { BaseContext } from "../../lib/service/subgraph.js";
import type { CatalogueRegistry } from "./catalogues/index.js";
import type { Contracts } from "./domain/sources.js";
import { breachesOf, casesById, commitmentsById, commitmentsOfSubjects, participantsOf, stepsOf } from "./data.js";

/** One loader per entity per request (never global: no cross-request cache). */
export function createMeasuresLoaders(prisma: BaseContext["store"]["prisma"]) {
  return {
    commitment: rowLoader((ids: readonly number[]) => commitmentsById(prisma, ids), (c) => c.id),
    commitmentsOfSubject: groupLoader((subjects: readonly string[]) => commitmentsOfSubjects(prisma, subjects), (c) => c.subjectId),
    breach: rowLoader((ids: readonly number[]) => breachesOf(prisma, ids), (b) => b.commitmentId),
    jointCase: rowLoader((ids: readonly number[]) => casesById(prisma, ids), (c) => c.id),
    participants: groupLoader((ids: readonly number[]) => participantsOf(prisma, ids), (p) => p.caseId),
    steps: groupLoader((ids: readonly number[]) => stepsOf(prisma, ids), (s) => s.caseId),
  };
}

/** A request of the measures subgraph: the caller, its loaders, the catalogues and the other subgraphs' contracts. */
export type MeasuresContext = LoaderContext<ReturnType<typeof createMeasuresLoaders>> & { catalogues: CatalogueRegistry; contracts: Contracts | undefined };

export function createMeasuresContextFactory(catalogues: CatalogueRegistry, contracts: Contracts | undefined): (base: BaseContext) => MeasuresContext {
  return (base) => ({ ...base, loaders: createMeasuresLoaders(base.store.prisma), catalogues, contracts });
}
