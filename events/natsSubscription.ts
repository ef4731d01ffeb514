// The NATS bus's subscription: bounded pulls from its own JetStream consumer, recreated from the cursor after any trouble.
import type { Consumer, ConsumerMessages } from "nats";
import { Subscription } from "./delivery.js";
import { Backoff } from "./retry.js";
import { EventStreamError, toError } from "./sequence.js";
import type { HubEvent } from "./types.js";

/** Messages one pull asks for: bounds what a slow subscriber has buffered in this process. */
const FETCH_BATCH = 256;
/** How long one pull waits for messages before the next (JetStream's minimum is 1 s). */
const FETCH_EXPIRES_MS = 5000;
/**
 * The server's sign of life during a pull that waits: two missed ones and the client checks
 * its consumer, failing the pull when the consumer is gone (deleted, server restarted), as a
 * pull sent to a consumer that no longer exists gets no answer at all. 1 s: a vanished
 * consumer is noticed (and recreated from the cursor) in about 2 s, well before the pull expires.
 */
const FETCH_HEARTBEAT_MS = 1000;

/** What the subscription needs from its bus (NatsEventBus). */
export interface ConsumerSource {
  /** A new consumer delivering from `after + 1`; rejects with `ahead` when `after` is beyond the stream. */
  openConsumer(after: bigint | null): Promise<{ consumer: Consumer; name: string }>;
  dropConsumer(name: string): Promise<void>;
  warn(err: Error, msg: string): void;
}

/**
 * Reads through its own pull consumer, recreated from the cursor after any error and
 * whenever a message is not the one right after it (see NatsEventBus).
 */
export class NatsSubscription extends Subscription<ConsumerSource> {
  private messages: ConsumerMessages | null = null;
  /** Consecutive failures without an event delivered in between: the back-off. */
  private readonly backoff = new Backoff(100, 2000);

  protected override interrupt(): void {
    this.messages?.stop();
  }

  protected async run(): Promise<void> {
    const bus = this.bus;
    while (!this.closed) {
      let consumer: { consumer: Consumer; name: string };
      try {
        consumer = await bus.openConsumer(this.cursor);
      } catch (e) {
        if (this.closed) return;
        if (e instanceof EventStreamError || isStreamNotFound(e)) throw e;
        bus.warn(toError(e), "event bus: creating a JetStream consumer failed; retrying");
        await this.pause(this.backoff.next());
        continue;
      }
      try {
        await this.read(consumer.consumer);
      } catch (e) {
        if (this.closed) return;
        if (e instanceof EventStreamError) throw e;
        bus.warn(toError(e), "event bus: reading JetStream failed; retrying");
        await this.pause(this.backoff.next());
      } finally {
        this.messages = null;
        await bus.dropConsumer(consumer.name);
      }
    }
  }

  /**
   * Pulls from `consumer` and delivers, until closed or until the consumer is no longer
   * right behind the cursor (returns: the caller recreates it from the cursor).
   */
  private async read(consumer: Consumer): Promise<void> {
    // The consumer's first message may legitimately be past cursor + 1 (deliver() reports
    // that gap); any later jump is the consumer's doing (a pull cut short, messages lost on
    // the way, retention overtaking it), so it is repositioned, and its replacement's first
    // message tells whether cursor + 1 still exists.
    let first = true;
    while (!this.closed) {
      const messages = await consumer.fetch({ max_messages: FETCH_BATCH, expires: FETCH_EXPIRES_MS, idle_heartbeat: FETCH_HEARTBEAT_MS });
      this.messages = messages;
      if (this.closed) messages.stop();
      for await (const m of messages) {
        if (!first && this.cursor !== null && BigInt(m.seq) > this.cursor + 1n) {
          this.bus.warn(new Error(`consumer delivered ${m.seq} after ${this.cursor}`), "event bus: JetStream consumer skipped ahead; recreating it at the cursor");
          messages.stop();
          return;
        }
        first = false;
        let e: HubEvent;
        try {
          e = m.json<HubEvent>();
        } catch {
          throw new EventStreamError("malformed_event", `stream message ${m.seq} is not JSON`);
        }
        if (!(await this.deliver({ ...e, sequence: String(m.seq) }))) {
          messages.stop();
          return;
        }
        this.backoff.reset();
      }
      this.messages = null;
    }
  }
}

function isStreamNotFound(e: unknown): boolean {
  const err = e as { message?: string; api_error?: { err_code?: number } };
  return err?.api_error?.err_code === 10059 || /stream not found/i.test(err?.message ?? "");
}
