// What the schema language cannot say, applied after the migrations at every start: the guards under prisma/guards/.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";

export const defaultGuardsDir = fileURLToPath(new URL("./guards/", import.meta.url));

/** Statements of a guard script: each ends with a semicolon at the end of a line followed by a blank line (function bodies hold semicolons of their own). */
export function statementsOf(script: string): string[] {
  return script.split(/;[ \t]*\n[ \t]*\n/).map((s) => s.replace(/^(\s*--[^\n]*\n)+/, "").trim()).filter((s) => s.length > 0).map((s) => (s.endsWith(";") ? s : `${s};`));
}

/** Runs every guard script (idempotent DDL such as triggers), in name order. */
export async function applyGuards(factory: SqlDriverAdapterFactory, dir = defaultGuardsDir): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".sql")).sort();
  if (names.length === 0) return [];
  const adapter = await factory.connect();
  try {
    for (const name of names) {
      for (const sql of statementsOf(await readFile(join(dir, name), "utf8"))) await adapter.executeRaw({ sql, args: [], argTypes: [] });
    }
  } finally {
    await adapter.dispose();
  }
  return names;
}
