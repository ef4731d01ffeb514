import type { PrismaClient } from "../prisma/store.js";
import type { Logger } from "../lib/logger.js";
import { Backoff, LogThrottle } from "./retry.js";
import type { EventBus, HubEvent } from "./types.js";

export type RelayLogger = Pick<Logger, "debug" | "info" | "warn" | "error">;

export interface OutboxRelayOptions {
  prisma: PrismaClient;
  bus: EventBus;
  /** The producing subgraph's outbox: its table and the stream its events go out on. */
  outbox: OutboxDeclaration;
  /** Pause between two polls; default 50 ms (commit-to-subscriber latency; LISTEN/NOTIFY would spare the polling). 0: no polling of its own, only `runOnce()`. */
  pollMs?: number;
  /** Outbox rows read (and published) at once; default 500. */
  batch?: number;
  /**
   * Longest a missing outbox id (a hole below rows already visible) whose transaction is
   * still open holds back the rows after it; default 5000 ms. See "HOLES" below.
   */
  holeGraceMs?: number;
  logger: RelayLogger;
}

export interface OutboxRelay {
  /** Stops polling and waits for a pass in progress. */
  stop(): Promise<void>;
  /** One pass now (serialized with the polling): relays everything available; resolves with the number of events published. */
  runOnce(): Promise<number>;
}

/**
 * What a subgraph that emits events declares: its outbox table (`schema.table`, with the
 * columns every outbox has: id, event_id, type, entry_id, city_code, payload, occurred_at)
 * and the `HubEvent.stream` its events are published under.
 */
export interface OutboxDeclaration {
  table: string;
  stream: string;
}

/** A table name goes into SQL text (it cannot be a parameter): only plain `schema.table` identifiers pass. */
const TABLE_NAME = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

/** The relay's statements for one outbox table; casts make the parameter types explicit whatever the driver adapter sends. */
function outboxSql(table: string) {
  if (!TABLE_NAME.test(table)) throw new Error(`outbox relay: '${table}' is not a schema.table name`);
  const columns = "id, event_id, type, entry_id, city_code, payload, occurred_at";
  return {
    readAfter: `SELECT ${columns} FROM ${table} WHERE id > $1::bigint ORDER BY id LIMIT $2::int`,
    readRange: `SELECT ${columns} FROM ${table} WHERE id >= $1::bigint AND id <= $2::bigint ORDER BY id`,
    maxId: `SELECT max(id)::text AS max FROM ${table}`,
  };
}

/** PostgreSQL's list of transactions in progress now ("xmin:xmax:xip,..."). */
const SNAPSHOT = "SELECT pg_current_snapshot()::text AS snapshot";
/** How many of a snapshot's in-progress transactions are still in progress. */
const STILL_RUNNING =
  "SELECT count(*)::int AS running FROM pg_snapshot_xip($1::pg_snapshot) AS x WHERE pg_xact_status(x) = 'in progress'";

/**
 * A hole's witness snapshot is taken at least this long after the hole was first seen: an
 * INSERT takes its id (nextval) a moment before its transaction id is assigned, so a snapshot
 * taken in that moment would miss the transaction holding the id. Microseconds in practice.
 */
const WITNESS_AFTER_MS = 100;

/** Holes skipped after the grace period are watched this long for a late commit. */
const LATE_WATCH_MS = 10 * 60 * 1000;
const MAX_WATCHED_HOLES = 1000;

interface OutboxRow {
  id: bigint | number | string;
  event_id: string;
  type: string;
  entry_id: number | bigint | string;
  city_code: string;
  payload: unknown;
  occurred_at: Date | string;
}

interface Hole {
  /** Missing ids lo..hi, below a visible row (so all were taken before `since`). */
  lo: bigint;
  hi: bigint;
  since: number;
  /** Transactions in progress (a snapshot) at least WITNESS_AFTER_MS after `since`. */
  witness?: string;
  /** Every witness transaction has ended: ids of this hole still missing now never will appear. */
  settled: boolean;
}

interface WatchedHole {
  lo: bigint;
  hi: bigint;
  until: number;
  relayed: Set<bigint>;
}

