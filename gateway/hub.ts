import { randomBytes } from "node:crypto";
import type { HubConfig } from "../lib/config.js";
import { createLogger, type Logger } from "../lib/logger.js";
import { openStore, type Store, type StoreLocation } from "../lib/db/store.js";
import { startSubgraph, type RunningSubgraph } from "../lib/subgraph.js";
import type { RunningService } from "../lib/http.js";
import { subgraphModules } from "../subgraphs/index.js";
import { seedStore } from "../prisma/seed/load.js";
import { partnerCities } from "../lib/cities.js";
import { seedListsDemo } from "../subgraphs/lists/demo.js";
import { generateEnterprises } from "../prisma/seed/generator.js";
import { openGraphStore, loadDemo, syncFromRelational, type GraphConfig } from "../graph/index.js";
import type { GraphStore } from "../graph/types.js";
import { join } from "node:path";
import { loadRules } from "../subgraphs/lists/rules/index.js";
import { composeSupergraph } from "./compose.js";
import { startGateway, gatewayLimitsFromConfig, type GatewayLimits } from "./index.js";
import { authConfigFromConfig, type AuthConfig } from "./auth.js";
import { createEventBus } from "../lib/events/index.js";
import type { EventBus } from "../lib/events/types.js";

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
  auth: AuthConfig;
  limits: GatewayLimits;
  /** Event bus settings (NATS, Redis, or in-process) and the per-subscriber queue bound. */
  events?: { redisUrl?: string; natsUrl?: string; streamName?: string; subjectPrefix?: string; maxQueue: number };
  introspection?: boolean;
  logger?: Logger;
}

export interface RunningHub {
  url: string;
  store: Store;
  bus: EventBus;
  graph: GraphStore;
  gateway: RunningService;
  subgraphs: Record<string, RunningSubgraph>;
  close(): Promise<void>;
}

export function hubOptionsFromConfig(cfg: HubConfig, store: StoreLocation): HubOptions {
  return {
    store, port: cfg.PORT, host: cfg.HOST, seedPerCity: cfg.HUB_SEED_PER_CITY, seed: cfg.HUB_SEED, maxPageSize: cfg.HUB_MAX_PAGE_SIZE, sweepIntervalSeconds: cfg.HUB_SWEEP_INTERVAL_SECONDS,
    graph: { neo4jUri: cfg.NEO4J_URI, neo4jUser: cfg.NEO4J_USER, neo4jPassword: cfg.NEO4J_PASSWORD, dataDir: join(cfg.HUB_DATA_DIR, "graph") },
    graphSyncSeconds: cfg.HUB_GRAPH_SYNC_SECONDS,
    gatewaySecret: cfg.HUB_GATEWAY_SECRET,
    auth: authConfigFromConfig(cfg), limits: gatewayLimitsFromConfig(cfg), introspection: cfg.HUB_INTROSPECTION,
    events: { redisUrl: cfg.REDIS_URL, natsUrl: cfg.NATS_URL, maxQueue: cfg.HUB_SUBSCRIBER_QUEUE },
  };
}

/**
 * The whole hub in one process (the default for `npm start` and the tests):
 * one store, every subgraph on its own free port, and the gateway over them.
 * Production runs the same pieces as separate processes.
 */
export async function startHub(opts: HubOptions): Promise<RunningHub> {
  const logger = opts.logger ?? createLogger("hub");
  const store = await openStore(opts.store);
  const graphStore = await openGraphStore(opts.graph ?? {});
  const events = opts.events ?? { maxQueue: 1000 };
  const bus = await createEventBus({ redisUrl: events.redisUrl, natsUrl: events.natsUrl, streamName: events.streamName, subjectPrefix: events.subjectPrefix });
  const started: RunningSubgraph[] = [];
  try {
    if (opts.seedPerCity > 0 && (await store.prisma.enterprise.count()) === 0) {
      const enterprises = opts.seedPerCity * partnerCities().length;
      logger.info({ enterprises, seed: opts.seed }, "empty store: generating demo data");
      const summary = await seedStore(store.prisma, { enterprises, seed: opts.seed });
      const lists = await seedListsDemo(store.prisma, loadRules(), { seed: opts.seed, enterprises });
      // Ownership structures (chains, pyramids, cycles...) hung on the first generated enterprises.
      const anchors = [...generateEnterprises({ seed: opts.seed, enterprises: Math.min(enterprises, 50) })].map((g) => g.enterprise.uscc);
      await syncFromRelational(graphStore, store.jobs);
      const demo = await loadDemo(graphStore, opts.seed, { anchors });
      logger.info({ ...summary, listEntries: lists, graphNodes: demo.nodes.length, graphEdges: demo.edges.length }, "demo data ready");
    }
    // Shared with subgraphs run elsewhere (and benchmarks) when configured; private to this process otherwise.
    const gatewaySecret = opts.gatewaySecret ?? randomBytes(32).toString("base64url");
    const subgraphs: Record<string, RunningSubgraph> = {};
    const modules = subgraphModules(
      { HUB_MAX_PAGE_SIZE: opts.maxPageSize, HUB_SWEEP_INTERVAL_SECONDS: opts.sweepIntervalSeconds ?? 3600, HUB_GRAPH_SYNC_SECONDS: opts.graphSyncSeconds ?? 60 },
      { gatewaySecret, enterpriseUrl: () => subgraphs.enterprise?.url, listsUrl: () => subgraphs.lists?.url, relationsUrl: () => subgraphs.relations?.url, bus, graph: graphStore },
    );
    for (const [name, mod] of Object.entries(modules)) {
      subgraphs[name] = await startSubgraph(mod, { store, port: 0, host: "127.0.0.1", gatewaySecret, logger: logger.child({ subgraph: name }) });
      started.push(subgraphs[name]);
    }
    const supergraphSdl = composeSupergraph(
      Object.entries(modules).map(([name, mod]) => ({ name, url: subgraphs[name].url, typeDefs: mod.typeDefs })),
    );
    const gateway = await startGateway({
      source: { kind: "sdl", supergraphSdl }, port: opts.port, host: opts.host, gatewaySecret, auth: opts.auth, limits: opts.limits, events: { bus, maxQueue: events.maxQueue }, introspection: opts.introspection, logger: logger.child({ service: "gateway" }),
    });
    return {
      url: gateway.url,
      store,
      bus,
      graph: graphStore,
      gateway,
      subgraphs,
      async close() {
        // Background work first: it calls other subgraphs, which must still answer meanwhile.
        await Promise.all(Object.values(subgraphs).map((s) => s.stopBackground()));
        await gateway.close();
        for (const s of Object.values(subgraphs)) await s.close();
        await bus.close();
        await graphStore.close();
        await store.close();
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.stopBackground()));
    for (const s of started) await s.close();
    await bus.close();
    await graphStore.close();
    await store.close();
    throw err;
  }
}
