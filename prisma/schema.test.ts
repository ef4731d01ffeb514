import { describe, expect, it } from "@jest/globals";
import { readdir } from "node:fs/promises";
import { basename, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import config from "../prisma.config.js";
import { Prisma } from "./generated/client.js";
import * as enums from "./generated/enums.js";
import { defaultMigrationsDir, defaultSchemaDir, readSchemaFiles } from "./migrate.js";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const files = await readSchemaFiles();
const byName = new Map(files.map((f) => [relative(defaultSchemaDir, f.path), f.content]));
const main = byName.get("schema.prisma") ?? "";
/** The PostgreSQL schemas the datasource declares: one file and one subgraph each. */
const pgSchemas = JSON.parse(/schemas\s*=\s*(\[[^\]]*\])/.exec(main)?.[1] ?? "[]") as string[];
const declared = (kind: "model" | "enum") =>
  files.flatMap((f) => [...f.content.matchAll(new RegExp(`^${kind} (\\w+) \\{`, "gm"))].map((m) => m[1])).sort();

describe("the schema folder prisma/schema/", () => {
  it("is what the Prisma CLI reads (prisma.config.ts) and where the migrations sit beside it", () => {
    expect(resolve(repoRoot, config.schema ?? "")).toBe(defaultSchemaDir);
    expect(resolve(repoRoot, config.migrations?.path ?? "")).toBe(defaultMigrationsDir);
  });

  it("holds schema.prisma and one file per PostgreSQL schema, and every one of them is read", async () => {
    expect(pgSchemas).toEqual(["audit", "enterprise", "individual", "lists", "measures", "monitoring", "ratings", "reports"]);
    const onDisk = (await readdir(defaultSchemaDir, { recursive: true })).filter((n) => n.endsWith(".prisma")).sort();
    const expected = ["schema.prisma", ...pgSchemas.map((s) => `${s}.prisma`)].sort();
    expect(onDisk).toEqual(expected);
    expect([...byName.keys()]).toEqual(expected);
  });

  it("keeps the generator and datasource in schema.prisma, and each model and enum in its schema's file", () => {
    expect(main).toMatch(/^generator client \{/m);
    expect(main).toMatch(/^datasource db \{/m);
    expect(main).not.toMatch(/^(model|enum) /m);
    for (const f of files.filter((f) => basename(f.path) !== "schema.prisma")) {
      const pgSchema = basename(f.path, ".prisma");
      expect(f.content).toMatch(new RegExp(`^// PostgreSQL schema \`${pgSchema}\`, owned by the ${pgSchema} subgraph`));
      const blocks = f.content.match(/^(model|enum) \w+ \{[\s\S]*?^\}/gm) ?? [];
      expect(blocks.length).toBeGreaterThan(0);
      const elsewhere = blocks.filter((b) => !b.includes(`@@schema("${pgSchema}")`)).map((b) => b.split(" {")[0]);
      expect(elsewhere).toEqual([]);
      expect(f.content).not.toMatch(/^(generator|datasource) /m);
    }
  });

  it("is generated whole: the client has every model and enum of every file", () => {
    expect(Object.values(Prisma.ModelName).sort()).toEqual(declared("model"));
    expect(Object.keys(enums).sort()).toEqual(declared("enum"));
  });
});
