import { defineSubgraph, type SubgraphModule } from "../../lib/service/subgraph.js";
import type { EventBus } from "../../events/types.js";
import type { GraphStore } from "../../graph/types.js";
import { catchUpFromRelational } from "../../graph/sync.js";
import { relationsContextFor, type RelationsContext } from "./loaders.js";
import { createResolvers } from "./resolvers.js";
import { relationsEvents } from "./events.js";
import { startListFlagSync } from "./domain/listFlags.js";

export interface RelationsOptions {
  store: GraphStore;
  /** Lists events keep the graph's risk flags current (when the bus and the lists subgraph are known). */
  listFlags?: { bus: EventBus; listsUrl: () => string | undefined; ratingsUrl?: () => string | undefined; secret: string };
  /** How often the graph catches up with the relational records (graph/sync.ts: bulk into an empty graph, else from the stored watermark). */
  syncIntervalSeconds: number;
  /** Keys the affiliate cursors (they must not show a person's ID number); shared by every instance (the gateway secret) so a cursor pages on any. */
  cursorKey: string;
}

/** Relations (关联关系) and related-party risk (关联方风险) over the affiliate graph. */
export function relationsSubgraph(opts: RelationsOptions): SubgraphModule<RelationsContext> {
  return defineSubgraph(import.meta.url, {
    name: "relations",
    resolvers: createResolvers(opts.store, opts.cursorKey),
    createContext: relationsContextFor(opts.store),
    events: relationsEvents,
    background: (relational, logger) => {
      /** The sync running now: stopping waits for it (the graph store closes next). */
      let running: Promise<void> | null = null;
      const stopping = new AbortController();
      const syncOnce = async () => {
        try {
          const r = await catchUpFromRelational(opts.store, relational.jobs, { signal: stopping.signal });
          if (stopping.signal.aborted) return; // cut short: the watermark stays, the next start goes on from it
          if (r.mode !== "incremental" || r.nodes || r.edges) logger.info(r, `graph sync (${r.mode})`);
        } catch (err) {
          logger.error({ err }, "graph sync failed");
        }
      };
      const sync = () => (running ??= syncOnce().finally(() => (running = null)));
      void sync();
      const timer = setInterval(() => void sync(), opts.syncIntervalSeconds * 1000);
      timer.unref();
      const flags = opts.listFlags ? startListFlagSync({ ...opts.listFlags, graph: opts.store, logger }) : undefined;
      return {
        ready: flags?.started,
        async stop() {
          clearInterval(timer);
          stopping.abort();
          await flags?.stop();
          await running;
        },
      };
    },
  });
}
