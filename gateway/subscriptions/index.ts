/**
 * Subscriptions through the gateway, which @apollo/gateway does not do: the hub's own.
 * Events come from the bus (source.ts), subscribers with the same rights, document and
 * variables share one running operation (fanout.ts), entities are resolved through the
 * federated plan (entityFetcher.ts), and two transports carry the results (transport/).
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { GraphQLError, visit, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import type { ApolloServer } from "@apollo/server";
import type { ApolloGateway } from "@apollo/gateway";
import type { EventBus, DeliveredEvent } from "../../events/types.js";
import type { StreamDeclaration } from "../../events/streams.js";
import type { Identity } from "../../lib/auth/identity.js";
import { signIdentity } from "../../lib/auth/internalToken.js";
import type { Logger } from "../../lib/logger.js";
import type { ComplexityLimits } from "../complexity/index.js";
import { buildSubscriptionSchema, type SubscriptionArgs } from "./schema.js";
import { EntityFetcher, selectionText } from "./entityFetcher.js";
import { EventHub } from "./source.js";
import { Fanout } from "./fanout.js";
import { createPrepare } from "./prepare.js";
import { serveSse } from "./transport/sse.js";
import { serveWebSocket } from "./transport/ws.js";
import { checkRoleFields } from "../plugins/roles.js";
import type { StartSubscription, SubscriptionContext, TransportDeps } from "./types.js";

export type { SubscriptionContext, Prepared, StartSubscription } from "./types.js";

export interface SubscriptionOptions {
  apollo: ApolloServer<{ identity: Identity; internalToken?: string }>;
  gateway: ApolloGateway;
  bus: EventBus;
  /** The streams the subgraphs declare (their events.ts): one subscription field each. */
  streams: StreamDeclaration[];
  authenticate(req: IncomingMessage): Promise<Identity>;
  gatewaySecret?: string;
  limits: ComplexityLimits;
  /** Events a subscriber may have waiting before it is dropped as too slow. */
  maxQueue: number;
  logger: Logger;
}

export interface Subscriptions {
  /** GraphQL over SSE at /graphql/stream. */
  route(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** graphql-ws on the gateway's own port and path (/graphql). */
  attach(server: Server): void;
  /** Subscribers now, and the running operations they share. */
  stats(): { groups: number; members: number };
  close(): Promise<void>;
}

/** What decides what a caller may see: who, for which city, with which scopes and purpose. */
const callerKey = (i: Identity) => `${i.sub}|${i.city}|${[...i.scopes].sort().join(",")}|${i.purpose ?? ""}`;

/**
 * Whether the document may pass `after` to its root field (then it replays from its own
 * position). Any `after` argument anywhere counts: a false alarm only costs sharing.
 */
function mayResume(document: DocumentNode): boolean {
  let found = false;
  visit(document, { Argument: (a) => void (a.name.value === "after" && (found = true)) });
  return found;
}

/** The events one subscription field yields for one subscriber: its stream's, filtered by the field's arguments. */
async function eventFilter(stream: StreamDeclaration, args: SubscriptionArgs, ask: (q: string, v: Record<string, unknown>) => Promise<ExecutionResult>): Promise<(e: DeliveredEvent) => boolean> {
  const cities = args.cities?.length ? new Set(args.cities) : null;
  const filterValues = stream.typeFilter ? (args[stream.typeFilter.arg] as unknown[] | null | undefined) : null;
  const argValue = stream.argFilter ? args[stream.argFilter.arg] : undefined;
  let custom: ((e: DeliveredEvent) => boolean) | null = null;
  if (stream.argFilter && argValue !== undefined && argValue !== null) {
    custom = await stream.argFilter.build(argValue, async (query, variables) => {
      const r = await ask(query, variables);
      if (r.errors?.length) throw new GraphQLError(r.errors[0].message, { extensions: { code: r.errors[0].extensions?.code ?? "BAD_REQUEST" } });
      return (r.data ?? {}) as Record<string, unknown>;
    });
  }
  return (e) => stream.events.some((c) => c.matches(e)) && (!cities || cities.has(e.city))
    && (!filterValues?.length || filterValues.includes(stream.typeFilter!.of(e))) && (!custom || custom(e));
}

export async function createSubscriptions(opts: SubscriptionOptions): Promise<Subscriptions> {
  const hub = new EventHub(opts.bus, opts.maxQueue, opts.logger);
  await hub.start();
  /** Runs an operation through the gateway as the subscriber, with its rights and masking. */
  const runAs = async (identity: Identity, query: string, variables?: Record<string, unknown>): Promise<ExecutionResult> => {
    // A fresh internal token per run: subscriptions outlive the 2-minute forwarding token.
    const internalToken = opts.gatewaySecret ? await signIdentity(identity, opts.gatewaySecret) : undefined;
    const res = await opts.apollo.executeOperation({ query, variables }, { contextValue: { identity, internalToken } });
    if (res.body.kind !== "single") throw new Error("unexpected incremental response");
    return res.body.singleResult as ExecutionResult;
  };
  const fetcher = new EntityFetcher<Identity>((query, identity, variables) => runAs(identity, query, variables) as never, callerKey);
  let schema: GraphQLSchema | null = null;
  opts.gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    schema = buildSubscriptionSchema(apiSchema, opts.streams, {
      events: async (stream, args, ctx) => {
        const c = ctx as SubscriptionContext;
        const accepts = await eventFilter(stream, args, (q, v) => runAs(c.identity, q, v));
        return hub.open(args.after ?? c.resumeAfter, accepts, () => c.drop(`subscriber too slow: more than ${opts.maxQueue} events waiting`));
      },
      entity: (stream) => (e: DeliveredEvent, _a, ctx, info) => fetcher.load((ctx as SubscriptionContext).identity, stream.entity.lookup, e.entityId, selectionText(info)),
    });
  });

  const fanout = new Fanout();
  /**
   * Subscribers with the same rights, document and variables share one running operation
   * (executed once per event, serialized once). One that resumes from a position of its
   * own (`after`, Last-Event-ID) replays alone.
   */
  const start: StartSubscription = async (p, identity, resumeAfter, writer) => {
    try {
      checkRoleFields(p.schema, p.document, identity);
    } catch (err) {
      return { errors: [err as GraphQLError] };
    }
    const resumes = resumeAfter !== null || mayResume(p.document);
    const key = resumes ? null : `${callerKey(identity)}\u0000${p.operationName ?? ""}\u0000${p.query}\u0000${JSON.stringify(p.variables ?? {})}`;
    return fanout.join(
      { schema: p.schema, document: p.document, variableValues: p.variables, operationName: p.operationName },
      (drop): SubscriptionContext => ({ identity, resumeAfter, drop }),
      key, writer,
    );
  };
  const deps: TransportDeps = { authenticate: opts.authenticate, prepare: createPrepare(() => schema, opts.limits), start, maxQueue: opts.maxQueue };
  const ws = serveWebSocket(deps);
  return {
    route: (req, res) => serveSse(req, res, { ...deps, path: "/graphql/stream", logger: opts.logger }),
    attach: (server) => ws.attach(server),
    stats: () => fanout.stats,
    async close() {
      await ws.close();
      fanout.close();
      hub.close();
    },
  };
}
