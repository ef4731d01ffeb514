// Tells the Prisma CLI where the schema folder and the migrations are: postinstall's
// `prisma generate`, `prisma validate` / `prisma format`, and `prisma migrate deploy`
// for a team with the native engine. The hub's own migration code reads the same paths
// (prisma/migrate.ts); prisma/schemaFiles.test.ts checks that they agree.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
});
