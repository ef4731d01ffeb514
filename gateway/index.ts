import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { ApolloGateway, IntrospectAndCompose } from "@apollo/gateway";
import { createHttpService, listen, type RunningService } from "../lib/http.js";
import { formatErrorFor } from "../lib/errors.js";
import { createLogger, type Logger } from "../lib/logger.js";
import { createDataSource } from "./dataSource.js";
import { maskPersonalDataPlugin } from "./plugins/maskPersonalData.js";
import { createAuthenticator, type AuthConfig } from "./auth.js";
import { signIdentity } from "../lib/auth/internalToken.js";
import type { Identity } from "../lib/auth/identity.js";

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
  introspection?: boolean;
  logger?: Logger;
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
    introspection: opts.introspection ?? false,
    csrfPrevention: true,
    formatError: formatErrorFor(logger),
    logger,
    plugins: [maskPersonalDataPlugin<GatewayContext>((ctx) => ctx.identity.scopes.has("personal:read"))],
  });
  await apollo.start();
  const authenticate = createAuthenticator(opts.auth);
  const server = createHttpService<GatewayContext, Identity>({
    name: "gateway",
    apollo,
    logger,
    admit: authenticate,
    context: async ({ admission: identity }) => ({
      identity,
      internalToken: opts.gatewaySecret ? await signIdentity(identity, opts.gatewaySecret) : undefined,
    }),
  });
  const running = await listen(server, opts.port, opts.host);
  logger.info({ url: running.url }, "gateway listening");
  return {
    ...running,
    async close() {
      await running.close();
      await apollo.stop();
    },
  };
}
