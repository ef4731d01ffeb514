import { rowLoader, groupLoader, type LoaderContext } from "../../lib/service/loaders.js";
import type { BaseContext } from "../../lib/service/subgraph.js";
import { keysById, recognitionsById, recognitionsOfReports, reportsById } from "./data.js";
import type { ReportServices } from "./domain/services.js";

/** One loader per entity per request (never global: no cross-request cache). */
export function createReportsLoaders(prisma: BaseContext["store"]["prisma"]) {
  return {
    report: rowLoader((ids: readonly number[]) => reportsById(prisma, ids), (r) => r.id),
    recognition: rowLoader((ids: readonly number[]) => recognitionsById(prisma, ids), (r) => r.id),
    recognitionsOfReport: groupLoader((ids: readonly number[]) => recognitionsOfReports(prisma, ids), (r) => r.reportId),
    signingKey: rowLoader((ids: readonly string[]) => keysById(prisma, ids), (k) => k.keyId),
  };
}

/** A request of the reports subgraph: the caller, its loaders, and the services reports are made with. */
export type ReportsContext = LoaderContext<ReturnType<typeof createReportsLoaders>> & { reports: ReportServices };

export function createReportsContextFactory(reports: ReportServices): (base: BaseContext) => ReportsContext {
  return (base) => ({ ...base, loaders: createReportsLoaders(base.store.prisma), reports });
}
