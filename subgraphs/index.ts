import type { HubConfig } from "../lib/config.js";
import type { BaseContext, SubgraphModule } from "../lib/subgraph.js";
import { enterpriseSubgraph } from "./enterprise/index.js";
import { individualSubgraph } from "./individual/index.js";

/** Every subgraph of the hub, by name: adding one is one line here. */
export function subgraphModules(cfg: Pick<HubConfig, "HUB_MAX_PAGE_SIZE">): Record<string, SubgraphModule<BaseContext>> {
  return {
    enterprise: enterpriseSubgraph({ maxPageSize: cfg.HUB_MAX_PAGE_SIZE }) as unknown as SubgraphModule<BaseContext>,
    individual: individualSubgraph({ maxPageSize: cfg.HUB_MAX_PAGE_SIZE }) as unknown as SubgraphModule<BaseContext>,
  };
}
