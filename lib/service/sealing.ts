import type { Logger } from "../logger.js";
import type { Ledger, SealedTable } from "./ledger.js";

/**
 * A subgraph's sealing of its tamper-evident tables: a round every `seconds` once started,
 * rounds one at a time; `now()` seals every row there is, once the transactions open at the
 * call have ended (not "two rounds": a round does not wait, and on a busy machine the hub's own
 * background transactions often outlast the next one);
 * stopping waits for the round in flight.
 */
export function startSealing(ledger: Ledger | undefined, tables: SealedTable[], seconds: number, logger: Logger) {
  let chain: Promise<number> = Promise.resolve(0);
  let timer: NodeJS.Timeout | null = null;
  const round = (settled = false) => {
    chain = chain.then(async () => {
      let sealed = 0;
      for (const t of tables) sealed += await (settled ? ledger!.sealSettled(t) : ledger!.sealRound(t));
      return sealed;
    }).catch((err: unknown) => {
      logger.error({ err }, "sealing the tamper-evident tables failed; trying at the next round");
      return 0;
    });
    return chain;
  };
  const active = ledger !== undefined && tables.length > 0;
  return {
    start() {
      if (!active || timer) return;
      timer = setInterval(() => void round(), seconds * 1000);
      timer.unref();
    },
    async now(): Promise<number> {
      if (!active) return 0;
      return round(true);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await chain;
    },
  };
}
