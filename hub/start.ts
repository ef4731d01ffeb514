import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../lib/logger.js";
import { openStore, type Store } from "../prisma/store.js";
import { seedDemoIfEmpty } from "../prisma/seed/demo.js";
import { startSubgraph, type RunningSubgraph } from "../lib/service/subgraph.js";
import type { RunningService } from "../lib/service/http.js";
import { openGraphStore } from "../graph/index.js";
import type { GraphStore } from "../graph/types.js";
import { composeSupergraph } from "../gateway/compose.js";
import { startGateway } from "../gateway/index.js";
import { createEventBus } from "../events/index.js";
import type { EventBus } from "../events/types.js";
import { subgraphModules } from "./subgraphs.js";
import { historyKeyFrom } from "../subgraphs/lists/domain/history.js";
import type { HubOptions } from "./options.js";

export type { HubOptions } from "./options.js";
export { hubOptionsFromConfig } from "./options.js";

export interface RunningHub {
  url: string;
  store: Store;
  bus: EventBus;
  graph: GraphStore;
  gateway: RunningService;
  subgraphs: Record<string, RunningSubgraph>;
  /** Seals every settled row of the tamper-evident tables now (it also happens every few seconds). */
  sealNow(): Promise<number>;
  close(): Promise<void>;
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
  // Without a configured one (tests, embedded trials), a key of this process: its history verifies while it runs.
  const ledgerKey = opts.ledger?.key ?? randomBytes(32).toString("base64url");
  // Likewise the report signing keys: kept in a folder of this process unless configured.
  const reportKeysDir = opts.reportKeysDir ?? mkdtempSync(join(tmpdir(), "hub-report-keys-"));
  try {
    await seedDemoIfEmpty(store, graphStore, { perCity: opts.seedPerCity, seed: opts.seed, historyKey: historyKeyFrom(ledgerKey) }, logger);
    // Shared with subgraphs run elsewhere (and benchmarks) when configured; private to this process otherwise.
    const gatewaySecret = opts.gatewaySecret ?? randomBytes(32).toString("base64url");
    const subgraphs: Record<string, RunningSubgraph> = {};
    const modules = subgraphModules(
      { HUB_MAX_PAGE_SIZE: opts.maxPageSize, HUB_SWEEP_INTERVAL_SECONDS: opts.sweepIntervalSeconds ?? 3600, HUB_GRAPH_SYNC_SECONDS: opts.graphSyncSeconds ?? 60, HUB_REPORT_KEYS_DIR: reportKeysDir, HUB_CHROMIUM: opts.chromium },
      { gatewaySecret, ledgerKey, urlOf: (name) => subgraphs[name]?.url, bus, graph: graphStore },
    );
    for (const [name, mod] of Object.entries(modules)) {
      subgraphs[name] = await startSubgraph(mod, { store, port: 0, host: "127.0.0.1", gatewaySecret, bus, ledger: opts.ledger, logger: logger.child({ subgraph: name }) });
      started.push(subgraphs[name]);
    }
    // Consumers find where they read from before any relay publishes: the demo's events (written
    // with the demo data, before any subgraph ran) reach the risk engine on every fresh start.
    for (const s of started) await s.startBackground();
    for (const s of started) s.startRelay();
    const supergraphSdl = composeSupergraph(
      Object.entries(modules).map(([name, mod]) => ({ name, url: subgraphs[name].url, typeDefs: mod.typeDefs })),
    );
    const gateway = await startGateway({
      source: { kind: "sdl", supergraphSdl }, port: opts.port, host: opts.host, gatewaySecret, auth: opts.auth, limits: opts.limits, events: { bus, maxQueue: events.maxQueue, streams: Object.values(modules).flatMap((m) => m.events?.streams ?? []) }, introspection: opts.introspection, logger: logger.child({ service: "gateway" }),
      publicPaths: Object.entries(modules).flatMap(([name, mod]) => (mod.publicRoutes?.prefixes ?? []).map((prefix) => ({ prefix, target: () => subgraphs[name]?.url }))),
    });
    return {
      url: gateway.url,
      store,
      bus,
      graph: graphStore,
      gateway,
      subgraphs,
      async sealNow() {
        let sealed = 0;
        for (const s of Object.values(subgraphs)) sealed += await s.sealNow();
        return sealed;
      },
      async close() {
        // Background work first: it calls other subgraphs, which must still answer meanwhile.
        const t0 = Date.now();
        await Promise.all(Object.entries(subgraphs).map(async ([name, s]) => {
          await s.stopBackground();
          logger.debug({ subgraph: name, ms: Date.now() - t0 }, "background work stopped");
        }));
        await gateway.close();
        logger.debug({ ms: Date.now() - t0 }, "gateway closed");
        for (const s of Object.values(subgraphs)) await s.close();
        await bus.close();
        // The graph last, then the process exits: kuzu's native objects are known to crash when
        // finalised after their database closed (kuzudb/kuzu#5881), so nothing runs after it.
        await store.close();
        await graphStore.close();
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
