import { loadSchemaFile, type BaseContext, type SubgraphModule } from "../../lib/subgraph.js";
import { createListLoaders, type ListLoaders } from "./data.js";
import { createResolvers } from "./resolvers.js";
import { loadRules, type ListRules } from "./rules/index.js";
import { expireDue } from "./transitions.js";
import type { ResponsiblePersonsLookup } from "./recognition.js";

/** Lists (red/black, key-attention, market bans) across the member cities, with their whole lifecycle. */
export interface ListsContext extends BaseContext {
  loaders: ListLoaders;
  rules: ListRules;
  lookupResponsible?: ResponsiblePersonsLookup;
}

export interface ListsOptions {
  maxPageSize: number;
  /** How often the expiry sweep runs (it also runs once at start). */
  sweepIntervalSeconds: number;
  lookupResponsible?: ResponsiblePersonsLookup;
}

export function listsSubgraph(opts: ListsOptions): SubgraphModule<ListsContext> {
  const rules = loadRules();
  return {
    name: "lists",
    typeDefs: loadSchemaFile(new URL("./schema.graphql", import.meta.url)),
    resolvers: createResolvers(opts.maxPageSize),
    createContext: (base) => ({ ...base, loaders: createListLoaders(base.store.prisma), rules, lookupResponsible: opts.lookupResponsible }),
    background: (store, logger) => {
      const sweep = () => expireDue(store.prisma).then(
        (n) => n > 0 && logger.info({ expired: n }, "expiry sweep"),
        (err: unknown) => logger.error({ err }, "expiry sweep failed"),
      );
      void sweep();
      const timer = setInterval(sweep, opts.sweepIntervalSeconds * 1000);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
