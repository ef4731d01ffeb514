import type { DeliveredEvent } from "./types.js";
import type { EventContract } from "./contract.js";
import type { OutboxDeclaration } from "./relay.js";

/** Runs a query through the gateway as the subscriber (so the subscriber's own rights apply). */
export type AskHub = (query: string, variables: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * A stream the gateway serves as a GraphQL subscription field, declared by the subgraph whose
 * events feed it: its event types, the entity each event is about (resolved through the
 * federated query plan, so clients select any of its fields), and the filters the field takes.
 */
export interface StreamDeclaration {
  /** Subscription root field. */
  field: string;
  /** GraphQL type of the events it yields. */
  eventTypeName: string;
  /** The contracts of the events that feed it. */
  events: EventContract[];
  /** The entity the event is about: field name on the event, its type, and the Query field that fetches one by id. */
  entity: { field: string; type: string; lookup: string };
  /** Extra scalar fields of the event, read from its (checked) payload. */
  details: Array<{ name: string; type: string; of: (e: DeliveredEvent) => unknown }>;
  /** Optional filter on a list-type argument, e.g. `types: [ListType!]`. */
  typeFilter?: { arg: string; argType: string; of: (e: DeliveredEvent) => unknown };
  /** Optional filter built when the subscription starts from an argument, by asking the hub as the subscriber. */
  argFilter?: { arg: string; argType: string; build(value: unknown, ask: AskHub): Promise<(e: DeliveredEvent) => boolean> };
}

/** What a subgraph declares in its events.ts: the outbox it writes (null: it emits nothing), its contracts and streams. */
export interface SubgraphEvents {
  outbox: OutboxDeclaration | null;
  emits: EventContract[];
  streams: StreamDeclaration[];
}
