import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import { applyMigrations, defaultMigrationsDir, defaultSchemaDir, generateMigrationSql, writeMigration } from "./migrate.js";
import { SERVICES, requireServices } from "../test/services.js";

await requireServices("postgres");
const ADMIN_URL = SERVICES.postgres.url;
/** The same server with another database. */
const urlOf = (database: string) => Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
const TABLES = [
  "audit.query_registration",
  "audit.seal",
  "enterprise.administrative_license",
  "enterprise.administrative_penalty",
  "enterprise.enterprise",
  "individual.access_grant",
  "individual.individual",
  "individual.professional_qualification",
  "lists.interview",
  "lists.list_entry",
  "lists.list_entry_history",
  "lists.objection",
  "lists.outbox",
  "lists.repair_application",
];
const TABLES_SQL = `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
  WHERE table_schema IN ('audit', 'enterprise', 'individual', 'lists') ORDER BY 1`;
const RECORDED_SQL = `SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY 1`;

async function committedMigrations(): Promise<string[]> {
  const entries = await readdir(defaultMigrationsDir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** Runs `sql` on one database of the local server. */
async function onDb<T extends pg.QueryResultRow>(database: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: urlOf(database) });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("applyMigrations on PGlite", () => {
  const db = new PGlite();
  afterAll(() => db.close());

  it("creates the tables, records each migration once and is idempotent", async () => {
    const migrations = await committedMigrations();
    expect(migrations.length).toBeGreaterThan(0);

    const first = await applyMigrations(new PrismaPGlite(db));
    expect(first.applied).toEqual(migrations);
    const tables = (await db.query<{ name: string }>(TABLES_SQL)).rows.map((r) => r.name);
    expect(tables).toEqual(TABLES);
    const recorded = (await db.query<{ migration_name: string; finished: boolean }>(RECORDED_SQL)).rows;
    expect(recorded).toEqual(migrations.map((migration_name) => ({ migration_name, finished: true })));

    expect(await applyMigrations(new PrismaPGlite(db))).toEqual({ applied: [] });
    expect((await db.query(RECORDED_SQL)).rows).toHaveLength(migrations.length);
  });

  it("fails a broken migration instead of recording it as applied", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hub-migrations-"));
    const broken = new PGlite();
    try {
      await mkdir(join(dir, "20000101000000_broken"));
      await writeFile(join(dir, "20000101000000_broken", "migration.sql"), "CREATE TABLE t (x int);\nCREATE TABLE t (x int);\n");
      await expect(applyMigrations(new PrismaPGlite(broken), { migrationsDir: dir })).rejects.toThrow(/already exists/);
      const rows = (await broken.query<{ migration_name: string; finished: boolean }>(RECORDED_SQL)).rows;
      expect(rows).toEqual([{ migration_name: "20000101000000_broken", finished: false }]);
    } finally {
      await broken.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("applyMigrations on PostgreSQL", () => {
  const databases: string[] = [];
  const freshDatabase = async () => {
    const name = `hub_migrate_test_${randomBytes(6).toString("hex")}`;
    await onDb("postgres", `CREATE DATABASE "${name}"`);
    databases.push(name);
    return { name, url: urlOf(name) };
  };
  let migrations: string[] = [];

  beforeAll(async () => {
    migrations = await committedMigrations();
  });
  afterAll(async () => {
    for (const name of databases) await onDb("postgres", `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it("applies to a fresh database, then applies nothing", async () => {
    const { name, url } = await freshDatabase();
    expect(await applyMigrations(new PrismaPg({ connectionString: url }))).toEqual({ applied: migrations });
    expect((await onDb<{ name: string }>(name, TABLES_SQL)).map((r) => r.name)).toEqual(TABLES);
    expect(await applyMigrations(new PrismaPg({ connectionString: url }))).toEqual({ applied: [] });
    const recorded = await onDb(name, RECORDED_SQL);
    expect(recorded).toEqual(migrations.map((migration_name) => ({ migration_name, finished: true })));
  });

  it("lets two concurrent runs both succeed and applies each migration once", async () => {
    const { name, url } = await freshDatabase();
    // Separate factories, so separate pools, as two processes would have.
    const results = await Promise.all([
      applyMigrations(new PrismaPg({ connectionString: url })),
      applyMigrations(new PrismaPg({ connectionString: url })),
    ]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(migrations);
    const recorded = await onDb(name, RECORDED_SQL);
    expect(recorded).toEqual(migrations.map((migration_name) => ({ migration_name, finished: true })));
  });
});

/** A scratch folder for one test, removed after it. */
async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "hub-migrate-"));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("generateMigrationSql", () => {
  it("is empty when the committed migrations match every file of prisma/schema/", async () => {
    expect(await generateMigrationSql()).toBe("");
  });

  it("would drop a subgraph's tables if its schema file were left out", async () => {
    await withTempDir(async (schemaDir) => {
      await cp(defaultSchemaDir, schemaDir, { recursive: true });
      await rm(join(schemaDir, "monitoring.prisma"));
      const sql = await generateMigrationSql({ schemaDir });
      expect(sql).toContain('DROP TABLE "monitoring"."risk_alert"');
      expect(sql).not.toContain('"lists"');
    });
  });

  it("creates everything from scratch when there are no migrations", async () => {
    const sql = await generateMigrationSql({ migrationsDir: join(tmpdir(), `hub-no-migrations-${randomBytes(4).toString("hex")}`) });
    expect(sql).toContain('CREATE TABLE "enterprise"."enterprise"');
    expect(sql).toContain('CREATE TABLE "individual"."individual"');
  });
});

describe("writeMigration", () => {
  it("writes nothing, not even an empty folder, when the migrations match the schema", async () => {
    await withTempDir(async (migrationsDir) => {
      await cp(defaultMigrationsDir, migrationsDir, { recursive: true });
      const before = await readdir(migrationsDir, { recursive: true });
      expect(await writeMigration("nothing", { migrationsDir })).toBeNull();
      expect(await readdir(migrationsDir, { recursive: true })).toEqual(before);
    });
  });

  it("writes one migration folder and the lock file when there are changes", async () => {
    await withTempDir(async (migrationsDir) => {
      const written = await writeMigration("init", { migrationsDir });
      const entries = (await readdir(migrationsDir)).sort();
      expect(entries).toEqual([expect.stringMatching(/^\d{14}_init$/), "migration_lock.toml"]);
      expect(written).toBe(join(migrationsDir, entries[0], "migration.sql"));
    });
  });
});