/**
 * Relays an outbox table to the bus, at least once, in outbox order.
 *
 * POSITION: the relay keeps no state of its own (no table, no file). Every event carries the
 * outbox row id it came from (`HubEvent.outboxId`); on start (first pass) the relay asks the
 * bus for the last event of its stream (`bus.lastEventOf`) and continues after that row id;
 * from then on the position is kept in memory and advanced only after `publish` resolves.
 * The bus is the position, so there is no "published but position not saved" window to lose
 * or repeat events in. Duplicates remain possible, which consumers drop by event id
 * (dedupe.ts; JetStream also drops them itself within its 2-minute window):
 * - a publish that reached the bus but whose answer was lost (timeout, crash) is retried;
 * - a late row (see HOLES) relayed after higher ids makes the next start re-relay those;
 * - two relays on the same table each publish everything: run one per table.
 * When the bus has no event of the stream (new or in-memory bus, or the last one was
 * trimmed away by other streams' traffic), the relay starts from the beginning of the outbox.
 *
 * HOLES: BIGSERIAL ids are taken at INSERT but become visible at COMMIT, so with concurrent
 * writers row 11 can be visible while row 10's transaction is still open; moving past 10
 * would lose it for good. And a rolled-back (or failed) INSERT burns its id forever. So the
 * relay publishes strictly in id order and stops at a missing id while rows after it are
 * visible, until it knows the id will never appear:
 * - exactly, from PostgreSQL: a snapshot of the transactions in progress taken after the hole
 *   was seen (the "witness": the transaction holding a missing id is among them, or already
 *   over); once none of them is still in progress (`pg_xact_status`), an id still missing was
 *   rolled back and is skipped. Without concurrent writers (PGlite) the witness is empty and a
 *   rollback holds the relay up for one poll;
 * - at the latest after `holeGraceMs` (a long transaction, or the check failing): the hole is
 *   skipped, but watched for 10 more minutes and, if its rows do show up, they are published
 *   late, out of id order (safe: changes to one entry are serialized by its row lock, so
 *   only unrelated events swap places) rather than lost.
 */
export function startOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  return new Relay(opts);
}

class Relay implements OutboxRelay {
  private readonly readAfter: string;
  private readonly readRange: string;
  private readonly maxId: string;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly holeGraceMs: number;
  private readonly log: RelayLogger;

  /** Last outbox id relayed (or skipped as a hole); null until read from the bus. */
  private position: bigint | null = null;
  private hole: Hole | null = null;
  private watched: WatchedHole[] = [];

  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** After a failed pass: pollMs × 2^failures, at most 64 polls and 30 s. */
  private readonly backoff: Backoff;
  private readonly errorLog = new LogThrottle(10_000);

  constructor(private readonly opts: OutboxRelayOptions) {
    const sql = outboxSql(opts.outbox.table);
    this.readAfter = sql.readAfter;
    this.readRange = sql.readRange;
    this.maxId = sql.maxId;
    this.pollMs = opts.pollMs ?? 50;
    this.backoff = new Backoff(2 * this.pollMs, Math.min(64 * this.pollMs, 30_000));
    this.batch = opts.batch ?? 500;
    this.holeGraceMs = opts.holeGraceMs ?? 5000;
    if (!Number.isSafeInteger(this.batch) || this.batch < 1) throw new RangeError("batch must be a positive integer");
    this.log = opts.logger;
    if (this.pollMs > 0) this.schedule(0);
  }

