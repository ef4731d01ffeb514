// Watching the hub during the subscriptions bench: the errors it logs, its memory (RSS every
// 500 ms), and how long GET /health waits meanwhile (every 250 ms, one at a time): everything in
// the hub (gateway, subgraphs, relay) shares one event loop.
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import type { Cleanup } from "./cleanup.js";
import { rssMiB } from "./children.js";
import { Histogram } from "./histogram.js";
import type { HubProcess } from "./hubProcess.js";

/** The hub's first ten errors (pino level ≥ 50, e.g. a bus subscription ending), filled in as it logs them. */
export function hubErrors(hub: HubProcess): string[] {
  const errors: string[] = [];
  createInterface({ input: hub.child.proc.stdout! }).on("line", (line) => {
    if (errors.length >= 10 || !line.startsWith("{")) return;
    try {
      const rec = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string }; subgraph?: string; service?: string };
      if ((rec.level ?? 0) >= 50) errors.push(`${rec.service ?? rec.subgraph ?? "hub"}: ${rec.msg}${rec.err?.message ? `: ${rec.err.message}` : ""}`.slice(0, 400));
    } catch {
      // not pino JSON
    }
  });
  return errors;
}

export class HubSampler {
  rssMax = 0;
  readonly rssTimeline: number[] = [];
  /** GET /health round trips, ms (60 s for one that failed). */
  readonly health = new Histogram();
  private sampler: NodeJS.Timeout | undefined;
  private probing = false;
  private probe: Promise<void> = Promise.resolve();

  constructor(private readonly hub: HubProcess) {}

  start(cleanup: Cleanup): void {
    const pid = this.hub.child.proc.pid;
    this.rssMax = rssMiB(pid) ?? 0;
    this.sampler = setInterval(() => {
      const r = rssMiB(pid);
      if (r !== null) {
        this.rssMax = Math.max(this.rssMax, r);
        this.rssTimeline.push(r);
      }
    }, 500);
    cleanup.add("stop sampler", async () => clearInterval(this.sampler));
    this.probing = true;
    this.probe = this.probeHealth(new URL("/health", this.hub.ready.url).toString());
    cleanup.add("stop health probe", async () => {
      this.probing = false;
    });
  }

  private async probeHealth(url: string): Promise<void> {
    while (this.probing) {
      const t = performance.now();
      try {
        await (await fetch(url, { signal: AbortSignal.timeout(60_000) })).text();
        this.health.record(performance.now() - t);
      } catch {
        this.health.record(60_000);
      }
      await sleep(250);
    }
  }

  /** Stops sampling; a health request still out gets a second to finish. */
  async stop(): Promise<void> {
    clearInterval(this.sampler);
    this.probing = false;
    await Promise.race([this.probe, sleep(1000)]);
  }
}
