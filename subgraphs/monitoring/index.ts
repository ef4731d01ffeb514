import { defineSubgraph, type SubgraphModule } from "../../lib/service/subgraph.js";
import type { EventBus } from "../../events/types.js";
import { createMonitoringContext, type MonitoringContext } from "./loaders.js";
import { createResolvers } from "./resolvers.js";
import { monitoringEvents } from "./events.js";
import { loadRiskRules } from "./rules/index.js";
import { startRiskEngine, type Directory } from "./domain/engine.js";
import { contractDirectory } from "./domain/directory.js";

type Url = () => string | undefined;

export interface MonitoringOptions {
  maxPageSize: number;
  /** The bus the risk engine follows (no engine without it, or without the other subgraphs' contracts). */
  bus?: EventBus;
  /** Where the engine asks the enterprise, lists and relations subgraphs (their federation contracts), and the secret to ask with. */
  contracts?: { enterprise: Url; lists: Url; relations: Url; secret: string };
  /** In place of `contracts`: the engine's look-ups as given (tests). */
  directory?: Directory;
}

/** Risk warning (风险预警, F56) and watchlists (F57). */
export function monitoringSubgraph(opts: MonitoringOptions): SubgraphModule<MonitoringContext> {
  const rules = loadRiskRules();
  const directory = opts.directory ?? (opts.contracts ? contractDirectory(opts.contracts, opts.contracts.secret) : undefined);
  return defineSubgraph(import.meta.url, {
    name: "monitoring",
    resolvers: createResolvers(opts.maxPageSize),
    createContext: createMonitoringContext,
    events: monitoringEvents,
    background: (store, logger) => {
      if (!opts.bus || !directory) return { stop: () => undefined };
      const engine = startRiskEngine({ prisma: store.jobs, bus: opts.bus, rules, directory, logger });
      return { ready: engine.started, stop: () => engine.stop() };
    },
  });
}
