import { rowLoader, groupLoader, withLoaders, type LoaderContext } from "../../lib/service/loaders.js";
import type { BaseContext } from "../../lib/service/subgraph.js";
import { alertsById, alertsOfSubjects } from "./data.js";

/** One loader per entity per request (never global: no cross-request cache). */
export function createMonitoringLoaders(prisma: BaseContext["store"]["prisma"]) {
  return {
    riskAlert: rowLoader((ids: readonly number[]) => alertsById(prisma, ids), (a) => a.id),
    alertsOfSubject: groupLoader((subjects: readonly string[]) => alertsOfSubjects(prisma, subjects), (a) => a.subjectId),
  };
}

/** A request of the monitoring subgraph (风险预警, 关注名单): the caller and its loaders. */
export type MonitoringContext = LoaderContext<ReturnType<typeof createMonitoringLoaders>>;

export const createMonitoringContext = withLoaders(createMonitoringLoaders);
