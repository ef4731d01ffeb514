import { access, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyGuards } from "./guards.js";
import type { SqlDriverAdapterFactory, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { openSchemaEngine, type MigrationList, type SchemaContainer } from "./schemaEngine.js";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));
/** The Prisma schema folder: schema.prisma (generator, datasource) and one file per subgraph's PostgreSQL schema. */
export const defaultSchemaDir = join(repoRoot, "prisma", "schema");
export const defaultMigrationsDir = join(repoRoot, "prisma", "migrations");

export interface MigrationPaths {
  migrationsDir?: string;
  schemaDir?: string;
}

const filters = { externalTables: [], externalEnums: [] };

/**
 * Our own lock, held for a whole run. Not the engine's key (72707369): the engine takes that
 * one on its own connection within this process and would block on us.
 */
const HUB_MIGRATION_LOCK = 72707370;

/**
 * Every `.prisma` file under `dir`, subfolders included, sorted: the files the Prisma CLI
 * loads when given the folder (prisma.config.ts), so client and migrations see one schema.
 */
export async function readSchemaFiles(dir: string = defaultSchemaDir): Promise<SchemaContainer[]> {
  const names = (await readdir(dir, { recursive: true })).filter((name) => name.endsWith(".prisma")).sort();
  if (names.length === 0) throw new Error(`no .prisma files in ${dir}`);
  return Promise.all(names.map(async (name) => ({ path: join(dir, name), content: await readFile(join(dir, name), "utf8") })));
}

/** Loads the migrations folder the way the Prisma CLI does before calling the engine. */
async function readMigrations(dir: string): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return [];
    throw e;
  });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => {
      // A missing file is passed on as an error, as the CLI does, so the engine refuses to go on.
      const content = await readFile(join(dir, name, "migration.sql"), "utf8").then(
        (value) => ({ tag: "ok" as const, value }),
        (e: Error) => ({ tag: "error" as const, value: e.message }),
      );
      return { path: name, migrationFile: { path: "migration.sql", content } };
    }),
  );
  const lockfile = await readFile(join(dir, "migration_lock.toml"), "utf8").catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: lockfile },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/**
 * Serialises runs across processes with a transaction-scoped advisory lock on a dedicated
 * connection. The engine's own lock (SELECT pg_advisory_lock(72707369)) gives up after 10 s
 * and, through a pool, lingers on whichever connection ran it until that pool ends.
 * PGlite is skipped: it is one in-process connection, and an open transaction there
 * would block the engine's own queries.
 */
async function withMigrationLock<T>(factory: SqlDriverAdapterFactory, run: () => Promise<T>): Promise<T> {
  if (factory.adapterName === "pglite-prisma-adapter") return run();
  const conn = await factory.connect();
  try {
    const tx = await conn.startTransaction();
    try {
      await tx.executeRaw({ sql: `SELECT pg_advisory_xact_lock(${HUB_MIGRATION_LOCK})`, args: [], argTypes: [] });
      return await run();
    } finally {
      // Adapters without phantom queries (adapter-pg) leave the ROLLBACK statement to the caller.
      if (!tx.options.usePhantomQuery) await tx.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] }).catch(() => {});
      await tx.rollback();
    }
  } finally {
    await conn.dispose();
  }
}

/**
 * Applies the committed migrations that the database lacks, recording them in
 * `_prisma_migrations` as `prisma migrate deploy` does. Idempotent.
 */
export async function applyMigrations(
  adapterFactory: SqlDriverAdapterFactory,
  opts: MigrationPaths = {},
): Promise<{ applied: string[] }> {
  const migrationsList = await readMigrations(opts.migrationsDir ?? defaultMigrationsDir);
  if (migrationsList.migrationDirectories.length === 0) return { applied: [] };
  const schemaFiles = await readSchemaFiles(opts.schemaDir);
  return withMigrationLock(adapterFactory, async () => {
    const engine = await openSchemaEngine(schemaFiles, adapterFactory);
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters });
      return { applied: appliedMigrationNames };
    } finally {
      // Ends the engine's pool, which also releases its session advisory lock.
      await engine.close();
    }
  }).then(async (r) => {
    // Under the same lock: two starts never replace one trigger at once.
    await withMigrationLock(adapterFactory, () => applyGuards(adapterFactory));
    return r;
  });
}

/**
 * SQL taking a database from the committed migrations to the schema folder; "" when they
 * already match. The migrations are replayed on throwaway in-memory PGlite databases.
 */
export async function generateMigrationSql(opts: MigrationPaths = {}): Promise<string> {
  const [schemaFiles, migrationsList] = await Promise.all([
    readSchemaFiles(opts.schemaDir),
    readMigrations(opts.migrationsDir ?? defaultMigrationsDir),
  ]);
  const databases: PGlite[] = [];
  const fresh = () => {
    const db = new PGlite();
    databases.push(db);
    return new PrismaPGlite(db);
  };
  const main = fresh();
  // PrismaPGlite's own shadow is never closed; these are.
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    adapterName: main.adapterName,
    provider: main.provider,
    connect: () => main.connect(),
    connectToShadowDb: () => fresh().connect(),
  };
  try {
    const engine = await openSchemaEngine(schemaFiles, factory);
    try {
      const { exitCode, stdout } = await engine.diff({
        from: migrationsList.migrationDirectories.length ? { tag: "migrations", ...migrationsList } : { tag: "empty" },
        to: { tag: "schemaDatamodel", files: schemaFiles },
        script: true,
        exitCode: true, // 2 when there is a difference; an empty diff still prints a comment
        filters,
      });
      const sql = stdout ?? "";
      return exitCode !== 0 && hasStatements(sql) ? sql : "";
    } finally {
      await engine.close();
    }
  } finally {
    await Promise.allSettled(databases.map((db) => db.close()));
  }
}

/** Whether the engine's script holds any SQL beyond `--` comments ("-- This is an empty migration."). */
function hasStatements(sql: string): boolean {
  return sql.split("\n").some((line) => line.trim() !== "" && !line.trim().startsWith("--"));
}

const LOCKFILE = `# Please do not edit this file manually
# It should be added in your version-control system (e.g., Git)
provider = "postgresql"
`;

/** UTC, as the Prisma CLI names migration folders. */
function timestamp(d = new Date()): string {
  return d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/**
 * Writes `<migrationsDir>/<timestamp>_<name>/migration.sql` from `generateMigrationSql`, as
 * `prisma migrate dev --create-only` would. Returns the file written, or null when the
 * migrations already match the schema: then nothing is created, not even an empty folder.
 */
export async function writeMigration(name: string, opts: MigrationPaths = {}): Promise<string | null> {
  const sql = await generateMigrationSql(opts);
  if (!sql) return null;
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir;
  const dir = join(migrationsDir, `${timestamp()}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "migration.sql"), sql);
  const lockPath = join(migrationsDir, "migration_lock.toml");
  if (!(await access(lockPath).then(() => true, () => false))) await writeFile(lockPath, LOCKFILE);
  return join(dir, "migration.sql");
}
