/**
 * Builds the dashboard (web/src) into web/dist, which the gateway serves at /dashboard
 * (gateway/dashboard.ts). Run by `npm install` and `npm test` (`npm run build:web`).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";

const ROOT = fileURLToPath(new URL(".", import.meta.url));
const OUT = join(ROOT, "dist");

/** Writes a .gz beside each text file of the build (the gateway sends it to browsers that accept gzip) and prints the totals. */
function gzipCopies(): Plugin {
  return {
    name: "dashboard-gzip-copies",
    apply: "build",
    closeBundle() {
      const totals: Record<string, { raw: number; gz: number }> = {};
      const visit = (dir: string): void => {
        for (const name of readdirSync(dir)) {
          const file = join(dir, name);
          if (statSync(file).isDirectory()) { visit(file); continue; }
          const ext = /\.(js|css|html|svg)$/.exec(name)?.[1];
          if (!ext) continue;
          const raw = readFileSync(file);
          const gz = gzipSync(raw, { level: 9 });
          writeFileSync(`${file}.gz`, gz);
          const t = (totals[ext] ??= { raw: 0, gz: 0 });
          t.raw += raw.length;
          t.gz += gz.length;
        }
      };
      visit(OUT);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
      process.stdout.write(`dashboard built into web/dist: ${Object.entries(totals).map(([ext, t]) => `${ext} ${kb(t.raw)} (gzip ${kb(t.gz)})`).join(", ")}\n`);
    },
  };
}

export default defineConfig({
  root: ROOT,
  base: "/dashboard/",
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: OUT, emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 1500 },
  plugins: [gzipCopies()],
});
