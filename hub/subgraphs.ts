import { join } from "node:path";
import type { HubConfig } from "../lib/config.js";
import type { BaseContext, SubgraphModule } from "../lib/service/subgraph.js";
import { enterpriseSubgraph } from "../subgraphs/enterprise/index.js";
import { individualSubgraph } from "../subgraphs/individual/index.js";
import { auditSubgraph } from "../subgraphs/audit/index.js";
import { listsSubgraph } from "../subgraphs/lists/index.js";
import type { EventBus } from "../events/types.js";
import type { GraphStore } from "../graph/types.js";
import { relationsSubgraph } from "../subgraphs/relations/index.js";
import { monitoringSubgraph } from "../subgraphs/monitoring/index.js";
import { ratingsSubgraph } from "../subgraphs/ratings/index.js";
import { measuresSubgraph } from "../subgraphs/measures/index.js";
import { reportsSubgraph } from "../subgraphs/reports/index.js";

/** How subgraphs reach each other's public contracts (never each other's tables). */
export interface SubgraphLinks {
  gatewaySecret: string;
  /** The hub's ledger key: signs the lists' history (seals are the runtime's, lib/service/ledger.ts). */
  ledgerKey: string;
  /** URL of a subgraph by name, once it runs (undefined before, or when it does not run here). */
  urlOf: (subgraph: string) => string | undefined;
  /** The event bus outboxes are relayed to. */
  bus?: EventBus;
  /** The affiliate graph; without it the relations subgraph is left out. */
  graph?: GraphStore;
}

type Cfg = Pick<HubConfig, "HUB_MAX_PAGE_SIZE" | "HUB_SWEEP_INTERVAL_SECONDS" | "HUB_GRAPH_SYNC_SECONDS"> & Partial<Pick<HubConfig, "HUB_REPORT_KEYS_DIR" | "HUB_DATA_DIR" | "HUB_CHROMIUM">>;

/** Every subgraph of the hub, by name, in start order: adding one is one line here. */
export function subgraphModules(cfg: Cfg, links?: SubgraphLinks): Record<string, SubgraphModule<BaseContext>> {
  const url = (name: string) => () => links?.urlOf(name);
  const modules = {
    enterprise: enterpriseSubgraph({ maxPageSize: cfg.HUB_MAX_PAGE_SIZE }),
    individual: individualSubgraph({ maxPageSize: cfg.HUB_MAX_PAGE_SIZE }),
    audit: auditSubgraph({
      maxPageSize: cfg.HUB_MAX_PAGE_SIZE,
      links: links ? { enterprise: url("enterprise"), individual: url("individual"), secret: links.gatewaySecret } : undefined,
    }),
    lists: listsSubgraph({
      maxPageSize: cfg.HUB_MAX_PAGE_SIZE,
      sweepIntervalSeconds: cfg.HUB_SWEEP_INTERVAL_SECONDS,
      measures: links ? { url: url("measures"), secret: links.gatewaySecret } : undefined,
      responsible: links ? { enterprise: url("enterprise"), relations: links.graph ? url("relations") : undefined, secret: links.gatewaySecret } : undefined,
      ledgerKey: links?.ledgerKey ?? "",
    }),
    ratings: ratingsSubgraph({ maxPageSize: cfg.HUB_MAX_PAGE_SIZE, sweepIntervalSeconds: cfg.HUB_SWEEP_INTERVAL_SECONDS }),
    measures: measuresSubgraph({
      maxPageSize: cfg.HUB_MAX_PAGE_SIZE,
      sweepIntervalSeconds: cfg.HUB_SWEEP_INTERVAL_SECONDS,
      contracts: links ? { lists: url("lists"), ratings: url("ratings"), relations: url("relations"), secret: links.gatewaySecret } : undefined,
    }),
    reports: reportsSubgraph({
      maxPageSize: cfg.HUB_MAX_PAGE_SIZE,
      keysDir: cfg.HUB_REPORT_KEYS_DIR ?? join(cfg.HUB_DATA_DIR ?? ".data", "report-keys"),
      chromiumPath: cfg.HUB_CHROMIUM ?? "/usr/bin/chromium",
      contracts: links ? { enterprise: url("enterprise"), lists: url("lists"), ratings: url("ratings"), measures: url("measures"), relations: url("relations"), secret: links.gatewaySecret } : undefined,
    }),
    monitoring: monitoringSubgraph({
      maxPageSize: cfg.HUB_MAX_PAGE_SIZE,
      bus: links?.bus,
      contracts: links ? { enterprise: url("enterprise"), lists: url("lists"), relations: url("relations"), secret: links.gatewaySecret } : undefined,
    }),
    ...(links?.graph ? { relations: relationsSubgraph({
      store: links.graph, syncIntervalSeconds: cfg.HUB_GRAPH_SYNC_SECONDS, cursorKey: links.gatewaySecret,
      listFlags: links.bus ? { bus: links.bus, listsUrl: url("lists"), ratingsUrl: url("ratings"), secret: links.gatewaySecret } : undefined,
    }) } : {}),
  };
  // Each module's context type extends BaseContext; the runner only needs the base.
  return modules as unknown as Record<string, SubgraphModule<BaseContext>>;
}
