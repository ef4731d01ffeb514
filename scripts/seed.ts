/**
 * Seeds the configured store with deterministic demo data.
 *
 *   tsx scripts/seed.ts --enterprises 100000 --seed 1 [--batch 1000] [--method sql|createMany]
 *
 * Progress goes to stderr; a JSON summary (counts, seconds, rows/s, peak RSS) to stdout.
 * Re-running with the same seed inserts nothing new (see prisma/seed/load.ts).
 */
import { parseArgs } from "node:util";
import { loadConfigOrExit } from "./cli.js";
import { openStore, storeLocationFromConfig } from "../prisma/store.js";
import { seedStore, type SeedMethod } from "../prisma/seed/load.js";

function intArg(name: string, raw: string | undefined, fallback?: number): number {
  if (raw === undefined) {
    if (fallback === undefined) throw new Error(`--${name} is required`);
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`--${name} must be an integer, got '${raw}'`);
  return n;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      enterprises: { type: "string", short: "n" },
      seed: { type: "string", short: "s" },
      batch: { type: "string", short: "b" },
      method: { type: "string", default: "sql" },
    },
    strict: true,
  });
  const cfg = loadConfigOrExit();
  const enterprises = intArg("enterprises", values.enterprises);
  const seed = intArg("seed", values.seed, cfg.HUB_SEED);
  const batchSize = intArg("batch", values.batch, 1000);
  if (enterprises < 0) throw new Error("--enterprises must be ≥ 0");
  if (batchSize < 1) throw new Error("--batch must be ≥ 1");
  const method = values.method as SeedMethod;
  if (method !== "sql" && method !== "createMany") throw new Error(`--method must be sql or createMany, got '${values.method}'`);

  const location = storeLocationFromConfig(cfg);
  const store = await openStore(location);
  let peakRss = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  let lastReport = 0;
  process.stderr.write(`seeding ${enterprises} enterprises (seed ${seed}, batch ${batchSize}, ${method}) into ${location.kind} store\n`);
  try {
    const summary = await seedStore(store.prisma, {
      enterprises,
      seed,
      batchSize,
      method,
      onProgress(done) {
        const rss = process.memoryUsage().rss;
        if (rss > peakRss) peakRss = rss;
        const t = elapsed();
        if (done === enterprises || t - lastReport >= 2 || done % 10_000 < batchSize) {
          lastReport = t;
          process.stderr.write(
            `  ${done}/${enterprises} enterprises  ${t.toFixed(1)}s  ${Math.round(done / t)} ent/s  rss ${mb(rss)} MB  heap ${mb(process.memoryUsage().heapUsed)} MB\n`,
          );
        }
      },
    });
    const seconds = elapsed();
    const rows = summary.enterprises + summary.individuals + summary.qualifications + summary.licenses + summary.penalties;
    // maxRSS is the kernel's high-water mark in KiB (includes the PGlite heap when embedded).
    const peak = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
    process.stdout.write(
      JSON.stringify(
        {
          seed,
          batchSize,
          method,
          store: location.kind,
          ...summary,
          rows,
          seconds: Math.round(seconds * 100) / 100,
          rowsPerSecond: Math.round(rows / seconds),
          enterprisesPerSecond: Math.round(summary.enterprises / seconds),
          peakRssMB: mb(peak),
        },
        null,
        2,
      ) + "\n",
    );
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`seed failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
