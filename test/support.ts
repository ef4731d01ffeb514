import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startHub, type RunningHub, type HubOptions } from "../hub/start.js";
import { gatewayLimitsFromConfig } from "../gateway/index.js";
import { loadConfig } from "../lib/config.js";
import { createLogger } from "../lib/logger.js";
import type { StoreLocation } from "../prisma/store.js";
import { signPartnerToken } from "../lib/auth/partnerToken.js";
import { SERVICES } from "./services.js";

/** The partner-token secret of every test hub. */
export const TEST_JWT_SECRET = "test-secret-of-the-hub-0123456789abcdef";

export interface TokenClaims {
  sub?: string;
  city?: string;
  scopes?: string[];
  ttl?: string | number;
  role?: string;
  org?: string;
}

export function tokenFor(claims: TokenClaims = {}): Promise<string> {
  return signPartnerToken(TEST_JWT_SECRET, { sub: claims.sub ?? "test-partner", city: claims.city ?? "610800", scopes: claims.scopes ?? ["credit:read"], role: claims.role, org: claims.org }, claims.ttl ?? "10m");
}

/** The stores every cross-service test runs against: real PostgreSQL, then the embedded default. */
export const STORES = ["postgres", "embedded"] as const;
export type StoreKind = (typeof STORES)[number];

const ADMIN_URL = SERVICES.postgres.url;

/** A fresh PostgreSQL database for one test file; dropped by the returned function. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hub_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface QueryOptions {
  /** Claims of the token to send; `null` sends none. Default: credit:read for 榆林. */
  as?: TokenClaims | null;
  headers?: Record<string, string>;
}

export interface TestHub extends RunningHub {
  /** The ledger key this hub signs and seals with (history.ts historyKeyFrom derives the lists' history key from it). */
  ledgerKey: string;
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, opts?: QueryOptions): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
  /** Waits until background work (relays, graph sync, rule engine) stops sending SQL, so request counts are the request's. */
  settle(quietMs?: number): Promise<void>;
  /** Waits until exactly `n` subscriptions are open on the gateway (its /metrics), so events published next reach them. */
  untilSubscribers(n: number): Promise<void>;
}

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
}

export async function postGraphQL<T>(url: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as Omit<GraphQLResponse<T>, "status">;
  return { status: res.status, ...body };
}

/** Starts the real hub (gateway + subgraphs on free ports) on a fresh store with `perCity` demo enterprises per city. */
export async function startTestHub(kind: StoreKind, perCity: number, seed = 7, limitEnv: Record<string, string> = {}, extra: Partial<HubOptions> = {}): Promise<TestHub> {
  const db = kind === "postgres" ? await freshDatabase() : undefined;
  const store: StoreLocation = db ? { kind: "postgres", url: db.url, poolSize: 4 } : { kind: "embedded" };
  const anchors = mkdtempSync(join(tmpdir(), "hub-anchors-"));
  const ledgerKey = `ledger-key-of-this-test-hub-${randomBytes(8).toString("hex")}`;
  const hub = await startHub({
    ledger: { key: ledgerKey, anchorFile: join(anchors, "seals.log"), sealSeconds: 5 },
    store, port: 0, host: "127.0.0.1", seedPerCity: perCity, seed, maxPageSize: 100, logger: createLogger("test", process.env.TEST_LOG_LEVEL ?? "silent"),
    auth: { mode: "on", tokens: { secret: TEST_JWT_SECRET } },
    limits: gatewayLimitsFromConfig(loadConfig({ ...limitEnv })),
    ...extra,
  });
  return {
    ...hub,
    ledgerKey,
    async query(q, v, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.as !== null) headers.authorization = `Bearer ${await tokenFor(opts.as)}`;
      return postGraphQL(hub.url, q, v, headers);
    },
    async stop() {
      await hub.close();
      await db?.drop();
      rmSync(anchors, { recursive: true, force: true });
    },
    async untilSubscribers(n) {
      const metrics = hub.url.replace(/\/graphql$/, "/metrics");
      const end = Date.now() + 30_000;
      let seen = -1;
      while (Date.now() < end) {
        const text = await (await fetch(metrics)).text();
        seen = Number(/^hub_subscribers (\d+)$/m.exec(text)?.[1] ?? -1);
        if (seen === n) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`timed out waiting for ${n} open subscriptions on the gateway (last seen ${seen})`);
    },
    async settle(quietMs = 600) {
      // Background work is over when the bus has stopped growing, the risk engine has judged up
      // to its end, and no partner statement ran for a while (the relays and the engine work on
      // clients the statement counter leaves out, so the counter alone cannot tell).
      const end = Date.now() + 60_000;
      let last = "";
      let since = Date.now();
      while (Date.now() < end) {
        const latest = await hub.bus.latestSequence();
        const judged = (await hub.store.jobs.consumerPosition.findUnique({ where: { consumer: "risk-engine" } }))?.sequence ?? null;
        const now = `${latest}|${judged}|${hub.store.statements.count}`;
        if (now !== last) [last, since] = [now, Date.now()];
        else if (judged === latest && Date.now() - since >= quietMs) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`the hub's background work did not settle within 60 s (bus|engine|statements: ${last})`);
    },
  };
}
