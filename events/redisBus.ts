import { Redis, type RedisOptions } from "ioredis";
import { createLogger, type Logger } from "../lib/logger.js";
import { BusBase, redactUrl, retainOption } from "./busBase.js";
import { Subscription, type SubscriptionInit } from "./delivery.js";
import { Backoff } from "./retry.js";
import { aheadError, EventStreamError, toError } from "./sequence.js";
import type { DeliveredEvent, EventBus, HubEvent } from "./types.js";

export const DEFAULT_REDIS_STREAM = "hub:events";

/*
 * SEQUENCE <-> STREAM ID
 *
 * A Redis stream ID is `<ms>-<seq>`, two unsigned 64-bit integers, ordered by ms then seq.
 *   sequence = ms * 2^64 + seq          (BigInt, as a decimal string)
 *   ms = sequence >> 64,  seq = sequence & (2^64 - 1)
 * is an exact, order-preserving bijection for every valid ID (unlike ms * 2^20 + seq, which
 * collides past 2^20 entries in one millisecond).
 *
 * This bus appends with the ID `0-*` (Redis >= 7.0): ms pinned to 0, seq = the stream's last
 * seq + 1, assigned atomically by Redis. So the stream IDs are 0-1, 0-2, 0-3, ... and
 * sequence = seq: dense like the memory and NATS buses, which is what lets a subscriber tell
 * "trimmed away" (a jump) from "nothing new", exactly and without races. The time of an event
 * is in `occurredAt`, so nothing is lost by not using the ID's ms part. The key must belong to
 * this bus: an entry written by someone else with `*` (ms > 0) makes `0-*` fail.
 */
const SEQ_BITS = 64n;
const SEQ_MASK = (1n << SEQ_BITS) - 1n;

export function streamIdToSequence(id: string): bigint {
  const dash = id.indexOf("-");
  if (dash < 0) return BigInt(id) << SEQ_BITS;
  return (BigInt(id.slice(0, dash)) << SEQ_BITS) | BigInt(id.slice(dash + 1));
}

export function sequenceToStreamId(sequence: bigint): string {
  return `${sequence >> SEQ_BITS}-${sequence & SEQ_MASK}`;
}

/** Entries per XRANGE page / XREAD call. */
const PAGE = 500;
/** How long one XREAD of the tail reader blocks before it asks again. */
const BLOCK_MS = 2000;

export interface RedisBusOptions {
  redisUrl: string;
  streamName?: string;
  retain?: number;
  connectTimeoutMs?: number;
}

type Entry = [id: string, fields: string[]];

/**
 * Redis Streams bus: XADD ... MAXLEN ~ retain, replay with XRANGE, live tail with XREAD BLOCK.
 *
 * FAN-OUT: one shared tail reader per bus, not one blocking connection per subscriber. The
 * gateway opens a bus subscription for every client resuming after a sequence, so a
 * connection each would tie Redis connections to client count. The reader (one dedicated
 * connection, XREAD BLOCK from the stream's end at start) keeps the newest events in a
 * bounded in-memory window and rings every subscriber. Each subscriber then pulls at its
 * own pace, from that window when its cursor is inside it, otherwise with XRANGE on the shared
 * command connection: one slow subscriber holds up no one, and memory stays bounded (a
 * subscriber behind the window reads from Redis, not from a growing per-subscriber queue).
 */
export class RedisEventBus extends BusBase implements EventBus {
  readonly kind = "redis" as const;
  private readerLoop: Promise<void> = Promise.resolve();

  /** Newest events seen by the tail reader: contiguous sequences windowFirst .. windowFirst + length - 1. */
  private window: DeliveredEvent[] = [];
  private windowFirst = 0n;
  private readonly windowCapacity: number;
  /** Sequence of the last entry the tail reader has seen (its XREAD position). */
  private tail = 0n;
  /** Times the stream was found to have restarted below `tail` (key deleted, Redis restarted without persistence). */
  private resetCount = 0;

  /** Ends the tail reader's back-off sleep early on close. */
  private stopSleeping: (() => void) | null = null;

  private constructor(
    private readonly cmd: Redis,
    private readonly reader: Redis,
    private readonly key: string,
    private readonly retain: number,
    private readonly logger: Logger,
  ) {
    super({ logger, stream: key });
    this.windowCapacity = Math.min(this.retain, 10_000);
  }

