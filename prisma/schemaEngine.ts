import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type {
  ApplyMigrationsInput,
  ApplyMigrationsOutput,
  DiffParams,
  DiffResult,
  SchemaContainer,
} from "@prisma/schema-engine-wasm/schema_engine_bg";
import {
  bindMigrationAwareSqlAdapterFactory,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";

export type {
  ApplyMigrationsInput,
  ApplyMigrationsOutput,
  DiffParams,
  DiffResult,
  MigrationList,
  SchemaContainer,
} from "@prisma/schema-engine-wasm/schema_engine_bg";

/** The schema engine commands the hub uses; `close` frees the engine and every connection it opened. */
export interface Engine {
  diff(params: DiffParams): Promise<DiffResult>;
  applyMigrations(input: ApplyMigrationsInput): Promise<ApplyMigrationsOutput>;
  close(): Promise<void>;
}

let loaded: Promise<void> | undefined;

/**
 * The package's main entry imports the `.wasm` as an ES module, which Node refuses,
 * so the wasm-bindgen glue is wired up by hand, once per process.
 */
function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const gluePath = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(gluePath.replace(/\.js$/, ".wasm"));
    // The glue module's exports are the wasm's imports; its namespace type is not WebAssembly.ModuleImports.
    const imports: WebAssembly.ModuleImports = { ...(bg as unknown as WebAssembly.ModuleImports) };
    // The engine arms a 10 s timer around its advisory lock and never clears it, which kept
    // every process alive 10 s after a migration: unref it so it cannot hold the event loop.
    for (const key of Object.keys(imports)) {
      if (key.startsWith("__wbg_setTimeout_")) imports[key] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
    }
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": imports });
    bg.__wbg_set_wasm(instance.exports);
    // wasm exports are untyped (WebAssembly.ExportValue); wasm-bindgen guarantees this one is a function.
    (instance.exports.__wbindgen_start as () => void)();
  })();
  loaded.catch(() => (loaded = undefined)); // let a later call retry
  return loaded;
}

/**
 * pglite-prisma-adapter 0.7.2 fires `client.exec(script)` without awaiting it: a failing
 * migration would be recorded as applied and its error escape as an unhandled rejection.
 * The PGlite instance is a private field, hence the structural probe.
 */
function awaitPgliteScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const client = (adapter as unknown as { client?: { exec?: unknown } }).client;
  if (adapter.adapterName !== "pglite-prisma-adapter" || typeof client?.exec !== "function") return adapter;
  const exec = client.exec.bind(client) as (sql: string) => Promise<unknown>;
  adapter.executeScript = async (script) => {
    try {
      await exec(script);
    } catch (e) {
      throw toDriverError(e);
    }
  };
  return adapter;
}

/** PGlite's DatabaseError carries the same fields as pg's; the engine understands only DriverAdapterError. */
function toDriverError(e: unknown): unknown {
  const pgErr = e as { code?: unknown; message?: unknown; severity?: unknown; detail?: unknown; hint?: unknown; column?: unknown };
  if (!(e instanceof Error) || typeof pgErr.code !== "string") return e;
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return new DriverAdapterError({
    kind: "postgres",
    code: pgErr.code,
    severity: str(pgErr.severity) ?? "ERROR",
    message: e.message,
    detail: str(pgErr.detail),
    column: str(pgErr.column),
    hint: str(pgErr.hint),
  });
}

/** Wraps the factory so the engine's connections can be disposed: the engine itself never disposes them. */
function trackingFactory(factory: SqlDriverAdapterFactory, opened: SqlDriverAdapter[]): SqlMigrationAwareDriverAdapterFactory {
  const track = async (connect: () => Promise<SqlDriverAdapter>) => {
    const adapter = awaitPgliteScripts(await connect());
    opened.push(adapter);
    return adapter;
  };
  const shadow = (factory as Partial<SqlMigrationAwareDriverAdapterFactory>).connectToShadowDb;
  return {
    adapterName: factory.adapterName,
    provider: factory.provider,
    connect: () => track(() => factory.connect()),
    connectToShadowDb: () =>
      shadow ? track(() => shadow.call(factory)) : Promise.reject(new Error(`${factory.adapterName} cannot open a shadow database`)),
  };
}

/** `schemaFiles`: every file of the Prisma schema folder (a multi-file schema is one datamodel). */
export async function openSchemaEngine(
  schemaFiles: SchemaContainer[],
  adapterFactory: SqlDriverAdapterFactory,
  onLog: (jsonLine: string) => void = () => {},
): Promise<Engine> {
  await loadWasm();
  const opened: SqlDriverAdapter[] = [];
  const bound = bindMigrationAwareSqlAdapterFactory(trackingFactory(adapterFactory, opened));
  const disposeAll = async () => {
    await Promise.allSettled(opened.splice(0).map((a) => a.dispose()));
  };
  let engine: bg.SchemaEngine;
  try {
    engine = await bg.SchemaEngine.new({ datamodels: schemaFiles.map((f) => [f.path, f.content]) }, onLog, bound);
  } catch (e) {
    await disposeAll();
    throw e;
  }
  return {
    diff: (params) => engine.diff(params),
    applyMigrations: (input) => engine.applyMigrations(input),
    async close() {
      engine.free();
      await disposeAll();
    },
  };
}
