/**
 * Production mode as a new user meets it: the compose file's hub satisfies the production
 * settings, a production start never writes demo data, and a settings mistake is one line.
 */
import { afterAll, describe, expect, it } from "@jest/globals";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { parse } from "yaml";
import { ConfigError, loadConfig } from "../lib/config.js";
import { hubOptionsFromConfig } from "../hub/options.js";
import { storeLocationFromConfig } from "../prisma/store.js";
import { freshDatabase } from "./support.js";
import { requireServices } from "./services.js";

await requireServices("postgres");

const ROOT = new URL("..", import.meta.url).pathname;

/** `${VAR}`, `${VAR:?message}` and `${VAR:-default}` as compose substitutes them, from an env file's values. */
function substitute(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::[?-]([^}]*))?\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`compose variable ${name} is not in .env.example`);
    return vars[name];
  });
}

function envFile(path: string): Record<string, string> {
  return Object.fromEntries(readFileSync(path, "utf8").split("\n").filter((l) => /^\w+=/.test(l)).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

describe("docker-compose.yml", () => {
  const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8")) as { services: Record<string, { environment?: Record<string, string>; ports?: string[]; command?: string[] }> };
  const vars = envFile(join(ROOT, ".env.example"));

  it("gives the hub an environment the production settings accept, without demo data", () => {
    const env = Object.fromEntries(Object.entries(compose.services.hub.environment!).map(([k, v]) => [k, substitute(String(v), vars)]));
    const cfg = loadConfig(env);
    expect(cfg.NODE_ENV).toBe("production");
    expect(cfg.demo).toBe(false);
    expect(cfg.DATABASE_URL).toContain(vars.POSTGRES_PASSWORD);
    expect(cfg.REDIS_URL).toContain(vars.REDIS_PASSWORD);
  });

  it("publishes only the hub's port, on loopback, and keeps every secret out of the file", () => {
    const published = Object.entries(compose.services).filter(([, s]) => s.ports?.length).map(([name, s]) => [name, s.ports]);
    expect(published).toEqual([["hub", ["127.0.0.1:4000:4000"]]]);
    expect(compose.services.redis.command).toContain("--requirepass");
    const text = readFileSync(join(ROOT, "docker-compose.yml"), "utf8");
    for (const value of Object.values(vars)) expect(text).not.toContain(value);
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [k, v] of Object.entries(s.environment ?? {})) {
        if (/PASSWORD|SECRET/.test(k)) expect({ name, k, v: String(v).startsWith("${") }).toEqual({ name, k, v: true });
      }
    }
    expect(readFileSync(join(ROOT, ".gitignore"), "utf8").split("\n")).toContain(".env");
  });
});

describe("demo data", () => {
  const seedFor = (env: Record<string, string>) => {
    const cfg = loadConfig(env);
    return hubOptionsFromConfig(cfg, storeLocationFromConfig(cfg)).seedPerCity;
  };
  const production = { NODE_ENV: "production", HUB_JWT_SECRET: "a".repeat(40), HUB_LEDGER_KEY: "k".repeat(40) };

  it("comes only with the embedded default or when asked for, never in production", () => {
    expect(seedFor({})).toBe(2000);
    expect(seedFor({ DATABASE_URL: "postgresql://x@127.0.0.1/hub" })).toBe(0);
    expect(seedFor({ DATABASE_URL: "postgresql://x@127.0.0.1/hub", HUB_DEMO: "true" })).toBe(2000);
    expect(seedFor({ HUB_DEMO: "false" })).toBe(0);
    expect(seedFor({ ...production, DATABASE_URL: "postgresql://x@127.0.0.1/hub" })).toBe(0);
    expect(seedFor(production)).toBe(0);
    expect(() => loadConfig({ ...production, HUB_DEMO: "true" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, HUB_DEMO: "true" })).toThrow(/HUB_DEMO/);
  });
});

/** Runs `npm start`'s script with this environment; resolves with its exit code and output once it exits or prints `until`. */
type Stopped = { exit: number | null; signal: NodeJS.Signals | null; stderr: string };

function startHub(env: Record<string, string>, until?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string; stop(): Promise<Stopped> }> {
  // As `npm start` runs it: one process with tsx as a loader. (tsx's own CLI runs the script in a
  // child and, when the child does not confirm a SIGTERM within 30 ms, SIGKILLs it: on a busy
  // machine the hub then died mid-shutdown with 143 instead of closing cleanly.)
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts/start.ts")], {
    cwd: ROOT, env: { PATH: process.env.PATH, LOG_LEVEL: "error", ...env }, stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "", stderr = "";
  let signal: NodeJS.Signals | null = null;
  const exited = new Promise<number | null>((r) => child.once("exit", (code, sig) => ((signal = sig), r(code))));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`hub neither exited nor printed ${until} in 90 s: ${stderr.slice(0, 500)}`));
    }, 90_000);
    const done = (code: number | null) => {
      clearTimeout(timer);
      // How it stopped, with its last words when it did not exit cleanly (a signal: a crash or a kill).
      resolve({ code, stdout, stderr, stop: async () => { child.kill("SIGTERM"); const exit = await exited; return { exit, signal, stderr: exit === 0 ? "" : stderr.slice(-2000) }; } });
    };
    child.stdout.on("data", (d) => {
      stdout += d;
      if (until?.test(stdout)) done(null);
    });
    child.stderr.on("data", (d) => (stderr += d));
    void exited.then(done);
  });
}

describe("starting in production", () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const d = mkdtempSync(join(tmpdir(), "hub-prod-"));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("refuses a missing token key in one line naming the variable, exit code 2, no stack trace", async () => {
    const r = await startHub({ NODE_ENV: "production", HUB_DATA_DIR: dataDir(), PORT: "0" });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/HUB_JWT_SECRET/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 100_000);

  it("writes no demo data into a production database", async () => {
    const db = await freshDatabase();
    try {
      const hub = await startHub({ NODE_ENV: "production", DATABASE_URL: db.url, HUB_JWT_SECRET: "b".repeat(40), HUB_LEDGER_KEY: "l".repeat(40), HUB_DATA_DIR: dataDir(), PORT: "0" }, /hub ready/);
      expect(hub.code).toBeNull();
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const counts = await client.query<{ enterprises: string; people: string; entries: string }>(
        "SELECT (SELECT count(*) FROM enterprise.enterprise) AS enterprises, (SELECT count(*) FROM individual.individual) AS people, (SELECT count(*) FROM lists.list_entry) AS entries");
      await client.end();
      expect(counts.rows[0]).toEqual({ enterprises: "0", people: "0", entries: "0" });
      expect(await hub.stop()).toEqual({ exit: 0, signal: null, stderr: "" });
    } finally {
      await db.drop();
    }
  }, 120_000);
});
