import type { Logger } from "../logger.js";
import type { BackgroundWork } from "./subgraph.js";

/**
 * A scheduled, idempotent sweep of a subgraph (expiries, lapses): run once at start, then every
 * `seconds`, one run at a time; a failed run is logged and the next one tries again. Stopping
 * waits for the run in flight, so the store is never closed under it.
 */
export function startSweep(name: string, seconds: number, run: () => Promise<number>, logger: Logger): BackgroundWork {
  let inFlight: Promise<void> | null = null;
  const tick = () => {
    if (inFlight) return;
    inFlight = run().then(
      (n) => { if (n > 0) logger.info({ changed: n }, `${name} sweep`); },
      (err: unknown) => logger.error({ err }, `${name} sweep failed; trying at the next round`),
    ).finally(() => { inFlight = null; });
  };
  tick();
  const timer = setInterval(tick, seconds * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
