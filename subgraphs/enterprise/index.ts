import type { SubgraphModule } from "../../lib/service/subgraph.js";
import { loadSubgraphSchema } from "../../lib/service/schema.js";
import { createEnterpriseContext, type EnterpriseContext } from "./loaders.js";
import { createResolvers } from "./resolvers.js";
import { enterpriseEvents } from "./events.js";

/** Enterprise credit records (企业信用记录) keyed by USCC, with 双公示 licenses and penalties. */
export function enterpriseSubgraph(opts: { maxPageSize: number }): SubgraphModule<EnterpriseContext> {
  return {
    name: "enterprise",
    typeDefs: loadSubgraphSchema(new URL("./schema.graphql", import.meta.url)),
    resolvers: createResolvers(opts.maxPageSize),
    createContext: createEnterpriseContext,
    events: enterpriseEvents,
  };
}
