import type { SubgraphEvents } from "../../events/streams.js";

/** The individual subgraph emits no events: its records change only through batch loads (no outbox). */
export const individualEvents: SubgraphEvents = { outbox: null, emits: [], streams: [] };
