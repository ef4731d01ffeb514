import { startSweep } from "../../lib/service/sweep.js";
import { defineSubgraph, type SubgraphModule } from "../../lib/service/subgraph.js";
import { today } from "../../lib/dates.js";
import { createMeasuresContextFactory, type MeasuresContext } from "./loaders.js";
import { createResolvers } from "./resolvers.js";
import { measuresEvents } from "./events.js";
import { loadCatalogues } from "./catalogues/index.js";
import { sweepBreaches } from "./domain/commitments.js";
import type { Contracts } from "./domain/sources.js";

/**
 * Joint reward and punishment (联合奖惩): the cities' measure catalogues (F24), creditCheck
 * (F25, F29), credit commitments and the 容缺 breach sweep (F30, F31), joint cases (F26, F28).
 * Without `contracts` (a lone subgraph) creditCheck cannot gather records and says so.
 */
export function measuresSubgraph(opts: { maxPageSize: number; sweepIntervalSeconds: number; contracts?: Contracts }): SubgraphModule<MeasuresContext> {
  const catalogues = loadCatalogues();
  return defineSubgraph(import.meta.url, {
    name: "measures",
    resolvers: createResolvers(opts.maxPageSize),
    createContext: createMeasuresContextFactory(catalogues, opts.contracts),
    events: measuresEvents,
    background: (store, logger) => startSweep("breached commitments", opts.sweepIntervalSeconds, () => sweepBreaches(store.jobs, today()), logger),
  });
}
