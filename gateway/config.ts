import type { HubConfig } from "../lib/config.js";
import type { Logger } from "../lib/logger.js";
import { localJwtSecret } from "../lib/auth/secrets.js";
import { HUB_TOKEN_NAME } from "../lib/auth/partnerToken.js";
import type { EventBus } from "../events/types.js";
import type { StreamDeclaration } from "../events/streams.js";
import type { ComplexityLimits } from "./complexity/index.js";
import type { AuthConfig } from "./plugins/auth.js";

/** Where the gateway gets its supergraph. */
export type SupergraphSource =
  | { kind: "sdl"; supergraphSdl: string }
  | { kind: "file"; path: string }
  /** Subgraphs running as their own processes: their SDL is fetched and composed at start. */
  | { kind: "subgraphs"; subgraphs: Array<{ name: string; url: string }> };

export interface GatewayOptions {
  source: SupergraphSource;
  port: number;
  host: string;
  /** Sent to our subgraphs so they trust the gateway with personal fields; absent for foreign supergraphs. */
  gatewaySecret?: string;
  auth: AuthConfig;
  limits: GatewayLimits;
  /** Event streams for subscriptions (graphql-ws on /graphql, SSE on /graphql/stream), as the subgraphs declare them. */
  events?: { bus: EventBus; maxQueue: number; streams: StreamDeclaration[] };
  introspection?: boolean;
  /** Paths served without a token by the service behind them (a subgraph's public pages): GETs under `prefix` are forwarded to `target`'s origin. */
  publicPaths?: Array<{ prefix: string; target: () => string | undefined }>;
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

/** The gateway's auth settings from the hub config (one place for the defaults). */
export function authConfigFromConfig(cfg: HubConfig): AuthConfig {
  if (cfg.HUB_AUTH === "off") return { mode: "off", city: cfg.HUB_AUTH_OFF_CITY, scopes: cfg.HUB_AUTH_OFF_SCOPES };
  const claims = cfg.HUB_TOKEN_CLAIM_CHECKS === "off" ? { issuer: null, audience: null } : { issuer: cfg.HUB_TOKEN_ISSUER ?? HUB_TOKEN_NAME, audience: cfg.HUB_TOKEN_AUDIENCE };
  if (cfg.HUB_JWKS_URL) return { mode: "on", tokens: { jwksUrl: cfg.HUB_JWKS_URL, claims } };
  return { mode: "on", tokens: { secret: cfg.HUB_JWT_SECRET ?? localJwtSecret(cfg.HUB_DATA_DIR), claims } };
}

/** `HUB_SUBGRAPHS=name=url,name=url`: subgraphs the gateway federates when they run as their own processes. */
export function parseSubgraphList(spec: string): Array<{ name: string; url: string }> {
  return spec.split(",").map((pair) => {
    const [name, url] = pair.split("=").map((s) => s.trim());
    if (!name || !url) throw new Error(`HUB_SUBGRAPHS entries are name=url, got '${pair}'`);
    return { name, url };
  });
}
