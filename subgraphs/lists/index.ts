import { loadSchemaFile, type BaseContext, type SubgraphModule } from "../../lib/service/subgraph.js";
import { createListLoaders, type ListLoaders } from "./data.js";
import { createResolvers } from "./resolvers.js";
import { loadRules, type ListRules } from "./rules/index.js";
import { expireDue } from "./transitions.js";
import type { ResponsiblePersonsLookup } from "./recognition.js";
import type { EventBus } from "../../events/types.js";
import { startOutboxRelay } from "../../events/relay.js";

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
  /** Where the outbox is relayed for subscribers. */
  bus?: EventBus;
}

export function listsSubgraph(opts: ListsOptions): SubgraphModule<ListsContext> {
  const rules = loadRules();
  return {
    name: "lists",
    typeDefs: loadSchemaFile(new URL("./schema.graphql", import.meta.url)),
    resolvers: createResolvers(opts.maxPageSize),
    createContext: (base) => ({ ...base, loaders: createListLoaders(base.store.prisma), rules, lookupResponsible: opts.lookupResponsible }),
    background: (store, logger) => {
      const sweep = () => expireDue(store.jobs).then(
        (n) => n > 0 && logger.info({ expired: n }, "expiry sweep"),
        (err: unknown) => logger.error({ err }, "expiry sweep failed"),
      );
      void sweep();
      const timer = setInterval(sweep, opts.sweepIntervalSeconds * 1000);
      timer.unref();
      const relay = opts.bus ? startOutboxRelay({ prisma: store.jobs, bus: opts.bus, outbox: { table: "lists.outbox", stream: "lists" }, logger }) : undefined;
      return async () => {
        clearInterval(timer);
        await relay?.stop();
      };
    },
  };
}