  runOnce(): Promise<number> {
    if (this.stopped) return Promise.reject(new Error("outbox relay is stopped"));
    const run = this.chain.then(() => this.pass());
    this.chain = run.catch(() => undefined);
    return run;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.chain;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.runOnce().then(
        () => {
          this.backoff.reset();
          this.schedule(this.pollMs);
        },
        (err: unknown) => {
          const pause = this.backoff.next();
          if (this.errorLog.allow()) {
            this.log.error({ err, table: this.opts.outbox.table, failures: this.backoff.failures }, "outbox relay pass failed; retrying");
          }
          this.schedule(pause);
        },
      );
    }, ms);
    this.timer.unref();
  }

  private async pass(): Promise<number> {
    if (this.stopped) return 0;
    if (this.position === null) {
      const last = await this.opts.bus.lastEventOf(this.opts.outbox.stream);
      this.position = last?.outboxId ? BigInt(last.outboxId) : 0n;
      // A bus position past this table's last row came from another database on the same stream: start over (consumers dedupe by event id).
      const [{ max }] = await this.opts.prisma.$queryRawUnsafe<Array<{ max: bigint | number | string | null }>>(this.maxId);
      if (this.position > BigInt(max ?? 0)) {
        this.log.warn({ table: this.opts.outbox.table, busPosition: this.position.toString(), tableMax: String(max ?? 0) }, "outbox relay: the bus is ahead of this outbox; relaying it from the start");
        this.position = 0n;
      }
      this.log.info({ table: this.opts.outbox.table, after: this.position.toString(), bus: this.opts.bus.kind }, "outbox relay: continuing after the last relayed row");
    }
    let published = await this.relayLate();
    await this.settleHole();
    for (;;) {
      const rows = await this.opts.prisma.$queryRawUnsafe<OutboxRow[]>(this.readAfter, this.position.toString(), this.batch);
      const { ready, blocked } = this.takeInOrder(rows);
      if (ready.length > 0) {
        await this.opts.bus.publish(ready.map((r) => this.toEvent(r)));
        this.position = BigInt(ready[ready.length - 1].id);
        published += ready.length;
      }
      if (blocked || rows.length < this.batch || this.stopped) return published;
    }
  }

  /** The rows that can go now: in id order, up to the first hole that may still fill. */
  private takeInOrder(rows: OutboxRow[]): { ready: OutboxRow[]; blocked: boolean } {
    const ready: OutboxRow[] = [];
    let expect = this.position! + 1n;
    const now = Date.now();
    for (const row of rows) {
      const id = BigInt(row.id);
      if (id > expect) {
        const lo = expect;
        const hi = id - 1n;
        const range = { table: this.opts.outbox.table, from: lo.toString(), to: hi.toString() };
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
        } else if (now - hole.since >= this.holeGraceMs) {
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
  private async settleHole(): Promise<void> {
    const hole = this.hole;
    if (!hole || hole.settled || Date.now() - hole.since < WITNESS_AFTER_MS) return;
    try {
      if (hole.witness === undefined) {
        const [row] = await this.opts.prisma.$queryRawUnsafe<{ snapshot: string }[]>(SNAPSHOT);
        hole.witness = String(row.snapshot);
        // "xmin:xmax:" with nothing after the second colon: no transaction was in progress.
        if (hole.witness.split(":")[2] === "") hole.settled = true;
        return;
      }
      const [row] = await this.opts.prisma.$queryRawUnsafe<{ running: number | bigint }[]>(STILL_RUNNING, hole.witness);
      if (Number(row.running) === 0) hole.settled = true;
    } catch (err) {
      this.log.debug({ err, table: this.opts.outbox.table }, "outbox relay: cannot check open transactions; relying on the grace period");
    }
  }

  /** Publishes rows that appeared in skipped holes (transactions that outlived the grace). */
  private async relayLate(): Promise<number> {
    if (this.watched.length === 0) return 0;
    const now = Date.now();
    this.watched = this.watched.filter((h) => h.until > now);
    let published = 0;
    for (const h of this.watched) {
      const rows = (await this.opts.prisma.$queryRawUnsafe<OutboxRow[]>(this.readRange, h.lo.toString(), h.hi.toString())).filter(
        (r) => !h.relayed.has(BigInt(r.id)),
      );
      if (rows.length === 0) continue;
      this.log.warn({ table: this.opts.outbox.table, ids: rows.map((r) => String(r.id)) }, "outbox relay: relaying rows committed after their ids were skipped (out of id order)");
      await this.opts.bus.publish(rows.map((r) => this.toEvent(r)));
      for (const r of rows) h.relayed.add(BigInt(r.id));
      published += rows.length;
    }
    return published;
  }

  private toEvent(r: OutboxRow): HubEvent {
    return {
      id: String(r.event_id),
      stream: this.opts.outbox.stream,
      type: r.type,
      entityId: String(r.entry_id),
      city: String(r.city_code).trim(),
      occurredAt: (r.occurred_at instanceof Date ? r.occurred_at : new Date(r.occurred_at)).toISOString(),
      payload: typeof r.payload === "string" ? parseJson(r.payload) : r.payload,
      outboxId: String(r.id),
    };
  }
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
