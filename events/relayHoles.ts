// Where the outbox relay stops at a missing id: when that id will never appear, and the late rows of holes it skipped.
import type { PrismaClient } from "../prisma/store.js";
import type { Logger } from "../lib/logger.js";
import type { OutboxRow, OutboxTable } from "./outboxTable.js";

/**
 * The transactions in progress now in this database (only they can write its outbox): the
 * cluster-wide snapshot also holds other databases' transactions, and a long one elsewhere
 * held the relay back for nothing.
 */
const OPEN_HERE =
  "SELECT coalesce(array_agg(backend_xid::text), '{}') AS xids FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL";
/** How many of those transactions are still in progress. */
const STILL_RUNNING =
  "SELECT count(*)::int AS running FROM pg_stat_activity WHERE datname = current_database() AND backend_xid::text = ANY($1::text[])";

/**
 * A hole's witness snapshot is taken at least this long after the hole was first seen: an
 * INSERT takes its id (nextval) a moment before its transaction id is assigned, so a snapshot
 * taken in that moment would miss the transaction holding the id. Microseconds in practice.
 */
const WITNESS_AFTER_MS = 100;

/** Holes skipped after the grace period are watched this long for a late commit. */
const LATE_WATCH_MS = 10 * 60 * 1000;
const MAX_WATCHED_HOLES = 1000;

interface Hole {
  /** Missing ids lo..hi, below a visible row (so all were taken before `since`). */
  lo: bigint;
  hi: bigint;
  since: number;
  /** Transactions in progress here at least WITNESS_AFTER_MS after `since` (their xids). */
  witness?: string[];
  /** Every witness transaction has ended: ids of this hole still missing now never will appear. */
  settled: boolean;
}

interface WatchedHole {
  lo: bigint;
  hi: bigint;
  until: number;
  relayed: Set<bigint>;
}

/** The relay's holes (see "HOLES" on startOutboxRelay): the one it waits at, and those it skipped and still watches. */
export class OutboxHoles {
  private hole: Hole | null = null;
  private watched: WatchedHole[] = [];

  constructor(
    private readonly prisma: PrismaClient,
    private readonly table: OutboxTable,
    private readonly graceMs: number,
    private readonly log: Pick<Logger, "debug" | "info" | "warn">,
  ) {}

  /** The rows after `position` that can go now: in id order, up to the first hole that may still fill. */
  takeInOrder(position: bigint, rows: OutboxRow[]): { ready: OutboxRow[]; blocked: boolean } {
    const ready: OutboxRow[] = [];
    let expect = position + 1n;
    const now = Date.now();
    for (const row of rows) {
      const id = BigInt(row.id);
      if (id > expect) {
        const lo = expect;
        const hi = id - 1n;
        const range = { table: this.table.name, from: lo.toString(), to: hi.toString() };
        const prev = this.hole;
        if (prev && lo >= prev.lo && hi <= prev.hi) {
          prev.lo = lo; // the same hole, perhaps partly filled since
        } else {
          this.hole = { lo, hi, since: now, settled: false };
          this.log.debug(range, "outbox relay: waiting for ids not committed yet");
        }
        const hole = this.hole!;
        if (hole.settled) {
          this.log.info(range, "outbox relay: skipping outbox ids that were rolled back");
        } else if (now - hole.since >= this.graceMs) {
          this.log.warn(
            { ...range, waitedMs: now - hole.since },
            "outbox relay: skipping outbox ids still uncommitted after the grace period; watching them for a late commit",
          );
          this.watched.push({ lo, hi, until: now + LATE_WATCH_MS, relayed: new Set() });
          if (this.watched.length > MAX_WATCHED_HOLES) this.watched.shift();
        } else {
          return { ready, blocked: true };
        }
        this.hole = null;
      }
      ready.push(row);
      expect = id + 1n;
    }
    if (this.hole && expect > this.hole.hi) this.hole = null; // filled meanwhile
    return { ready, blocked: false };
  }

  /**
   * Before a read: decides whether the pending hole can no longer fill (see HOLES). Errors
   * (e.g. a database without these functions) leave it to the grace period.
   */
  async settle(): Promise<void> {
    const hole = this.hole;
    if (!hole || hole.settled || Date.now() - hole.since < WITNESS_AFTER_MS) return;
    try {
      if (hole.witness === undefined) {
        const [row] = await this.prisma.$queryRawUnsafe<{ xids: string[] }[]>(OPEN_HERE);
        hole.witness = row.xids;
        // No transaction was in progress here: none can still hold a missing id.
        if (hole.witness.length === 0) hole.settled = true;
        return;
      }
      const [row] = await this.prisma.$queryRawUnsafe<{ running: number | bigint }[]>(STILL_RUNNING, hole.witness);
      if (Number(row.running) === 0) hole.settled = true;
    } catch (err) {
      this.log.debug({ err, table: this.table.name }, "outbox relay: cannot check open transactions; relying on the grace period");
    }
  }

  /** Hands `publish` the rows that appeared in skipped holes (transactions that outlived the grace); resolves with their number. */
  async relayLate(publish: (rows: OutboxRow[]) => Promise<unknown>): Promise<number> {
    if (this.watched.length === 0) return 0;
    const now = Date.now();
    this.watched = this.watched.filter((h) => h.until > now);
    let published = 0;
    for (const h of this.watched) {
      const rows = (await this.table.rowsBetween(h.lo, h.hi)).filter((r) => !h.relayed.has(BigInt(r.id)));
      if (rows.length === 0) continue;
      this.log.warn({ table: this.table.name, ids: rows.map((r) => String(r.id)) }, "outbox relay: relaying rows committed after their ids were skipped (out of id order)");
      await publish(rows);
      for (const r of rows) h.relayed.add(BigInt(r.id));
      published += rows.length;
    }
    return published;
  }
}
