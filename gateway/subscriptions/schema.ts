import { extendSchema, parse, isObjectType, type GraphQLSchema, type GraphQLFieldResolver } from "graphql";
import { cityOf, requireCity } from "../../lib/cities.js";
import type { DeliveredEvent } from "../../events/types.js";
import type { StreamDeclaration } from "../../events/streams.js";

export interface SubscriptionArgs {
  cities?: string[] | null;
  after?: string | null;
  [filter: string]: unknown;
}

export interface StreamResolvers {
  /** The events of one subscription: filtered, resumable, each once. */
  events(stream: StreamDeclaration, args: SubscriptionArgs, ctx: unknown): Promise<AsyncIterable<DeliveredEvent>>;
  /** Resolves the event's entity with the fields the client selected, through the federated plan. */
  entity(stream: StreamDeclaration): GraphQLFieldResolver<DeliveredEvent, unknown>;
}

function typeExists(schema: GraphQLSchema, typeRef: string): boolean {
  return schema.getType(typeRef.replace(/[[\]!]/g, "")) !== undefined || ["ID", "String", "Int", "Boolean"].includes(typeRef.replace(/[[\]!]/g, ""));
}

/**
 * Adds `Subscription` to the gateway's API schema, one field per declared stream
 * whose types the supergraph has (so any supergraph works: ours gets them all).
 */
export function buildSubscriptionSchema(api: GraphQLSchema, streams: StreamDeclaration[], resolvers: StreamResolvers): GraphQLSchema | null {
  const usable = streams.filter((s) => typeExists(api, s.entity.type) && s.details.every((d) => typeExists(api, d.type))
    && (!s.typeFilter || typeExists(api, s.typeFilter.argType)) && (!s.argFilter || typeExists(api, s.argFilter.argType)));
  if (usable.length === 0 || !api.getType("City")) return null;
  const sdl = usable.map((s) => `
    "An event of the ${s.field} stream; \`entry\` takes any fields of ${s.entity.type}, resolved across subgraphs."
    type ${s.eventTypeName} {
      "Event id (unique; use it to drop duplicates)."
      id: ID!
      "Position in the stream: pass it as \`after\` (or Last-Event-ID over SSE) to resume."
      sequence: String!
      occurredAt: String!
      city: City!
      type: String!
      ${s.details.map((d) => `${d.name}: ${d.type}`).join("\n      ")}
      ${s.entity.field}: ${s.entity.type}
    }`).join("\n") + `
    type Subscription {
      ${usable.map((s) => `${s.field}(cities: [ID!]${s.typeFilter ? `, ${s.typeFilter.arg}: ${s.typeFilter.argType}` : ""}${s.argFilter ? `, ${s.argFilter.arg}: ${s.argFilter.argType}` : ""}, after: String): ${s.eventTypeName}!`).join("\n      ")}
    }
    extend schema { subscription: Subscription }`;
  const schema = extendSchema(api, parse(sdl));
  const root = schema.getSubscriptionType()!.getFields();
  for (const s of usable) {
    root[s.field].subscribe = (_src, args: SubscriptionArgs, ctx) => {
      for (const c of args.cities ?? []) requireCity(c, "cities");
      return resolvers.events(s, args, ctx);
    };
    root[s.field].resolve = (event: DeliveredEvent) => event;
    const type = schema.getType(s.eventTypeName);
    if (!isObjectType(type)) continue;
    const fields = type.getFields();
    fields.city.resolve = (e: DeliveredEvent) => cityOf(e.city);
    for (const d of s.details) fields[d.name].resolve = d.of;
    fields[s.entity.field].resolve = resolvers.entity(s);
  }
  return schema;
}
