import { join } from "node:path";
import type { HubConfig } from "../lib/config.js";
import { localLedgerKey } from "../lib/auth/secrets.js";
import type { Logger } from "../lib/logger.js";
import type { StoreLocation } from "../prisma/store.js";
import type { GraphConfig } from "../graph/index.js";
import { gatewayLimitsFromConfig, type GatewayLimits } from "../gateway/index.js";
import { authConfigFromConfig, type AuthConfig } from "../gateway/index.js";

/** Everything the composition root needs to start the hub, from the config or a test. */
export interface HubOptions {
  store: StoreLocation;
  port: number;
  host: string;
  /** Enterprises per city to generate when the store is empty (0 = none). */
  seedPerCity: number;
  seed: number;
  maxPageSize: number;
  /** Lists expiry sweep period (default hourly). */
  sweepIntervalSeconds?: number;
  /** The affiliate graph: Neo4j, or kuzu in a folder (no dir = in memory). */
  graph?: GraphConfig;
  graphSyncSeconds?: number;
  gatewaySecret?: string;
  /** Sealing of the tamper-evident tables (lib/service/ledger.ts); a fresh key in a temporary place when absent (tests). */
  ledger?: { key: string; anchorFile: string; sealSeconds: number };
  auth: AuthConfig;
  limits: GatewayLimits;
  /** Event bus settings (NATS, Redis, or in-process) and the per-subscriber queue bound. */
  events?: { redisUrl?: string; natsUrl?: string; streamName?: string; subjectPrefix?: string; maxQueue: number };
  introspection?: boolean;
  /** Where the cities' private report signing keys are kept; a fresh temporary folder when absent (tests). */
  reportKeysDir?: string;
  /** The Chromium that prints reports as PDF (HUB_CHROMIUM; Debian's /usr/bin/chromium when absent). */
  chromium?: string;
  logger?: Logger;
}

export function hubOptionsFromConfig(cfg: HubConfig, store: StoreLocation): HubOptions {
  return {
    store, port: cfg.PORT, host: cfg.HOST, seedPerCity: cfg.demo ? cfg.HUB_SEED_PER_CITY : 0, seed: cfg.HUB_SEED, maxPageSize: cfg.HUB_MAX_PAGE_SIZE, sweepIntervalSeconds: cfg.HUB_SWEEP_INTERVAL_SECONDS,
    graph: { neo4jUri: cfg.NEO4J_URI, neo4jUser: cfg.NEO4J_USER, neo4jPassword: cfg.NEO4J_PASSWORD, dataDir: join(cfg.HUB_DATA_DIR, "graph") },
    graphSyncSeconds: cfg.HUB_GRAPH_SYNC_SECONDS,
    gatewaySecret: cfg.HUB_GATEWAY_SECRET,
    ledger: { key: cfg.HUB_LEDGER_KEY ?? localLedgerKey(cfg.HUB_DATA_DIR), anchorFile: cfg.HUB_ANCHOR_FILE ?? join(cfg.HUB_DATA_DIR, "anchors", "seals.log"), sealSeconds: cfg.HUB_SEAL_SECONDS },
    auth: authConfigFromConfig(cfg), limits: gatewayLimitsFromConfig(cfg), introspection: cfg.HUB_INTROSPECTION,
    events: { redisUrl: cfg.REDIS_URL, natsUrl: cfg.NATS_URL, maxQueue: cfg.HUB_SUBSCRIBER_QUEUE },
    reportKeysDir: cfg.HUB_REPORT_KEYS_DIR ?? join(cfg.HUB_DATA_DIR, "report-keys"), chromium: cfg.HUB_CHROMIUM,
  };
}

