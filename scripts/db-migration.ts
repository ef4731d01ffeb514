// Writes prisma/migrations/<timestamp>_<name>/migration.sql from the diff between the
// committed migrations and the schema folder prisma/schema/ (the native `prisma migrate dev`
// cannot run offline).
import { writeMigration } from "../prisma/migrate.js";

const raw = process.argv[2];
const name = raw?.trim().replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
if (!name) {
  console.error("usage: tsx scripts/db-migration.ts <name>");
  process.exit(1);
}

const written = await writeMigration(name);
console.log(written ? `wrote ${written}` : "no changes: the migrations already match prisma/schema/");
