import { startSweep } from "../../lib/service/sweep.js";
import { defineSubgraph, type SubgraphModule } from "../../lib/service/subgraph.js";
import { createListLoaders, type ListsContext } from "./loaders.js";
import { createResolvers } from "./resolvers.js";
import { listsEvents } from "./events.js";
import { LIST_HISTORY } from "./data.js";
import { loadRules } from "./rules/index.js";
import { expireDue } from "./domain/transitions.js";
import { historyKeyFrom } from "./domain/history.js";
import { responsiblePersonsLookup } from "./domain/responsibleLookup.js";
import { measuresRepairCommitments, noRepairCommitments } from "./domain/repairCommitments.js";

export interface ListsOptions {
  maxPageSize: number;
  /** How often the expiry sweep runs (it also runs once at start). */
  sweepIntervalSeconds: number;
  /** The hub's ledger key (HUB_LEDGER_KEY): the entries' history is signed with a key derived from it. */
  ledgerKey: string;
  /** Where the enterprise records and the affiliate graph answer who is responsible for an enterprise (F19), and the secret to ask them with. */
  responsible?: { enterprise: () => string | undefined; relations?: () => string | undefined; secret: string };
  /** The measures subgraph, which keeps the repair applications' commitments. */
  measures?: { url: () => string | undefined; secret: string };
}

/** Lists (red/black, key-attention, market bans) across the member cities, with their whole lifecycle. */
export function listsSubgraph(opts: ListsOptions): SubgraphModule<ListsContext> {
  const rules = loadRules();
  const historyKey = historyKeyFrom(opts.ledgerKey);
  const lookupResponsible = opts.responsible ? responsiblePersonsLookup(opts.responsible) : undefined;
  const repairCommitments = opts.measures ? measuresRepairCommitments(opts.measures.url, opts.measures.secret) : noRepairCommitments;
  return defineSubgraph(import.meta.url, {
    name: "lists",
    resolvers: createResolvers(opts.maxPageSize),
    createContext: (base) => ({ ...base, loaders: createListLoaders(base.store.prisma), rules, lookupResponsible, repairCommitments, historyKey }),
    events: listsEvents,
    sealed: [LIST_HISTORY],
    background: (store, logger) => startSweep("list expiry", opts.sweepIntervalSeconds, () => expireDue(store.jobs, historyKey), logger),
  });
}
