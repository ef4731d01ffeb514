import type { SubgraphEvents } from "../../events/streams.js";

/** The audit subgraph emits no events: registrations are written by every subgraph's runtime (lib/service/registration.ts). */
export const auditEvents: SubgraphEvents = { outbox: null, emits: [], streams: [] };
