// The Redis Streams bus: connections, publishing with XADD, and its subscriptions (reading the tail reader's window or XRANGE).
import { Redis, type RedisOptions } from "ioredis";
import { createLogger, type Logger } from "../lib/logger.js";
import { BusBase, redactUrl, retainOption } from "./busBase.js";
import { Subscription, type SubscriptionInit } from "./delivery.js";
import { decode, EVENT_FIELD, lastAssignedSequence, PAGE, sequenceToStreamId, streamIdToSequence, type Entry } from "./redisStream.js";
import { TailReader } from "./redisTail.js";
import { Backoff } from "./retry.js";
import { aheadError, EventStreamError, toError } from "./sequence.js";
import type { DeliveredEvent, EventBus, HubEvent } from "./types.js";

export const DEFAULT_REDIS_STREAM = "hub:events";

export interface RedisBusOptions {
  redisUrl: string;
  streamName?: string;
  retain?: number;
  connectTimeoutMs?: number;
}

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
  /** @internal */
  readonly tail: TailReader;

  private constructor(
    private readonly cmd: Redis,
    reader: Redis,
    private readonly key: string,
    private readonly retain: number,
    logger: Logger,
  ) {
    super({ logger, stream: key });
    this.tail = new TailReader(reader, { cmd, key, retain, logger, warn: (err, msg) => this.warn(err, msg), ring: () => this.wakeAll() });
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
      bus.tail.start(latest ?? 0n);
    } catch (e) {
      cmd.disconnect();
      reader.disconnect();
      throw new Error(`event bus: cannot use Redis at ${redactUrl(opts.redisUrl)}: ${toError(e).message}`);
    }
    return bus;
  }

  async publish(events: HubEvent[]): Promise<string[]> {
    this.assertOpen();
    if (events.length === 0) return [];
    // One MULTI: the batch gets consecutive sequences, all or nothing.
    const multi = this.cmd.multi();
    for (const e of events) multi.xadd(this.key, "MAXLEN", "~", String(this.retain), "0-*", EVENT_FIELD, JSON.stringify(e));
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
    this.tail.stop();
  }

  protected override async release(): Promise<void> {
    await this.tail.done;
    try {
      if (this.cmd.status === "ready") await this.cmd.quit();
      else this.cmd.disconnect();
    } catch {
      this.cmd.disconnect();
    }
  }

  /** @internal The last sequence ever assigned (see lastAssignedSequence). */
  latestSeq(): Promise<bigint | null> {
    return lastAssignedSequence(this.cmd, this.key);
  }

  /** @internal XRANGE after `cursor` (from the start when null). */
  async range(cursor: bigint | null, max: number): Promise<DeliveredEvent[]> {
    const start = cursor === null ? "-" : "(" + sequenceToStreamId(cursor);
    const page = (await this.cmd.xrange(this.key, start, "+", "COUNT", max)) as Entry[];
    return page.map(decode);
  }
}

/**
 * Reads after its cursor: from the tail reader's window when it reaches back that far, with
 * XRANGE otherwise; when nothing is new, waits for the reader to ring.
 */
class RedisSubscription extends Subscription<RedisEventBus> {
  protected async run(): Promise<void> {
    const bus = this.bus;
    const backoff = new Backoff(100, 2000);
    let checkedAhead = this.cursor === null;
    let resets = bus.tail.resets;
    while (!this.closed) {
      try {
        if (resets !== bus.tail.resets) {
          resets = bus.tail.resets;
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
        const tailBefore = bus.tail.position;
        let batch = this.cursor === null ? null : bus.tail.fromWindow(this.cursor, PAGE);
        batch ??= await bus.range(this.cursor, PAGE);
        backoff.reset();
        if (batch.length === 0) {
          // Nothing after the cursor: the tail reader rings when something is appended. The
          // timeout is only a safety net; no Redis call is made when the window says "nothing new".
          if (bus.tail.position === tailBefore) await this.wait(5000);
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

export function createRedisBus(opts: RedisBusOptions): Promise<RedisEventBus> {
  return RedisEventBus.create(opts);
}
