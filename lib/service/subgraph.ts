import { Kind, type DocumentNode, type GraphQLScalarType } from "graphql";
import { COMMON_RESOLVERS, loadSubgraphSchema } from "./schema.js";
import { createRegistrar } from "./registration.js";
import { registerLookups } from "./lookups.js";
import { Ledger, type LedgerOptions, type SealedTable } from "./ledger.js";
import { startSealing } from "./sealing.js";
import { startOutboxRelay, type OutboxRelay } from "../../events/relay.js";
import type { EventBus } from "../../events/types.js";
import type { SubgraphEvents } from "../../events/streams.js";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { createHttpService, listen, type Route, type RunningService } from "./http.js";
import { metricsRoute } from "./metrics.js";
import { isServiceIdentity } from "./subgraphClient.js";
import { sqlScope } from "../../prisma/statementCounter.js";
import { formatErrorFor, hubError } from "../errors.js";
import { createLogger, type Logger } from "../logger.js";
import { enforceRequiresScopes } from "./scopes.js";
import { IDENTITY_HEADER, verifyIdentity } from "../auth/internalToken.js";
import type { Store } from "../../prisma/store.js";

export type { BaseContext } from "./context.js";
import type { BaseContext } from "./context.js";

/**
 * Resolvers by type, then field. Looser than the library's GraphQLResolverMap,
 * which types `__resolveReference` without its third (info) argument.
 */
export type Resolvers = Record<string, GraphQLScalarType | Record<string, unknown>>;

/** What each folder under subgraphs/ exports: its contract and its resolvers. */
export interface SubgraphModule<TContext extends BaseContext = BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: Resolvers;
  /** Adds the request-scoped pieces (DataLoaders) to the base context. */
  createContext(base: BaseContext): TContext;
  /** What it emits (its events.ts): the runtime relays its outbox to the bus when one is given. */
  events?: SubgraphEvents;
  /** Its tamper-evident tables: the runtime seals their new rows (lib/service/ledger.ts). */
  sealed?: SealedTable[];
  /**
   * Pages anyone may open without a token (a report's verification page by its short code): the
   * subgraph serves them beside /graphql, and the gateway forwards GETs under these prefixes to it.
   */
  publicRoutes?: { prefixes: string[]; route: (store: Store, logger: Logger) => Route };
  /** Scheduled work (sweeps) started with the subgraph; returns its stop function. */
  background?: (store: Store, logger: Logger) => BackgroundWork;
}

/**
 * A subgraph module from its folder: the contract is the folder's schema.graphql (after the
 * shared definitions), so `dir` is the module's own `import.meta.url`.
 */
export function defineSubgraph<T extends BaseContext>(dir: string, parts: Omit<SubgraphModule<T>, "typeDefs">): SubgraphModule<T> {
  return { ...parts, typeDefs: loadSubgraphSchema(new URL("./schema.graphql", dir)) };
}

/** Without the gateway's signed identity a subgraph answers only its SDL (`_service`), which composition needs. */
function requireGatewayIdentity(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (contextValue.identity) return;
          const onlySdl = (operation?.selectionSet.selections ?? []).every((s) => s.kind === Kind.FIELD && (s.name.value === "_service" || s.name.value === "__typename"));
          if (!onlySdl) throw hubError("UNAUTHENTICATED", "subgraphs answer the hub's gateway only; send partner requests to the gateway", { http: { status: 401 } });
        },
      };
    },
  };
}

export interface StartSubgraphOptions {
  store: Store;
  port: number;
  host: string;
  /** Shared with the gateway, which signs each caller's identity with it. */
  gatewaySecret: string;
  /** Where the subgraph's outbox is relayed (no relay without it). */
  bus?: EventBus;
  /** How its tamper-evident tables are sealed (none without it). */
  ledger?: LedgerOptions & { sealSeconds: number };
  logger?: Logger;
}

/** Scheduled work a subgraph runs beside its requests (sweeps, syncs, event consumers). */
export interface BackgroundWork {
  /** Resolves once the work is in place (an event consumer knows where it starts reading). */
  ready?: Promise<void>;
  /** Stops it and waits for what is in flight. */
  stop(): void | Promise<void>;
}

