// The servers the benches measure, each a child process: the hub as `npm start` runs it
// (every bench), and the stock Apollo gateway over the hub's subgraphs (the gateway bench).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Cleanup } from "./cleanup.js";
import { createBenchDatabase } from "./database.js";
import { spawnNode, type Child, type ChildExit } from "./children.js";
import { log } from "./figures.js";

export interface HubReady {
  url: string;
  subgraphs: Record<string, string>;
}

export interface HubProcess {
  child: Child;
  ready: HubReady;
  startSec: number;
  /**
   * Offered to the hub as HUB_GATEWAY_SECRET so the bench can sign the identity our
   * subgraphs require from the gateway. Works only if the hub uses it rather than a
   * secret of its own; otherwise direct subgraph requests are refused (and reported).
   */
  gatewaySecret: string;
  /** How the hub ended when cleanup stopped it (filled in by cleanup). */
  exit: { value: ChildExit | null };
  /** The hub's PostgreSQL database (postgres store only). */
  databaseUrl?: string;
  /** The hub's HUB_DATA_DIR (the embedded store is under `<dataDir>/pg`). */
  dataDir: string;
}

export interface HubProcessOptions {
  store: "postgres" | "embedded";
  seedPerCity: number;
  /** Directory for `node --cpu-prof` output of the hub, or "" for none. */
  cpuProfDir: string;
  /** Sent as `Authorization: Bearer` by the bench; without one the hub runs with HUB_AUTH=off. */
  token?: string;
  /** Extra environment for the hub (applied last: event bus URLs, queue sizes, scopes...). */
  env?: NodeJS.ProcessEnv;
  /**
   * Reuse this HUB_DATA_DIR (not removed by cleanup: its owner removes it), e.g. to start the
   * hub twice on one embedded store. Default: a fresh temporary directory, removed at cleanup.
   */
  dataDir?: string;
  /** PostgreSQL store: use this database (its owner drops it) instead of a fresh throw-away one. */
  databaseUrl?: string;
  /** How long the first start (migrations, demo seeding, the graph's first sync) may take; default 300 s. */
  readyTimeoutSec?: number;
}

export async function startHubProcess(opts: HubProcessOptions, cleanup: Cleanup): Promise<HubProcess> {
  let dataDir = opts.dataDir;
  if (!dataDir) {
    const fresh = await mkdtemp(join(tmpdir(), "hub-bench-"));
    cleanup.add("remove data dir", () => rm(fresh, { recursive: true, force: true }));
    dataDir = fresh;
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: "0",
    HOST: "127.0.0.1",
    HUB_DATA_DIR: dataDir,
    HUB_SEED_PER_CITY: String(opts.seedPerCity),
    // info, not warn: the subgraph URLs are only in the "hub ready" info line.
    LOG_LEVEL: "info",
    HUB_GATEWAY_SECRET: randomBytes(32).toString("base64url"),
  };
  // Local trials' mode where the hub has partner auth: every request acts as one partner
  // without personal:read, so answers stay masked. Ignored by a hub without auth.
  if (!opts.token) env.HUB_AUTH = "off";
  // One partner sends every bench request: the per-partner rate limit must not be what is
  // measured. Its code path still runs, so its cost stays in the numbers.
  env.HUB_RATE_PER_SECOND = "1000000";
  env.HUB_RATE_BURST = "1000000";
  delete env.DATABASE_URL; // embedded means embedded, whatever the caller's shell has
  if (opts.store === "postgres" && opts.databaseUrl) {
    env.DATABASE_URL = opts.databaseUrl;
  } else if (opts.store === "postgres") {
    const db = await createBenchDatabase();
    cleanup.add(`drop database ${db.name}`, db.drop);
    env.DATABASE_URL = db.url;
    log(`database ${db.name}`);
  }

  Object.assign(env, opts.env ?? {});
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v === undefined) delete env[k];

  log(`starting hub (${opts.store}, ${opts.seedPerCity} enterprises per city)`);
  const started = Date.now();
  const child = spawnNode({
    name: "hub",
    script: "scripts/start.ts",
    env,
    timeoutMs: opts.readyTimeoutSec ? opts.readyTimeoutSec * 1000 : undefined,
    nodeArgs: opts.cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", opts.cpuProfDir] : [],
    pick: (line) => {
      if (!line.startsWith("{")) return undefined;
      const rec = JSON.parse(line) as { msg?: string; url?: string; subgraphs?: Record<string, string> };
      return rec.msg === "hub ready" && rec.url && rec.subgraphs ? ({ url: rec.url, subgraphs: rec.subgraphs } satisfies HubReady) : undefined;
    },
  });
  const exit: HubProcess["exit"] = { value: null };
  // A profile is written only on a normal exit: give the hub time to exit by itself.
  cleanup.add("stop hub", async () => {
    exit.value = await child.stop(opts.cpuProfDir ? 15_000 : 5_000);
  });
  const ready = (await child.ready) as HubReady;
  const startSec = (Date.now() - started) / 1000;
  log(`hub ready in ${startSec} s: ${ready.url}`);
  return { child, ready, startSec, gatewaySecret: env.HUB_GATEWAY_SECRET!, exit, databaseUrl: env.DATABASE_URL, dataDir };
}

/** The stock gateway over the hub's subgraphs, or the reason it could not start. */
export async function startStockGateway(subgraphs: Record<string, string>, forwardHeaders: string[], cleanup: Cleanup): Promise<{ child: Child; url: string } | { problem: string }> {
  const child = spawnNode({
    name: "stock",
    script: "bench/stockGateway.ts",
    env: { ...process.env, BENCH_SUBGRAPHS: Object.entries(subgraphs).map(([n, u]) => `${n}=${u}`).join(","), BENCH_FORWARD_HEADERS: forwardHeaders.join(","), PORT: "0" },
    pick: (line) => (line.startsWith('{"stockGateway"') ? (JSON.parse(line) as { stockGateway: string }).stockGateway : undefined),
    timeoutMs: 60_000,
  });
  cleanup.add("stop stock gateway", async () => void (await child.stop()));
  try {
    const url = (await child.ready) as string;
    log(`stock gateway ready: ${url}`);
    return { child, url };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(`stock gateway did not start: ${message}`);
    return { problem: `did not start: ${message.slice(0, 600)}` };
  }
}
