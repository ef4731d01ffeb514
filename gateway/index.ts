import { readFileSync } from "node:fs";
import { GraphQLError, type ASTVisitor, type ValidationContext } from "graphql";
import { ApolloServer } from "@apollo/server";
import { ApolloGateway, IntrospectAndCompose } from "@apollo/gateway";
import { createHttpService, listen, type RunningService } from "../lib/service/http.js";
import { formatErrorFor } from "../lib/errors.js";
import { createLogger, type Logger } from "../lib/logger.js";
import { createDataSource } from "./dataSource.js";
import { maskPersonalDataPlugin } from "./plugins/maskPersonalData.js";
import { createAuthenticator, type AuthConfig } from "./auth.js";
import { signIdentity } from "../lib/auth/internalToken.js";
import type { Identity } from "../lib/auth/identity.js";
import type { HubConfig } from "../lib/config.js";
import { hubError } from "../lib/errors.js";
import type { ComplexityLimits } from "./complexity/index.js";
import { createRateLimiter } from "./rateLimit/index.js";
import { complexityLimitPlugin } from "./plugins/limits.js";
import { trustedDocumentsPlugin } from "./plugins/trustedDocuments.js";
import { createSubscriptions } from "./subscriptions/index.js";
import type { EventBus } from "../events/types.js";

/** Where the gateway gets its supergraph. */
export type SupergraphSource =
  | { kind: "sdl"; supergraphSdl: string }
  | { kind: "file"; path: string }
  /** Subgraphs running as their own processes: their SDL is fetched and composed at start. */
  | { kind: "subgraphs"; subgraphs: Array<{ name: string; url: string }> };

export interface GatewayContext {
  identity: Identity;
  /** The identity signed for our subgraphs (absent over a foreign supergraph). */
  internalToken?: string;
}

export interface GatewayOptions {
  source: SupergraphSource;
  port: number;
  host: string;
  /** Sent to our subgraphs so they trust the gateway with personal fields; absent for foreign supergraphs. */
  gatewaySecret?: string;
  auth: AuthConfig;
  limits: GatewayLimits;
  /** Event streams for subscriptions (graphql-ws on /graphql, SSE on /graphql/stream). */
  events?: { bus: EventBus; maxQueue: number };
  introspection?: boolean;
  logger?: Logger;
}

/** Hardening settings, all from the hub config (lib/config.ts). */
export interface GatewayLimits {
  complexity: ComplexityLimits;
  rate: { burst: number; perSecond: number; redisUrl?: string };
  maxBodyBytes: number;
  maxBatch: number;
  trustedDocuments?: string;
}

export function gatewayLimitsFromConfig(cfg: HubConfig): GatewayLimits {
  return {
    complexity: { maxDepth: cfg.HUB_MAX_DEPTH, maxCost: cfg.HUB_MAX_COST, defaultListSize: cfg.HUB_DEFAULT_LIST_SIZE },
    rate: { burst: cfg.HUB_RATE_BURST, perSecond: cfg.HUB_RATE_PER_SECOND, redisUrl: cfg.REDIS_URL },
    maxBodyBytes: cfg.HUB_MAX_BODY_BYTES,
    maxBatch: cfg.HUB_MAX_BATCH,
    trustedDocuments: cfg.HUB_TRUSTED_DOCUMENTS,
  };
}

/** A `subscription` (or `mutation`) on a schema without that root is the client's error, not a 500 from the planner. */
function operationTypeExists(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (!context.getSchema().getRootType(node.operation)) {
        const hint = node.operation === "subscription" ? ": subscribe over WebSocket at /graphql or SSE at /graphql/stream" : "";
        context.reportError(new GraphQLError(`this endpoint has no ${node.operation} operations${hint}`, { nodes: [node] }));
      }
    },
  };
}

export function parseSubgraphList(spec: string): Array<{ name: string; url: string }> {
  return spec.split(",").map((pair) => {
    const [name, url] = pair.split("=").map((s) => s.trim());
    if (!name || !url) throw new Error(`HUB_SUBGRAPHS entries are name=url, got '${pair}'`);
    return { name, url };
  });
}

