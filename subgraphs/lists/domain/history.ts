import { createHmac } from "node:crypto";
import type { Prisma, ListEntryHistory, ListEntryState } from "../../../prisma/generated/client.js";

type Tx = Prisma.TransactionClient;
const GENESIS = "0".repeat(64);

export interface Change {
  entryId: number;
  action: string;
  fromState: ListEntryState | null;
  toState: ListEntryState | null;
  actorSub: string;
  actorCity: string;
  reason: string;
}

/** The history key of a hub: derived from its ledger key (HUB_LEDGER_KEY), which the database never holds. */
export function historyKeyFrom(ledgerKey: string): string {
  return createHmac("sha256", ledgerKey).update("lists.list_entry_history").digest("hex");
}

/**
 * The mac of one record: its content and the previous record's mac, keyed, so editing any row
 * breaks every later link, and nobody without the key can write a row or a chain that verifies.
 */
function hashOf(key: string, c: Change & { seq: number; at: Date; prevHash: string }): string {
  const content = [c.entryId, c.seq, c.action, c.fromState ?? "", c.toState ?? "", c.actorSub, c.actorCity, c.reason, c.at.toISOString(), c.prevHash];
  return createHmac("sha256", key).update(JSON.stringify(content)).digest("hex");
}

/** Appends a change to the entry's chain (F62); call inside the change's transaction, after locking the entry. */
export async function appendHistory(tx: Tx, change: Change, key: string): Promise<void> {
  const last = await tx.listEntryHistory.findFirst({ where: { entryId: change.entryId }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS;
  const at = new Date();
  await tx.listEntryHistory.create({ data: { ...change, seq, at, prevHash, hash: hashOf(key, { ...change, seq, at, prevHash }) } });
}

export interface Verification {
  valid: boolean;
  records: number;
  brokenAtSeq: number | null;
  problem: string | null;
}

/** Recomputes the chain; reports the first record that does not match. */
export function verifyChain(rows: ListEntryHistory[], key: string): Verification {
  let prevHash = GENESIS;
  for (const [i, row] of rows.entries()) {
    const fail = (problem: string): Verification => ({ valid: false, records: rows.length, brokenAtSeq: row.seq, problem });
    if (row.seq !== i + 1) return fail(`record ${i + 1} is missing`);
    if (row.prevHash !== prevHash) return fail("does not link to the previous record");
    if (hashOf(key, row) !== row.hash) return fail("content does not match its keyed hash (edited, or written without the hub's key)");
    prevHash = row.hash;
  }
  return { valid: true, records: rows.length, brokenAtSeq: null, problem: null };
}
