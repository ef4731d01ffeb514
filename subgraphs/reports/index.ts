import { defineSubgraph, type SubgraphModule } from "../../lib/service/subgraph.js";
import { createReportsContextFactory, type ReportsContext } from "./loaders.js";
import { createResolvers } from "./resolvers.js";
import { reportsEvents } from "./events.js";
import { loadTemplates } from "./templates/index.js";
import { loadAgreements } from "./domain/agreements.js";
import { contractSources, type SourceLinks } from "./domain/sources.js";
import { PUBLIC_PREFIXES, publicPagesRoute } from "./domain/publicPages.js";

/** Signed credit reports (F38), their verification (F39) and recognition between cities (F40). */
export function reportsSubgraph(opts: { maxPageSize: number; keysDir: string; chromiumPath: string; contracts?: SourceLinks }): SubgraphModule<ReportsContext> {
  const templates = loadTemplates();
  const agreements = loadAgreements(undefined, templates.templates.map((t) => t.id));
  const none = () => undefined;
  const sources = contractSources(opts.contracts ?? { enterprise: none, lists: none, ratings: none, measures: none, secret: "" });
  return defineSubgraph(import.meta.url, {
    name: "reports",
    resolvers: createResolvers(opts.maxPageSize),
    createContext: createReportsContextFactory({ templates, agreements, sources, keysDir: opts.keysDir }),
    events: reportsEvents,
    publicRoutes: { prefixes: PUBLIC_PREFIXES, route: publicPagesRoute(opts.chromiumPath) },
  });
}
