// Applies the committed migrations: to DATABASE_URL when set, else to the embedded PGlite store.
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations } from "../prisma/migrate.js";

const url = process.env.DATABASE_URL;
if (url) {
  const { applied } = await applyMigrations(new PrismaPg({ connectionString: url }));
  console.log(JSON.stringify({ target: "DATABASE_URL", applied }));
} else {
  // Same place the store opens (prisma/store.ts): relative to the working directory.
  const dir = resolve(process.env.HUB_DATA_DIR ?? ".data", "pg");
  await mkdir(dir, { recursive: true });
  const pglite = new PGlite(dir);
  try {
    const { applied } = await applyMigrations(new PrismaPGlite(pglite));
    console.log(JSON.stringify({ target: dir, applied }));
  } finally {
    await pglite.close();
  }
}
