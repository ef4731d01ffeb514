import { z } from "zod";

// The gateway must never phone home: set before any Apollo package reads it.
process.env.APOLLO_TELEMETRY_DISABLED = "1";

const port = z.coerce.number().int().min(0).max(65535);

/** Every setting the hub reads from the environment, checked once at start. */
const schema = z
  .object({
  PORT: port.default(4000),
  HOST: z.string().default("127.0.0.1"),
  HUB_DATA_DIR: z.string().default(".data"),
  DATABASE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NODE_ENV: z.string().default("development"),
  /** Enterprises per partner city generated on the first start of an empty store. */
  HUB_SEED_PER_CITY: z.coerce.number().int().min(0).default(2000),
  /** Demo data seed: the same number gives the same records. */
  HUB_SEED: z.coerce.number().int().default(20260401),
  /**
   * Demo data on the first start of an empty store: on by default only for the embedded
   * store outside production; `true` asks for it on PostgreSQL; refused in production.
   */
  HUB_DEMO: z.enum(["true", "false"]).optional(),
  /** `name=url,name=url`: subgraphs the gateway federates when they run as their own processes. */
  HUB_SUBGRAPHS: z.string().optional(),
  /** A Federation 2 supergraph composed ahead of time; the gateway serves it as is. */
  HUB_SUPERGRAPH: z.string().optional(),
  /** Port for `npm run start:subgraph -- <name>` (0 = any free port). */
  SUBGRAPH_PORT: port.default(0),
  /** Shared by the gateway and subgraphs run as separate processes; proves a request is the gateway's. */
  HUB_GATEWAY_SECRET: z.string().min(16).optional(),
  /** Introspection and field suggestions are off unless this is "true". */
  HUB_INTROSPECTION: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  /** Largest `first` a connection field accepts. */
  HUB_MAX_PAGE_SIZE: z.coerce.number().int().min(1).default(100),
  /** HS256 secret for partner tokens; without it (and without a JWKS URL) a local one is kept under HUB_DATA_DIR. */
  HUB_JWT_SECRET: z.string().min(32, "use at least 32 characters").optional(),
  /** JWKS URL of the partners' identity provider (RS256/ES256 tokens). */
  HUB_JWKS_URL: z.string().url().optional(),
  /** The `iss` partner tokens must carry; the hub's own name (what `npm run token` signs) unless set. */
  HUB_TOKEN_ISSUER: z.string().min(1).optional(),
  /** The `aud` partner tokens must carry. */
  HUB_TOKEN_AUDIENCE: z.string().min(1).default("yellow-river-credit-hub"),
  /** `off` skips the issuer and audience checks (local trials with foreign tokens); refused in production. */
  HUB_TOKEN_CLAIM_CHECKS: z.enum(["on", "off"]).default("on"),
  /** `off` accepts requests without a token, as HUB_AUTH_OFF_CITY with HUB_AUTH_OFF_SCOPES (local trials only). */
  HUB_AUTH: z.enum(["on", "off"]).default("on"),
  HUB_AUTH_OFF_CITY: z.string().default("610800"),
  HUB_AUTH_OFF_SCOPES: z.string().default("credit:read,graph:read"),
  /** Operations are refused before execution beyond these (QUERY_TOO_COMPLEX). */
  HUB_MAX_DEPTH: z.coerce.number().int().min(1).default(12),
  HUB_MAX_COST: z.coerce.number().int().min(1).default(25000),
  /** Assumed size of a list field without `first` when computing cost. */
  HUB_DEFAULT_LIST_SIZE: z.coerce.number().int().min(1).default(10),
  /** Per-partner token bucket: burst size and sustained requests per second. */
  HUB_RATE_BURST: z.coerce.number().int().min(1).default(200),
  HUB_RATE_PER_SECOND: z.coerce.number().min(0.01).default(100),
  /** Shared rate-limit buckets across gateway instances, and the event bus (Redis Streams) unless NATS_URL is set. */
  REDIS_URL: z.string().url().optional(),
  /** Event bus on NATS JetStream; in-process when neither NATS_URL nor REDIS_URL is set. */
  NATS_URL: z.string().optional(),
  /** Events a subscriber may have waiting before it is dropped as too slow. */
  HUB_SUBSCRIBER_QUEUE: z.coerce.number().int().min(1).default(1000),
  HUB_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  /** Most operations in one batched HTTP request. */
  HUB_MAX_BATCH: z.coerce.number().int().min(1).default(10),
  /** Lists: how often the expiry sweep runs. */
  HUB_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(3600),
  /** Where a separately run lists subgraph finds the enterprise subgraph (responsible persons, F19). */
  HUB_ENTERPRISE_URL: z.string().url().optional(),
  /** The affiliate graph on Neo4j; the embedded kuzu store under HUB_DATA_DIR/graph otherwise. */
  NEO4J_URI: z.string().optional(),
  NEO4J_USER: z.string().optional(),
  NEO4J_PASSWORD: z.string().optional(),
  /** How often the graph takes the relational records' changes (a full sync runs at start). */
  HUB_GRAPH_SYNC_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Key of the seals over tamper-evident tables (list history, query registrations); kept under HUB_DATA_DIR when unset outside production. */
  HUB_LEDGER_KEY: z.string().min(32, "use at least 32 characters").optional(),
  /** Where seals are anchored outside the database (append-only); default HUB_DATA_DIR/anchors/seals.log. */
  HUB_ANCHOR_FILE: z.string().optional(),
  /** How often new rows of tamper-evident tables are sealed. */
  HUB_SEAL_SECONDS: z.coerce.number().min(0.1).default(5),
  /** Where the cities' private report signing keys are kept (PKCS#8 PEM per city folder); default HUB_DATA_DIR/report-keys. */
  HUB_REPORT_KEYS_DIR: z.string().optional(),
  /** The Chromium that prints reports as PDF (Debian's package by default). */
  HUB_CHROMIUM: z.string().optional(),
  /** Allow-list mode: a persisted-query manifest; only its operations run. */
  HUB_TRUSTED_DOCUMENTS: z.string().optional(),
})
  .refine((c) => !(c.HUB_AUTH === "off" && c.NODE_ENV === "production"), {
    message: "HUB_AUTH=off is refused when NODE_ENV=production",
    path: ["HUB_AUTH"],
  })
  .refine((c) => !(c.NODE_ENV === "production" && !c.HUB_JWT_SECRET && !c.HUB_JWKS_URL), {
    message: "production needs HUB_JWT_SECRET or HUB_JWKS_URL",
    path: ["HUB_JWT_SECRET"],
  })
  .refine((c) => !(c.NODE_ENV === "production" && c.HUB_TOKEN_CLAIM_CHECKS === "off"), {
    message: "HUB_TOKEN_CLAIM_CHECKS=off is refused when NODE_ENV=production: tokens are checked for issuer and audience",
    path: ["HUB_TOKEN_CLAIM_CHECKS"],
  })
  .refine((c) => !(c.NODE_ENV === "production" && c.HUB_JWKS_URL && !c.HUB_TOKEN_ISSUER), {
    message: "production with HUB_JWKS_URL needs HUB_TOKEN_ISSUER: the identity provider's issuer its tokens carry",
    path: ["HUB_TOKEN_ISSUER"],
  })
  .refine((c) => !(c.NODE_ENV === "production" && !c.HUB_LEDGER_KEY), {
    message: "production needs HUB_LEDGER_KEY: the key that seals the tamper-evident tables, never stored in the database",
    path: ["HUB_LEDGER_KEY"],
  })
  .refine((c) => !(c.NODE_ENV === "production" && c.HUB_DEMO === "true"), {
    message: "HUB_DEMO=true is refused when NODE_ENV=production: demo data never goes into a production database",
    path: ["HUB_DEMO"],
  })
  .transform((c) => ({ ...c, demo: c.HUB_DEMO ? c.HUB_DEMO === "true" : c.NODE_ENV !== "production" && !c.DATABASE_URL }));

export type HubConfig = z.infer<typeof schema>;

/** A setting the hub cannot start with; its message names the variables, on one line. */
export class ConfigError extends Error {
  constructor(readonly variables: string[], detail: string) {
    super(`invalid configuration: ${detail}`);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(parsed.error.issues.map((i) => i.path.join(".")), issues.join("; "));
  }
  return parsed.data;
}
