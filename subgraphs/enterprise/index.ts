import { defineSubgraph, type SubgraphModule } from "../../lib/service/subgraph.js";
import { createEnterpriseContext, type EnterpriseContext } from "./loaders.js";
import { createResolvers } from "./resolvers.js";
import { enterpriseEvents } from "./events.js";

/** Enterprise credit records (企业信用记录) keyed by USCC, with 双公示 licenses and penalties. */
export function enterpriseSubgraph(opts: { maxPageSize: number }): SubgraphModule<EnterpriseContext> {
  return defineSubgraph(import.meta.url, { name: "enterprise", resolvers: createResolvers(opts.maxPageSize), createContext: createEnterpriseContext, events: enterpriseEvents });
}
