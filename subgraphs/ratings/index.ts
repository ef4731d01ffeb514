import { startSweep } from "../../lib/service/sweep.js";
import { defineSubgraph, type SubgraphModule } from "../../lib/service/subgraph.js";
import { today } from "../../lib/dates.js";
import { createRatingsContextFactory, type RatingsContext } from "./loaders.js";
import { createResolvers } from "./resolvers.js";
import { ratingsEvents } from "./events.js";
import { loadScales } from "./scales/index.js";
import { sweepLapsed } from "./domain/record.js";

/** Credit ratings on each city's own scales (F34), the scale registry (F35) and the supervision directory (F36). */
export function ratingsSubgraph(opts: { maxPageSize: number; sweepIntervalSeconds: number }): SubgraphModule<RatingsContext> {
  const scales = loadScales();
  return defineSubgraph(import.meta.url, {
    name: "ratings",
    resolvers: createResolvers(opts.maxPageSize),
    createContext: createRatingsContextFactory(scales),
    events: ratingsEvents,
    background: (store, logger) => startSweep("lapsed ratings", opts.sweepIntervalSeconds, () => sweepLapsed(store.jobs, today()), logger),
  });
}
