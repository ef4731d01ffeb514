import type { Logger } from "../logger.js";
import type { Ledger, SealedTable } from "./ledger.js";

/**
 * A subgraph's sealing of its tamper-evident tables: a round every `seconds` once started,
 * rounds one at a time; `now()` seals everything settled (two rounds: one to see, one to seal);
 * stopping waits for the round in flight.
 */
export function startSealing(ledger: Ledger | undefined, tables: SealedTable[], seconds: number, logger: Logger) {
  let chain: Promise<number> = Promise.resolve(0);
  let timer: NodeJS.Timeout | null = null;
  const round = () => {
    chain = chain.then(async () => {
      let sealed = 0;
      for (const t of tables) sealed += await ledger!.sealRound(t);
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
      return (await round()) + (await round());
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await chain;
    },
  };
}
