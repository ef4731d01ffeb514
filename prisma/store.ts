import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "./generated/client.js";
import { applyMigrations } from "./migrate.js";
import { StatementCounter, countingFactory } from "./statementCounter.js";

export type { PrismaClient };

/** Where the relational data lives: a PostgreSQL server, or PGlite in this process. */
export type StoreLocation =
  | { kind: "postgres"; url: string; poolSize?: number }
  | { kind: "embedded"; dir?: string }; // no dir = in memory

export interface Store {
  kind: StoreLocation["kind"];
  prisma: PrismaClient;
  /** SQL statements sent so far through `prisma`. */
  statements: StatementCounter;
  /**
   * A second client for scheduled work (sweeps, outbox relay), not counted in
   * `statements`, so request batching is measured on requests alone.
   */
  jobs: PrismaClient;
  close(): Promise<void>;
}

/** DATABASE_URL wins; otherwise PGlite persisted under the data folder. */
export function storeLocationFromConfig(cfg: { DATABASE_URL?: string; HUB_DATA_DIR: string }): StoreLocation {
  return cfg.DATABASE_URL ? { kind: "postgres", url: cfg.DATABASE_URL } : { kind: "embedded", dir: join(cfg.HUB_DATA_DIR, "pg") };
}

/**
 * Opens the store and brings its schema up to date with the committed migrations
 * (idempotent), so every start, test and script sees the same tables.
 */
export async function openStore(location: StoreLocation): Promise<Store> {
  let factory: SqlMigrationAwareDriverAdapterFactory;
  let jobsFactory: SqlMigrationAwareDriverAdapterFactory;
  let closeDriver: () => Promise<void> = async () => {};
  if (location.kind === "postgres") {
    factory = new PrismaPg({ connectionString: location.url, max: location.poolSize ?? 10 });
    jobsFactory = new PrismaPg({ connectionString: location.url, max: 2 });
  } else {
    let pglite: PGlite;
    if (location.dir) {
      const dir = resolve(location.dir);
      mkdirSync(dir, { recursive: true });
      pglite = new PGlite(dir);
    } else {
      pglite = new PGlite();
    }
    await pglite.waitReady;
    factory = new PrismaPGlite(pglite);
    jobsFactory = new PrismaPGlite(pglite);
    closeDriver = () => pglite.close();
  }
  await applyMigrations(factory);
  const statements = new StatementCounter();
  const prisma = new PrismaClient({ adapter: countingFactory(factory, statements) });
  await prisma.$connect();
  const jobs = new PrismaClient({ adapter: jobsFactory });
  return {
    kind: location.kind,
    prisma,
    statements,
    jobs,
    async close() {
      await jobs.$disconnect();
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}
