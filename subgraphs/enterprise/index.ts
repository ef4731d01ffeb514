import { loadSchemaFile, type BaseContext, type SubgraphModule } from "../../lib/service/subgraph.js";
import { createEnterpriseLoaders, type EnterpriseLoaders } from "./loaders.js";
import { createResolvers } from "./resolvers.js";

/** Enterprise credit records (企业信用记录) keyed by USCC, with 双公示 licenses and penalties. */
export interface EnterpriseContext extends BaseContext {
  loaders: EnterpriseLoaders;
}

export function enterpriseSubgraph(opts: { maxPageSize: number }): SubgraphModule<EnterpriseContext> {
  return {
    name: "enterprise",
    typeDefs: loadSchemaFile(new URL("./schema.graphql", import.meta.url)),
    resolvers: createResolvers(opts.maxPageSize),
    createContext: (base) => ({ ...base, loaders: createEnterpriseLoaders(base.store.prisma) }),
  };
}
