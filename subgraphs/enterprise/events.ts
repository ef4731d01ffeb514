import type { SubgraphEvents } from "../../events/streams.js";

/** The enterprise subgraph emits no events: its records change only through batch loads (no outbox). */
export const enterpriseEvents: SubgraphEvents = { outbox: null, emits: [], streams: [] };
