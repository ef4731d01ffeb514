// Child processes for the benches: the servers under test run outside the bench's own
// process so autocannon never competes with them for one event loop.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../", import.meta.url));

export interface Child {
  name: string;
  proc: ChildProcess;
  /** Resolves with the first stdout line `pick` accepts (the child's "ready" signal). */
  ready: Promise<unknown>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; says how it ended. */
  stop(graceMs?: number): Promise<ChildExit | null>;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From SIGTERM to exit: a clean shutdown is quick and exits 0. */
  stopMs: number;
}

export interface SpawnOptions {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Returns a value once a stdout line says the child is ready. */
  pick: (line: string) => unknown;
  timeoutMs?: number;
}

/**
 * `node --import tsx <script>` rather than `npx tsx`: npx and the tsx CLI each add a
 * parent process, and the pid must be the server's own for /proc RSS and signals.
 */
export function spawnNode(opts: SpawnOptions): Child {
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), "--import", "tsx", opts.script], {
    cwd: repoRoot,
    env: opts.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tail: string[] = [];
  const remember = (line: string) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
  };
  const ready = new Promise<unknown>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => finish(new Error(`${opts.name}: not ready after ${opts.timeoutMs ?? 300_000} ms`)), opts.timeoutMs ?? 300_000);
    const finish = (err: Error | null, value?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value);
    };
    // Always drain both pipes: a full pipe would block the child's writes (pino writes synchronously).
    createInterface({ input: proc.stdout! }).on("line", (line) => {
      remember(line);
      if (isLoud(line)) process.stderr.write(`[${opts.name}] ${line}\n`);
      if (done) return;
      const value = opts.pick(line);
      if (value !== undefined) finish(null, value);
    });
    createInterface({ input: proc.stderr! }).on("line", (line) => {
      remember(line);
      process.stderr.write(`[${opts.name}!] ${line}\n`);
    });
    proc.once("error", (err) => finish(err));
    proc.once("exit", (code, signal) =>
      finish(new Error(`${opts.name} exited (code ${code}, signal ${signal}) before it was ready:\n${tail.join("\n")}`)),
    );
  });
  ready.catch(() => {}); // the caller awaits it; this only stops an unhandled rejection if it never does
  return { name: opts.name, proc, ready, stop: (graceMs = 5_000) => stopProcess(proc, graceMs) };
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`; how it ended (null: it already had). */
export async function stopProcess(proc: ChildProcess, graceMs: number): Promise<ChildExit | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return null;
  const t0 = Date.now();
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  return { code: proc.exitCode, signal: proc.signalCode, stopMs: Date.now() - t0 };
}

/** pino level ≥ 40 (warn) and anything that is not pino JSON is worth showing; info is not. */
function isLoud(line: string): boolean {
  if (!line.startsWith("{")) return line.trim().length > 0;
  try {
    return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 40;
  } catch {
    return true;
  }
}

/** CPU time (user + system) a live process has used so far, in ms, from /proc (null elsewhere). */
export function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the parenthesised command name, which may itself hold spaces: utime and stime are 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
/** USER_HZ: 100 on every Linux the bench runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

/** Resident set size of a live process in MiB, from /proc (Linux only; null elsewhere). */
export function rssMiB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}
