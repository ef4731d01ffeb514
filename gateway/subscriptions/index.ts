import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { GraphQLError, parse, visit, validate, getOperationAST, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import { WebSocketServer, type WebSocket } from "ws";
import { useServer } from "graphql-ws/use/ws";
import type { ApolloServer } from "@apollo/server";
import type { ApolloGateway } from "@apollo/gateway";
import type { EventBus, DeliveredEvent } from "../../events/types.js";
import type { Identity } from "../../lib/auth/identity.js";
import { signIdentity } from "../../lib/auth/internalToken.js";
import type { Logger } from "../../lib/logger.js";
import { checkComplexity, type ComplexityLimits } from "../complexity/index.js";
import { buildSubscriptionSchema, type SubscriptionArgs } from "./schema.js";
import { STREAMS } from "./streams.js";
import { EntityFetcher, selectionText } from "./entityFetcher.js";
import { EventHub } from "./source.js";
import { serveSse } from "./sse.js";
import { Fanout, type Membership, type MemberWriter } from "./fanout.js";
import { websocketWriter } from "./wsFrames.js";

/** What a subscription's operation runs with: the caller, and how to drop every subscriber sharing it. */
export interface SubscriptionContext {
  identity: Identity;
  /** Resume point from the transport (SSE Last-Event-ID) when the field has no `after`. */
  resumeAfter: string | null;
  drop(reason: string): void;
}

/** Starts one subscriber's subscription: it shares a running operation with equal subscribers when it can. */
export type StartSubscription = (prepared: Prepared, identity: Identity, resumeAfter: string | null, writer: MemberWriter) => Promise<Membership | ExecutionResult>;

/** A checked subscription request. */
export interface Prepared {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown>;
  query: string;
}

export interface SubscriptionOptions {
  apollo: ApolloServer<{ identity: Identity; internalToken?: string }>;
  gateway: ApolloGateway;
  bus: EventBus;
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

/** Subscriptions through the gateway (which @apollo/gateway does not do): the hub's own. */
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
    schema = buildSubscriptionSchema(apiSchema, STREAMS, {
      events: async (stream, args: SubscriptionArgs, ctx) => {
        const c = ctx as SubscriptionContext;
        const cities = args.cities?.length ? new Set(args.cities) : null;
        const filterValues = stream.typeFilter ? (args[stream.typeFilter.arg] as unknown[] | null | undefined) : null;
        const argValue = stream.argFilter ? args[stream.argFilter.arg] : undefined;
        let custom: ((e: DeliveredEvent) => boolean) | null = null;
        if (stream.argFilter && argValue !== undefined && argValue !== null) {
          // Asked as the subscriber: a watchlist that is not theirs is NOT_FOUND, not someone else's alerts.
          custom = await stream.argFilter.build(argValue, async (query, variables) => {
            const r = await runAs(c.identity, query, variables);
            if (r.errors?.length) throw new GraphQLError(r.errors[0].message, { extensions: { code: r.errors[0].extensions?.code ?? "BAD_REQUEST" } });
            return (r.data ?? {}) as Record<string, unknown>;
          });
        }
        return hub.open(args.after ?? c.resumeAfter, (e) =>
          stream.eventTypes.includes(e.type) && (!cities || cities.has(e.city)) && (!filterValues?.length || filterValues.includes(stream.typeFilter!.of(e)))
          && (!custom || custom(e)),
          () => c.drop(`subscriber too slow: more than ${opts.maxQueue} events waiting`));
      },
      entity: (stream) => (e: DeliveredEvent, _a, ctx, info) => fetcher.load((ctx as SubscriptionContext).identity, stream.entity.lookup, e.entityId, selectionText(info)),
    });
  });

  /** Parses and checks a subscription document: errors a client can act on, before anything runs. */
  function prepare(query: unknown, operationName: string | null | undefined, variables: Record<string, unknown> | undefined): Prepared | GraphQLError[] {
    if (!schema) return [new GraphQLError("this supergraph has no event streams", { extensions: { code: "BAD_REQUEST" } })];
    let document: DocumentNode;
    try {
      document = parse(String(query ?? ""));
    } catch (e) {
      return [new GraphQLError(`syntax error: ${(e as Error).message}`, { extensions: { code: "GRAPHQL_PARSE_FAILED" } })];
    }
    const errors = validate(schema, document);
    if (errors.length) return errors.map((e) => new GraphQLError(e.message, { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }));
    if (getOperationAST(document, operationName)?.operation !== "subscription") {
      return [new GraphQLError("only subscriptions here: send queries and mutations to POST /graphql", { extensions: { code: "BAD_REQUEST" } })];
    }
    try {
      checkComplexity(schema, document, operationName, variables, opts.limits);
    } catch (e) {
      return [e as GraphQLError];
    }
    return { schema, document, operationName, variables, query: String(query) };
  }

  const fanout = new Fanout();
  /**
   * Subscribers with the same rights, document and variables share one running operation
   * (executed once per event, serialized once). One that resumes from a position of its
   * own (`after`, Last-Event-ID) replays alone.
   */
  const start: StartSubscription = (p, identity, resumeAfter, writer) => {
    const resumes = resumeAfter !== null || mayResume(p.document);
    const key = resumes ? null : `${callerKey(identity)}\u0000${p.operationName ?? ""}\u0000${p.query}\u0000${JSON.stringify(p.variables ?? {})}`;
    return fanout.join(
      { schema: p.schema, document: p.document, variableValues: p.variables, operationName: p.operationName },
      (drop): SubscriptionContext => ({ identity, resumeAfter, drop }),
      key, writer,
    );
  };

  // Off, because results are written as ready-made frames (wsFrames.ts).
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const sockets = new WeakMap<WebSocket, Duplex>();
  const expiryTimers = new Set<NodeJS.Timeout>();
  interface WsRequest { identity: Identity; writer: MemberWriter }
  useServer<Record<string, unknown>, { identity: Identity }>({
    onConnect: async (ctx) => {
      const params = ctx.connectionParams ?? {};
      const headers = { ...ctx.extra.request.headers } as Record<string, string>;
      for (const [k, v] of Object.entries(params)) if (typeof v === "string") headers[k.toLowerCase()] = v;
      try {
        const identity = await opts.authenticate({ headers } as unknown as IncomingMessage);
        ctx.extra.identity = identity;
        if (identity.expiresAt) {
          const t = setTimeout(() => ctx.extra.socket.close(4401, "token expired: reconnect with a new token"), Math.max(0, identity.expiresAt * 1000 - Date.now()));
          expiryTimers.add(t);
          ctx.extra.socket.once("close", () => { clearTimeout(t); expiryTimers.delete(t); });
        }
        return true;
      } catch (err) {
        ctx.extra.socket.close(4401, (err as Error).message.slice(0, 120));
        return false;
      }
    },
    onSubscribe: (ctx, id, payload) => {
      const prepared = prepare(payload.query, payload.operationName, payload.variables ?? undefined);
      if (Array.isArray(prepared)) return prepared;
      const ws = ctx.extra.socket;
      const request: WsRequest = { identity: ctx.extra.identity!, writer: websocketWriter(ws, sockets.get(ws)!, id, opts.maxQueue) };
      return { schema: prepared.schema, document: prepared.document, variableValues: payload.variables, operationName: payload.operationName, contextValue: { request, prepared } };
    },
    subscribe: (args) => {
      const { request, prepared } = args.contextValue as { request: WsRequest; prepared: Prepared };
      return start(prepared, request.identity, null, request.writer);
    },
  }, wss);

  return {
    route: (req, res) => serveSse(req, res, { path: "/graphql/stream", authenticate: opts.authenticate, prepare, start, maxQueue: opts.maxQueue, logger: opts.logger }),
    attach(server) {
      server.on("upgrade", (req, socket, head) => {
        if (new URL(req.url ?? "/", "http://x").pathname !== "/graphql") return socket.destroy();
        wss.handleUpgrade(req, socket, head, (ws) => {
          sockets.set(ws, socket);
          wss.emit("connection", ws, req);
        });
      });
    },
    async close() {
      for (const t of expiryTimers) clearTimeout(t);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      fanout.close();
      hub.close();
    },
  };
}
