import type { SubgraphEvents } from "../../events/streams.js";

/**
 * The relations subgraph emits no events. It consumes the lists subgraph's ListEntryChanged
 * (domain/listFlags.ts: the graph's risk flags follow the live list entries).
 */
export const relationsEvents: SubgraphEvents = { outbox: null, emits: [], streams: [] };
