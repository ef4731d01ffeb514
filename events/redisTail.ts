// The Redis bus's one shared tail reader: XREAD BLOCK on its own connection into a bounded window of the newest events.
import type { Redis } from "ioredis";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../lib/logger.js";
import { decode, lastAssignedSequence, PAGE, sequenceToStreamId, streamIdToSequence, type Entry } from "./redisStream.js";
import { Backoff } from "./retry.js";
import { toError } from "./sequence.js";
import type { DeliveredEvent } from "./types.js";

/** How long one XREAD blocks before it asks again (and, idle, checks for a reset). */
const BLOCK_MS = 2000;
/** Most events the window keeps (it grows to twice this before it is trimmed). */
const MAX_WINDOW = 10_000;

export interface TailOptions {
  /** The bus's command connection, for XINFO while the reader's own one is blocked. */
  cmd: Redis;
  key: string;
  retain: number;
  logger: Logger;
  /** The bus's rate-limited warning. */
  warn(err: Error, msg: string): void;
  /** Something was appended, or the stream restarted: every subscription looks again. */
  ring(): void;
}

/** See "FAN-OUT" on RedisEventBus: why one reader per bus, and how subscribers use its window. */
export class TailReader {
  /** Newest events seen: contiguous sequences windowFirst .. windowFirst + length - 1. */
  private window: DeliveredEvent[] = [];
  private windowFirst = 0n;
  private readonly windowCapacity: number;
  /** Sequence of the last entry seen (the XREAD position). */
  private tail = 0n;
  /** Times the stream was found to have restarted below `tail` (key deleted, Redis restarted without persistence). */
  private resetCount = 0;
  /** Aborted on stop: ends the back-off sleep early. */
  private readonly stopping = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly reader: Redis,
    private readonly o: TailOptions,
  ) {
    this.windowCapacity = Math.min(o.retain, MAX_WINDOW);
  }

  /** Reads what is appended after `from` (the stream's last sequence at start; 0 when empty). */
  start(from: bigint): void {
    this.tail = from;
    this.loop = this.read();
  }

  /** Aborts the blocked XREAD (disconnecting the reader's connection) and any back-off sleep. */
  stop(): void {
    this.stopping.abort();
    this.reader.disconnect();
  }

  /** Resolves once the reading loop has ended (after `stop()`). */
  get done(): Promise<void> {
    return this.loop;
  }

  /** The reader's position: the last sequence it has seen. */
  get position(): bigint {
    return this.tail;
  }

  /** Changes when the stream restarted from scratch: subscriptions re-check their cursor. */
  get resets(): number {
    return this.resetCount;
  }

  /**
   * Events after `cursor` from the window: [] when the reader has seen nothing newer (wait
   * for a ring), null when the window does not reach back to cursor + 1 (read Redis).
   */
  fromWindow(cursor: bigint, max: number): DeliveredEvent[] | null {
    if (cursor >= this.tail) return [];
    const start = cursor + 1n - this.windowFirst;
    if (this.window.length === 0 || start < 0n || start >= BigInt(this.window.length)) return null;
    return this.window.slice(Number(start), Number(start) + max);
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async read(): Promise<void> {
    const backoff = new Backoff(100, 2000);
    const { key } = this.o;
    while (!this.stopped) {
      let res: [string, Entry[]][] | null;
      try {
        res = (await this.reader.xread("COUNT", PAGE, "BLOCK", BLOCK_MS, "STREAMS", key, sequenceToStreamId(this.tail))) as [string, Entry[]][] | null;
        backoff.reset();
      } catch (e) {
        if (this.stopped) return;
        this.o.warn(toError(e), "event bus: reading the Redis stream failed; retrying");
        await sleep(backoff.next(), undefined, { signal: this.stopping.signal }).catch(() => undefined);
        continue;
      }
      const entries = res?.[0]?.[1];
      if (!entries || entries.length === 0) {
        await this.checkReset();
        continue;
      }
      this.append(entries);
      this.o.ring();
    }
  }

  private append(entries: Entry[]): void {
    for (const entry of entries) {
      let e: DeliveredEvent;
      try {
        e = decode(entry);
      } catch {
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
      latest = await lastAssignedSequence(this.o.cmd, this.o.key);
    } catch {
      return; // connection trouble: the next XREAD reports it
    }
    if ((latest ?? 0n) >= this.tail) return;
    this.o.logger.warn({ stream: this.o.key, readUpTo: this.tail.toString(), latest: latest?.toString() ?? null }, "event bus: the Redis stream restarted from scratch");
    this.tail = latest ?? 0n;
    this.window = [];
    this.resetCount++;
    this.o.ring();
  }
}