/**
 * A running subgraph: its HTTP service, then (started by whoever composes the hub, in that
 * order) its background work and its outbox relay, which can be stopped before the service.
 */
export interface RunningSubgraph extends RunningService {
  /** Starts the background work and resolves once it is in place. */
  startBackground(): Promise<void>;
  /** Starts relaying the outbox to the bus (when there is a bus and the subgraph has an outbox). */
  startRelay(): void;
  /** Stops the relay and the background work and waits for what is in flight; close() does it too. */
  stopBackground(): Promise<void>;
  /** Seals every settled row of its tamper-evident tables now; resolves with the rows sealed. */
  sealNow(): Promise<number>;
}

export async function startSubgraph<T extends BaseContext>(mod: SubgraphModule<T>, opts: StartSubgraphOptions): Promise<RunningSubgraph> {
  const logger = opts.logger ?? createLogger(`subgraph:${mod.name}`);
  const schema = registerLookups(enforceRequiresScopes(buildSubgraphSchema([{ typeDefs: mod.typeDefs, resolvers: { ...COMMON_RESOLVERS, ...mod.resolvers } as GraphQLResolverMap<unknown> }])));
  const apollo = new ApolloServer<T>({
    schema,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (scripts/shutdown.ts): Apollo's own signal handlers race it and hang in stop().
    stopOnTerminationSignals: false,
    hideSchemaDetailsFromClientErrors: true,
    formatError: formatErrorFor(logger),
    csrfPrevention: true,
    logger,
    // Traces are for Apollo's cloud, which the hub never reports to.
    plugins: [ApolloServerPluginInlineTraceDisabled(), requireGatewayIdentity() as ApolloServerPlugin<T>],
  });
  await apollo.start();
  const server = createHttpService<T>({
    name: mod.name,
    apollo,
    logger,
    context: async ({ req }) => {
      const token = req.headers[IDENTITY_HEADER];
      const identity = await verifyIdentity(typeof token === "string" ? token : undefined, opts.gatewaySecret);
      const scope = sqlScope.getStore();
      if (scope && identity && isServiceIdentity(identity)) scope.background = true;
      return mod.createContext({ store: opts.store, logger, identity, registrar: createRegistrar(opts.store.prisma, identity), ledger });
    },
    routes: [...(mod.publicRoutes ? [mod.publicRoutes.route(opts.store, logger)] : []), metricsRoute(() => [
      { name: "hub_sql_statements_total", help: "SQL statements sent to the store for partner requests.", type: "counter", value: opts.store.statements.count, labels: { store: opts.store.kind } },
    ])],
    ready: async () => {
      await opts.store.prisma.$queryRaw`SELECT 1`;
      return true;
    },
  });
  const running = await listen(server, opts.port, opts.host);
  logger.info({ url: running.url }, "subgraph listening");
  const ledger = opts.ledger ? new Ledger(opts.store.jobs, opts.ledger) : undefined;
  const sealing = startSealing(ledger, mod.sealed ?? [], opts.ledger?.sealSeconds ?? 5, logger);
  let work: BackgroundWork | undefined;
  let relay: OutboxRelay | undefined;
  let stopped: Promise<void> | null = null;
  const stopBackground = () => (stopped ??= (async () => {
    // The relay first: nothing new to consume while the consumers finish.
    await relay?.stop();
    await work?.stop();
    await sealing.stop();
  })());
  return {
    ...running,
    sealNow: () => sealing.now(),
    async startBackground() {
      if (stopped || work) return;
      sealing.start();
      work = mod.background?.(opts.store, logger);
      await work?.ready;
    },
    startRelay() {
      const outbox = mod.events?.outbox;
      if (stopped || relay || !outbox || !opts.bus) return;
      relay = startOutboxRelay({ prisma: opts.store.jobs, bus: opts.bus, outbox, logger });
    },
    stopBackground,
    async close() {
      await stopBackground();
      await running.close();
      await apollo.stop();
    },
  };
}
