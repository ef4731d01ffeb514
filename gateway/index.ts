/**
 * The hub's gateway: Apollo gateway over a Federation 2 supergraph, assembled from one
 * piece per concern (plugins/: auth, rate limit, operation type, limits, masking, trusted
 * documents; subscriptions/: event streams), served by the shared HTTP front.
 */
import { ApolloServer } from "@apollo/server";
import { createHttpService, listen, type RunningService } from "../lib/service/http.js";
import { metricsRoute } from "../lib/service/metrics.js";
import { formatErrorFor } from "../lib/errors.js";
import { createLogger } from "../lib/logger.js";
import { signIdentity } from "../lib/auth/internalToken.js";
import type { Identity } from "../lib/auth/identity.js";
import type { GatewayContext } from "./context.js";
import type { GatewayOptions } from "./config.js";
import { buildGateway } from "./supergraph.js";
import { createAuthenticator } from "./plugins/auth.js";
import { useRateLimit } from "./plugins/rateLimit.js";
import { operationTypeExists } from "./plugins/operationType.js";
import { complexityLimitPlugin } from "./plugins/limits.js";
import { roleFieldRulesPlugin } from "./plugins/roles.js";
import { maskPersonalDataPlugin } from "./plugins/maskPersonalData.js";
import { trustedDocumentsPlugin } from "./plugins/trustedDocuments.js";
import { createSubscriptions } from "./subscriptions/index.js";
import { dashboardRoute } from "./dashboard.js";
import { publicPathsRoute } from "./publicPaths.js";

export type { GatewayContext } from "./context.js";
export type { GatewayOptions, GatewayLimits, SupergraphSource } from "./config.js";
export { gatewayLimitsFromConfig, authConfigFromConfig, parseSubgraphList } from "./config.js";
export type { AuthConfig } from "./plugins/auth.js";

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
      roleFieldRulesPlugin<GatewayContext>(),
      // personal:granted callers get raw values only where the individual subgraph found the person's grant; it refuses the rest.
      maskPersonalDataPlugin<GatewayContext>((ctx) => ctx.identity.scopes.has("personal:read") || ctx.identity.scopes.has("personal:granted")),
    ],
  });
  const authenticate = createAuthenticator(opts.auth);
  const rateLimit = useRateLimit(opts.limits.rate, logger);
  const subscriptions = opts.events
    ? await createSubscriptions({ apollo, gateway, ...opts.events, authenticate, gatewaySecret: opts.gatewaySecret, limits: opts.limits.complexity, logger })
    : undefined;
  await apollo.start();
  const server = createHttpService<GatewayContext, Identity>({
    name: "gateway",
    apollo,
    logger,
    maxBodyBytes: opts.limits.maxBodyBytes,
    routes: [
      ...(subscriptions ? [subscriptions.route] : []),
      dashboardRoute(),
      ...(opts.publicPaths?.length ? [publicPathsRoute(opts.publicPaths, logger)] : []),
      metricsRoute(() => {
        const live = subscriptions?.stats() ?? { groups: 0, members: 0 };
        return [
          { name: "hub_subscribers", help: "Subscriptions open now (WebSocket and SSE).", type: "gauge", value: live.members },
          { name: "hub_subscription_groups", help: "Running subscription operations, each shared by the subscribers with the same rights, document and variables.", type: "gauge", value: live.groups },
        ];
      }),
    ],
    maxBatch: opts.limits.maxBatch,
    admit: async (req) => rateLimit.admit(await authenticate(req)),
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
      await rateLimit.close();
    },
  };
}
