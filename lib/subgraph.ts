import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { timingSafeEqual } from "node:crypto";
import { parse, type DocumentNode } from "graphql";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { createHttpService, listen, type RunningService } from "./http.js";
import { formatErrorFor } from "./errors.js";
import { createLogger, type Logger } from "./logger.js";
import type { Store } from "./db/store.js";

/** Header by which the gateway proves a request is its own (see gateway/dataSource.ts). */
export const GATEWAY_TOKEN_HEADER = "x-hub-gateway-token";

/** Who is asking, as far as a subgraph can tell. */
export interface Caller {
  /** The request came through the hub's gateway, which masks personal fields on output. */
  viaGateway: boolean;
}

export interface BaseContext {
  store: Store;
  caller: Caller;
  logger: Logger;
}

/** What each folder under subgraphs/ exports: its contract and its resolvers. */
export interface SubgraphModule<TContext extends BaseContext = BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<TContext>;
  /** Adds the request-scoped pieces (DataLoaders) to the base context. */
  createContext(base: BaseContext): TContext;
}

export function loadSchemaFile(url: URL): DocumentNode {
  return parse(readFileSync(url, "utf8"));
}

function sameSecret(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== "string" || given.length !== secret.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(secret));
}

/** Prometheus text metrics: the SQL statements this process has sent (batching is judged by it). */
function metricsRoute(store: Store) {
  return (req: IncomingMessage, res: import("node:http").ServerResponse): boolean => {
    if (!req.url?.startsWith("/metrics")) return false;
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(`# HELP hub_sql_statements_total SQL statements sent to the store.\n# TYPE hub_sql_statements_total counter\nhub_sql_statements_total{store="${store.kind}"} ${store.statements.count}\n`);
    return true;
  };
}

export interface StartSubgraphOptions {
  store: Store;
  port: number;
  host: string;
  /** Shared with the gateway; requests without it are answered with personal fields masked. */
  gatewaySecret: string;
  logger?: Logger;
}

export async function startSubgraph<T extends BaseContext>(mod: SubgraphModule<T>, opts: StartSubgraphOptions): Promise<RunningService> {
  const logger = opts.logger ?? createLogger(`subgraph:${mod.name}`);
  const apollo = new ApolloServer<T>({
    schema: buildSubgraphSchema([{ typeDefs: mod.typeDefs, resolvers: mod.resolvers as GraphQLResolverMap<unknown> }]),
    includeStacktraceInErrorResponses: false,
    formatError: formatErrorFor(logger),
    csrfPrevention: true,
    logger,
    // Traces are for Apollo's cloud, which the hub never reports to.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const server = createHttpService<T>({
    name: mod.name,
    apollo,
    logger,
    context: async ({ req }: { req: IncomingMessage }) =>
      mod.createContext({ store: opts.store, logger, caller: { viaGateway: sameSecret(req.headers[GATEWAY_TOKEN_HEADER], opts.gatewaySecret) } }),
    routes: [metricsRoute(opts.store)],
    ready: async () => {
      await opts.store.prisma.$queryRaw`SELECT 1`;
      return true;
    },
  });
  const running = await listen(server, opts.port, opts.host);
  logger.info({ url: running.url }, "subgraph listening");
  return {
    ...running,
    async close() {
      await running.close();
      await apollo.stop();
    },
  };
}
