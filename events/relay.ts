// The outbox relay: polls one outbox table and publishes its rows to the bus, at least once, in id order.
import type { PrismaClient } from "../prisma/store.js";
import type { Logger } from "../lib/logger.js";
import { OutboxTable, type OutboxDeclaration, type OutboxRow } from "./outboxTable.js";
import { OutboxHoles } from "./relayHoles.js";
import { Backoff, LogThrottle } from "./retry.js";
import type { EventBus } from "./types.js";

export type { OutboxDeclaration } from "./outboxTable.js";

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
  private readonly table: OutboxTable;
  private readonly holes: OutboxHoles;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly log: RelayLogger;

  /** Last outbox id relayed (or skipped as a hole); null until read from the bus. */
  private position: bigint | null = null;

  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** After a failed pass: pollMs × 2^failures, at most 64 polls and 30 s. */
  private readonly backoff: Backoff;
  private readonly errorLog = new LogThrottle(10_000);

  constructor(private readonly opts: OutboxRelayOptions) {
    this.table = new OutboxTable(opts.prisma, opts.outbox);
    this.pollMs = opts.pollMs ?? 50;
    this.backoff = new Backoff(2 * this.pollMs, Math.min(64 * this.pollMs, 30_000));
    this.batch = opts.batch ?? 500;
    if (!Number.isSafeInteger(this.batch) || this.batch < 1) throw new RangeError("batch must be a positive integer");
    this.log = opts.logger;
    this.holes = new OutboxHoles(opts.prisma, this.table, opts.holeGraceMs ?? 5000, this.log);
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
            this.log.error({ err, table: this.table.name, failures: this.backoff.failures }, "outbox relay pass failed; retrying");
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
      const max = await this.table.maxId();
      if (this.position > max) {
        this.log.warn({ table: this.table.name, busPosition: this.position.toString(), tableMax: max.toString() }, "outbox relay: the bus is ahead of this outbox; relaying it from the start");
        this.position = 0n;
      }
      this.log.info({ table: this.table.name, after: this.position.toString(), bus: this.opts.bus.kind }, "outbox relay: continuing after the last relayed row");
    }
    let published = await this.holes.relayLate((rows) => this.publish(rows));
    await this.holes.settle();
    for (;;) {
      const rows = await this.table.rowsAfter(this.position, this.batch);
      const { ready, blocked } = this.holes.takeInOrder(this.position, rows);
      if (ready.length > 0) {
        await this.publish(ready);
        this.position = BigInt(ready[ready.length - 1].id);
        published += ready.length;
      }
      if (blocked || rows.length < this.batch || this.stopped) return published;
    }
  }

  private async publish(rows: OutboxRow[]): Promise<void> {
    await this.opts.bus.publish(rows.map((r) => this.table.toEvent(r)));
  }
}