  static async create(opts: RedisBusOptions): Promise<RedisEventBus> {
    const retain = retainOption(opts.retain);
    const connectTimeout = opts.connectTimeoutMs ?? 2000;
    // Same stance as gateway/rateLimit/redisBucket.ts: never hang. No offline queue (commands
    // fail at once while disconnected; loops retry with back-off), one retry per request, a
    // short disconnect timer, and reconnects in the background with a capped back-off.
    const base: RedisOptions = {
      connectTimeout,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      disconnectTimeout: 200,
      lazyConnect: true,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    };
    // Commands are small; XADD batches and XRANGE pages answer well within this.
    const cmd = new Redis(opts.redisUrl, { ...base, commandTimeout: 10_000, connectionName: "hub-events" });
    // The tail reader blocks in XREAD BLOCK: no command timeout there (closing disconnects it).
    const reader = new Redis(opts.redisUrl, { ...base, connectionName: "hub-events-tail" });
    const bus = new RedisEventBus(cmd, reader, opts.streamName ?? DEFAULT_REDIS_STREAM, retain, createLogger("events-redis"));
    cmd.on("error", (err: unknown) => bus.warn(toError(err), "redis connection error"));
    reader.on("error", (err: unknown) => bus.warn(toError(err), "redis tail connection error"));
    try {
      await Promise.all([cmd.connect(), reader.connect()]);
      const latest = await bus.latestSeq();
      bus.tail = latest ?? 0n;
    } catch (e) {
      cmd.disconnect();
      reader.disconnect();
      throw new Error(`event bus: cannot use Redis at ${redactUrl(opts.redisUrl)}: ${toError(e).message}`);
    }
    bus.readerLoop = bus.readTail();
    return bus;
  }

  async publish(events: HubEvent[]): Promise<string[]> {
    this.assertOpen();
    if (events.length === 0) return [];
    // One MULTI: the batch gets consecutive sequences, all or nothing.
    const multi = this.cmd.multi();
    for (const e of events) multi.xadd(this.key, "MAXLEN", "~", String(this.retain), "0-*", "e", JSON.stringify(e));
    const results = await multi.exec();
    if (!results) throw new Error("event bus: Redis transaction aborted");
    return results.map(([err, id]) => {
      if (err) throw err;
      return streamIdToSequence(String(id)).toString();
    });
  }

  protected createSubscription(init: SubscriptionInit): Subscription {
    return new RedisSubscription(this, init);
  }

  async latestSequence(): Promise<string | null> {
    const s = await this.latestSeq();
    return s === null ? null : s.toString();
  }

  async lastEventOf(stream: string): Promise<DeliveredEvent | null> {
    let end = "+";
    for (;;) {
      const page = (await this.cmd.xrevrange(this.key, end, "-", "COUNT", PAGE)) as Entry[];
      for (const entry of page) {
        const e = decode(entry);
        if (e.stream === stream) return e;
      }
      if (page.length < PAGE) return null;
      end = "(" + page[page.length - 1][0];
    }
  }

  protected override interruptBackground(): void {
    this.reader.disconnect(); // aborts the blocked XREAD
    this.stopSleeping?.();
  }

  protected override async release(): Promise<void> {
    await this.readerLoop;
    try {
      if (this.cmd.status === "ready") await this.cmd.quit();
      else this.cmd.disconnect();
    } catch {
      this.cmd.disconnect();
    }
  }

  /** @internal XINFO's last-generated-id survives trimming, so this is the last sequence ever assigned. */
  async latestSeq(): Promise<bigint | null> {
    let info: unknown[];
    try {
      info = (await this.cmd.xinfo("STREAM", this.key)) as unknown[];
    } catch (e) {
      if (/no such key/i.test(toError(e).message)) return null;
      throw e;
    }
    const i = info.indexOf("last-generated-id");
    const seq = i >= 0 ? streamIdToSequence(String(info[i + 1])) : 0n;
    return seq === 0n ? null : seq;
  }

  /** @internal The tail reader's position. */
  get tailSequence(): bigint {
    return this.tail;
  }

  /**
   * @internal Events after `cursor` from the in-memory window: [] when the reader has seen
   * nothing newer (wait for a wake-up), null when the window does not reach back to cursor + 1
   * (read Redis).
   */
  fromWindow(cursor: bigint, max: number): DeliveredEvent[] | null {
    if (cursor >= this.tail) return [];
    const start = cursor + 1n - this.windowFirst;
    if (this.window.length === 0 || start < 0n || start >= BigInt(this.window.length)) return null;
    return this.window.slice(Number(start), Number(start) + max);
  }

