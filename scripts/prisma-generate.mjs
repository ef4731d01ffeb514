// Generates the Prisma client offline from the schema folder named in prisma.config.ts.
// `prisma generate` never runs the schema engine, but the CLI tries to download one
// unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file; this script points it at itself.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const self = fileURLToPath(import.meta.url);
execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? self,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
