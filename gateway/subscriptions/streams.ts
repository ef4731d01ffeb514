import type { DeliveredEvent } from "../../events/types.js";

/**
 * The subscription streams the gateway serves. Adding a subgraph's events is one
 * entry here: its outbox event types, the entity each event is about (resolved
 * through the federated query plan, so clients select any of its fields), and
 * the filters its subscription field takes.
 */
export interface StreamDeclaration {
  /** Subscription root field. */
  field: string;
  /** GraphQL type of the events it yields. */
  eventTypeName: string;
  /** Outbox event types (HubEvent.type) that feed it. */
  eventTypes: string[];
  /** The entity the event is about: field name on the event, its type, and the Query field that fetches one by id. */
  entity: { field: string; type: string; lookup: string };
  /** Extra scalar fields of the event, read from its payload. */
  details: Array<{ name: string; type: string; of: (e: DeliveredEvent) => unknown }>;
  /** Optional filter on a list-type argument, e.g. `types: [ListType!]`. */
  typeFilter?: { arg: string; argType: string; of: (e: DeliveredEvent) => unknown };
  /**
   * Optional filter built when the subscription starts from an argument, by asking the
   * hub itself as the subscriber (so the subscriber's own rights apply).
   */
  argFilter?: { arg: string; argType: string; build(value: unknown, ask: AskHub): Promise<(e: DeliveredEvent) => boolean> };
}

/** Runs a query through the gateway as the subscriber. */
export type AskHub = (query: string, variables: Record<string, unknown>) => Promise<Record<string, unknown>>;

const payload = (e: DeliveredEvent) => (e.payload ?? {}) as Record<string, unknown>;

export const STREAMS: StreamDeclaration[] = [
  {
    field: "listEntryChanged", eventTypeName: "ListEntryChangedEvent", eventTypes: ["ListEntryChanged"],
    entity: { field: "entry", type: "ListEntry", lookup: "listEntry" },
    details: [
      { name: "fromState", type: "ListEntryState", of: (e) => payload(e).from ?? null },
      { name: "toState", type: "ListEntryState", of: (e) => payload(e).to ?? null },
    ],
    typeFilter: { arg: "types", argType: "[ListType!]", of: (e) => payload(e).listType },
  },
  {
    field: "objectionChanged", eventTypeName: "ObjectionChangedEvent", eventTypes: ["ObjectionChanged"],
    entity: { field: "entry", type: "ListEntry", lookup: "listEntry" },
    details: [
      { name: "objectionId", type: "ID", of: (e) => payload(e).objectionId ?? null },
      { name: "step", type: "String", of: (e) => payload(e).step ?? null },
    ],
  },
  {
    field: "repairChanged", eventTypeName: "RepairChangedEvent", eventTypes: ["RepairChanged"],
    entity: { field: "entry", type: "ListEntry", lookup: "listEntry" },
    details: [
      { name: "repairId", type: "ID", of: (e) => payload(e).repairId ?? null },
      { name: "status", type: "String", of: (e) => payload(e).status ?? null },
    ],
  },
  {
    field: "riskAlert", eventTypeName: "RiskAlertEvent", eventTypes: ["RiskAlertRaised"],
    entity: { field: "alert", type: "RiskAlert", lookup: "riskAlert" },
    details: [
      { name: "ruleId", type: "String", of: (e) => payload(e).ruleId ?? null },
      { name: "severity", type: "String", of: (e) => payload(e).severity ?? null },
    ],
    argFilter: {
      arg: "watchlist", argType: "ID",
      async build(id, ask) {
        const data = await ask("query($id: ID!) { watchlist(id: $id) { enterprises { uscc } } }", { id });
        const list = (data.watchlist as { enterprises: Array<{ uscc: string }> } | null)?.enterprises ?? [];
        const followed = new Set(list.map((x) => x.uscc));
        return (e) => followed.has(String(payload(e).subject));
      },
    },
  },
];