  /** @internal XRANGE after `cursor` (from the start when null). */
  async range(cursor: bigint | null, max: number): Promise<DeliveredEvent[]> {
    const start = cursor === null ? "-" : "(" + sequenceToStreamId(cursor);
    const page = (await this.cmd.xrange(this.key, start, "+", "COUNT", max)) as Entry[];
    return page.map(decode);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.stopSleeping = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.stopSleeping = done;
    });
  }

  /**
   * While idle: has the stream restarted below what was read (its key deleted, or a Redis
   * without persistence restarted)? New sequences would then repeat old ones: the reader
   * starts over and every subscription re-checks its cursor (those beyond the new latest end
   * with an `ahead` error instead of silently missing the new stream's first events).
   */
  private async checkReset(): Promise<void> {
    let latest: bigint | null;
    try {
      latest = await this.latestSeq();
    } catch {
      return; // connection trouble: the next XREAD reports it
    }
    if ((latest ?? 0n) >= this.tail) return;
    this.logger.warn({ stream: this.key, readUpTo: this.tail.toString(), latest: latest?.toString() ?? null }, "event bus: the Redis stream restarted from scratch");
    this.tail = latest ?? 0n;
    this.window = [];
    this.resetCount++;
    this.wakeAll();
  }

  /** @internal */
  get resets(): number {
    return this.resetCount;
  }

  private async readTail(): Promise<void> {
    const backoff = new Backoff(100, 2000);
    while (!this.closed) {
      let res: [string, Entry[]][] | null;
      try {
        res = (await this.reader.xread("COUNT", PAGE, "BLOCK", BLOCK_MS, "STREAMS", this.key, sequenceToStreamId(this.tail))) as [string, Entry[]][] | null;
        backoff.reset();
      } catch (e) {
        if (this.closed) return;
        this.warn(toError(e), "event bus: reading the Redis stream failed; retrying");
        await this.sleep(backoff.next());
        continue;
      }
      const entries = res?.[0]?.[1];
      if (!entries || entries.length === 0) {
        await this.checkReset();
        continue;
      }
      for (const entry of entries) {
        let e: DeliveredEvent;
        try {
          e = decode(entry);
        } catch (err) {
          // Subscribers reading it through XRANGE end with the error; the window just restarts after it.
          this.window = [];
          this.tail = streamIdToSequence(entry[0]);
          continue;
        }
        const seq = BigInt(e.sequence);
        if (this.window.length === 0 || seq !== this.windowFirst + BigInt(this.window.length)) {
          this.window = [e];
          this.windowFirst = seq;
        } else {
          this.window.push(e);
        }
        this.tail = seq;
      }
      if (this.window.length > 2 * this.windowCapacity) {
        const drop = this.window.length - this.windowCapacity;
        this.window = this.window.slice(drop);
        this.windowFirst += BigInt(drop);
      }
      this.wakeAll();
    }
  }
}

class RedisSubscription extends Subscription<RedisEventBus> {

  protected async run(): Promise<void> {
    const bus = this.bus;
    const backoff = new Backoff(100, 2000);
    let checkedAhead = this.cursor === null;
    let resets = bus.resets;
    while (!this.closed) {
      try {
        if (resets !== bus.resets) {
          resets = bus.resets;
          checkedAhead = this.cursor === null;
        }
        if (!checkedAhead) {
          const latest = await bus.latestSeq();
          if (this.cursor !== null && this.cursor > (latest ?? 0n)) {
            this.fail(aheadError(this.cursor, latest));
            return;
          }
          checkedAhead = true;
        }
        // Read the reader's position before looking, so an entry it sees meanwhile is not missed.
        const tailBefore = bus.tailSequence;
        let batch = this.cursor === null ? null : bus.fromWindow(this.cursor, PAGE);
        batch ??= await bus.range(this.cursor, PAGE);
        backoff.reset();
        if (batch.length === 0) {
          // Nothing after the cursor: the tail reader rings when something is appended. The
          // timeout is only a safety net; no Redis call is made when the window says "nothing new".
          if (bus.tailSequence === tailBefore) await this.wait(5000);
          continue;
        }
        for (const e of batch) {
          if (!(await this.deliver(e))) return;
        }
      } catch (e) {
        if (this.closed) return;
        const err = toError(e);
        if (err instanceof EventStreamError) throw err;
        // Transient (connection) trouble: the cursor is kept, so retrying loses and repeats nothing.
        bus.warn(err, "event bus: reading the Redis stream failed; retrying");
        await this.pause(backoff.next());
      }
    }
  }
}

function decode([id, fields]: Entry): DeliveredEvent {
  let json: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === "e") json = fields[i + 1];
  if (json === undefined) throw new EventStreamError("malformed_event", `stream entry ${id} has no event`);
  let e: HubEvent;
  try {
    e = JSON.parse(json) as HubEvent;
  } catch {
    throw new EventStreamError("malformed_event", `stream entry ${id} is not JSON`);
  }
  return { ...e, sequence: streamIdToSequence(id).toString() };
}

export function createRedisBus(opts: RedisBusOptions): Promise<RedisEventBus> {
  return RedisEventBus.create(opts);
}
