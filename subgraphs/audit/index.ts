import { defineSubgraph, type SubgraphModule } from "../../lib/service/subgraph.js";
import { createAuditContext, type AuditContext } from "./loaders.js";
import { createResolvers } from "./resolvers.js";
import { auditEvents } from "./events.js";
import { REGISTRATIONS } from "./data.js";
import type { HomeCityLinks } from "./domain/homeCity.js";

/** Query registrations (查询登记, F47): every subgraph writes them, the subject's home city reads them here. */
export function auditSubgraph(opts: { maxPageSize: number; links?: HomeCityLinks }): SubgraphModule<AuditContext> {
  return defineSubgraph(import.meta.url, { name: "audit", resolvers: createResolvers(opts.maxPageSize, opts.links), createContext: createAuditContext, events: auditEvents, sealed: [REGISTRATIONS] });
}
