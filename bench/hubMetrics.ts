// What the hub's own /metrics says during a bench: the store's SQL statement counter, which
// every subgraph shares (so any subgraph's URL will do).
import { setTimeout as sleep } from "node:timers/promises";

/** hub_sql_statements_total from a subgraph's /metrics; null if the hub does not answer or has no such counter. */
export async function sqlStatements(subgraphUrl: string): Promise<number | null> {
  try {
    const text = await (await fetch(subgraphUrl.replace(/\/graphql$/, "/metrics"))).text();
    const m = /^hub_sql_statements_total\{[^}]*\} (\d+)$/m.exec(text);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * The counter once it stops moving: requests still in flight when autocannon stopped are
 * finished by the server, and their SQL must land on the right side of a measurement.
 */
export async function settledStatements(subgraphUrl: string): Promise<number> {
  const read = async () => {
    const n = await sqlStatements(subgraphUrl);
    if (n === null) throw new Error(`no hub_sql_statements_total in ${subgraphUrl} /metrics`);
    return n;
  };
  let last = await read();
  for (let i = 0; i < 20; i++) {
    await sleep(250);
    const now = await read();
    if (now === last) return now;
    last = now;
  }
  return last;
}