function buildGateway(source: SupergraphSource, logger: Logger): ApolloGateway {
  const buildService = ({ url }: { url?: string }) => createDataSource(url ?? "");
  const common = { buildService, logger };
  switch (source.kind) {
    case "sdl":
      return new ApolloGateway({ ...common, supergraphSdl: source.supergraphSdl });
    case "file":
      return new ApolloGateway({ ...common, supergraphSdl: readFileSync(source.path, "utf8") });
    case "subgraphs":
      return new ApolloGateway({ ...common, supergraphSdl: new IntrospectAndCompose({ subgraphs: source.subgraphs }) });
  }
}

/** Starts the hub's gateway: Apollo gateway, our plugins, and the shared HTTP front. */
export async function startGateway(opts: GatewayOptions): Promise<RunningService> {
  const logger = opts.logger ?? createLogger("gateway");
  const gateway = buildGateway(opts.source, logger);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (scripts/shutdown.ts): Apollo's own signal handlers race it and hang in stop().
    stopOnTerminationSignals: false,
    introspection: opts.introspection ?? false,
    // Field suggestions ("did you mean ...") would reveal the schema when introspection is off.
    hideSchemaDetailsFromClientErrors: !opts.introspection,
    csrfPrevention: true,
    validationRules: [operationTypeExists],
    allowBatchedHttpRequests: opts.limits.maxBatch > 1,
    formatError: formatErrorFor(logger),
    logger,
    plugins: [
      ...(opts.limits.trustedDocuments ? [trustedDocumentsPlugin<GatewayContext>(opts.limits.trustedDocuments)] : []),
      complexityLimitPlugin<GatewayContext>(opts.limits.complexity),
      maskPersonalDataPlugin<GatewayContext>((ctx) => ctx.identity.scopes.has("personal:read")),
    ],
  });
  const authenticate = createAuthenticator(opts.auth);
  const subscriptions = opts.events
    ? await createSubscriptions({ apollo, gateway, bus: opts.events.bus, authenticate, gatewaySecret: opts.gatewaySecret, limits: opts.limits.complexity, maxQueue: opts.events.maxQueue, logger })
    : undefined;
  await apollo.start();
  const limiter = createRateLimiter({
    capacity: opts.limits.rate.burst, refillPerSecond: opts.limits.rate.perSecond, redisUrl: opts.limits.rate.redisUrl,
    onError: (err) => logger.warn({ err }, "rate limiter unavailable: letting requests through"),
  });
  const server = createHttpService<GatewayContext, Identity>({
    name: "gateway",
    apollo,
    logger,
    maxBodyBytes: opts.limits.maxBodyBytes,
    routes: subscriptions ? [subscriptions.route] : [],
    maxBatch: opts.limits.maxBatch,
    async admit(req) {
      const identity = await authenticate(req);
      // One bucket per calling system: a partner's burst cannot starve the others.
      const decision = await limiter.take(`${identity.city}:${identity.sub}`);
      if (!decision.allowed) {
        throw hubError("RATE_LIMITED", `rate limit of ${opts.limits.rate.perSecond} requests/s exceeded; retry after ${decision.retryAfterSeconds} s`, {
          retryAfterSeconds: decision.retryAfterSeconds,
          http: { status: 429, headers: new Map([["retry-after", String(decision.retryAfterSeconds)]]) },
        });
      }
      return identity;
    },
    context: async ({ admission: identity }) => ({
      identity,
      internalToken: opts.gatewaySecret ? await signIdentity(identity, opts.gatewaySecret) : undefined,
    }),
  });
  subscriptions?.attach(server);
  const running = await listen(server, opts.port, opts.host);
  logger.info({ url: running.url }, "gateway listening");
  return {
    ...running,
    async close() {
      await subscriptions?.close();
      await running.close();
      await apollo.stop();
      await limiter.close();
    },
  };
}
