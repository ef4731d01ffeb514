import {
  connect,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  nanos,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
  type OrderedConsumerOptions,
  type StreamConfig,
} from "nats";
import { createLogger } from "../logger.js";
import { Subscription, attachSubscription } from "./delivery.js";
import { aheadError, EventStreamError, toError } from "./sequence.js";
import { DEFAULT_RETAIN, type DeliveredEvent, type EventBus, type EventSubscription, type HubEvent } from "./types.js";

export const DEFAULT_NATS_STREAM = "HUB_EVENTS";
export const DEFAULT_SUBJECT_PREFIX = "hub.events";

/** Messages one pull asks for: bounds what a slow subscriber has buffered in this process. */
const FETCH_BATCH = 256;
/** How long one pull waits for messages before the next (JetStream's minimum is 1 s). */
const FETCH_EXPIRES_MS = 5000;
/** Publishes in flight at once (they are sent in order on one connection, so order is kept). */
const PUBLISH_WINDOW = 256;
/** JetStream drops a re-publish of the same event id within this window. */
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

export interface NatsBusOptions {
  natsUrl: string;
  streamName?: string;
  retain?: number;
  subjectPrefix?: string;
  connectTimeoutMs?: number;
}

/**
 * NATS JetStream bus. One stream (limits retention, max_msgs = retain, discard old) capturing
 * `<prefix>.>`; events are published to `<prefix>.<event.stream>` with `Nats-Msg-Id` = event
 * id, so JetStream drops a re-publish within its dedupe window (the relay's retries). The
 * sequence is the JetStream stream sequence (dense: 1, 2, 3, ...).
 *
 * Each subscription is its own ordered consumer (ephemeral, server-side cursor, recreated by
 * the client at the right sequence after any hiccup), read with bounded pulls (`fetch` of
 * {@link FETCH_BATCH}) rather than `consume()`, whose prefetch keeps pulling however slow the
 * handler is: this way a slow subscriber has at most one batch buffered and holds up no one.
 */
export class NatsEventBus implements EventBus {
  readonly kind = "nats" as const;
  readonly stream: string;
  private readonly prefix: string;
  private readonly subs = new Set<Subscription>();
  private readonly logger = createLogger("events-nats");
  private closed = false;
  private lastWarn = 0;

  private constructor(
    private readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    opts: NatsBusOptions,
  ) {
    this.stream = opts.streamName ?? DEFAULT_NATS_STREAM;
    this.prefix = opts.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX;
  }

  static async create(opts: NatsBusOptions): Promise<NatsEventBus> {
    const retain = opts.retain ?? DEFAULT_RETAIN;
    if (!Number.isSafeInteger(retain) || retain < 1) throw new RangeError("retain must be a positive integer");
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: opts.natsUrl,
        name: "hub-events",
        timeout: opts.connectTimeoutMs ?? 2000,
        // After the first connection: keep reconnecting in the background.
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
      });
    } catch (e) {
      throw new Error(`event bus: cannot connect to NATS at ${redact(opts.natsUrl)}: ${toError(e).message}`);
    }
    try {
      const jsm = await nc.jetstreamManager();
      const bus = new NatsEventBus(nc, nc.jetstream(), jsm, opts);
      await bus.ensureStream(retain);
      return bus;
    } catch (e) {
      await nc.close().catch(() => {});
      throw e;
    }
  }

  private async ensureStream(retain: number): Promise<void> {
    const wanted: Partial<StreamConfig> = {
      name: this.stream,
      subjects: [`${this.prefix}.>`],
      retention: RetentionPolicy.Limits,
      max_msgs: retain,
      discard: DiscardPolicy.Old,
      storage: StorageType.File,
      num_replicas: 1,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    };
    let config: StreamConfig;
    try {
      config = (await this.jsm.streams.info(this.stream)).config;
    } catch (e) {
      if (!isNotFound(e)) throw e;
      await this.jsm.streams.add(wanted);
      return;
    }
    if (config.max_msgs !== retain || !config.subjects?.includes(`${this.prefix}.>`)) {
      await this.jsm.streams.update(this.stream, { ...config, subjects: [`${this.prefix}.>`], max_msgs: retain });
    }
  }

  subject(stream: string): string {
    return `${this.prefix}.${stream.replace(/[^A-Za-z0-9_-]/g, "_") || "_"}`;
  }

  async publish(events: HubEvent[]): Promise<string[]> {
    if (this.closed) throw new Error("event bus is closed");
    const sequences: string[] = [];
    const encoder = new TextEncoder();
    // js.publish sends synchronously when called, so publishes started in order reach the
    // server in order and get increasing sequences. A re-publish (same msgID within the dedupe
    // window) answers with the original's sequence.
    for (let i = 0; i < events.length; i += PUBLISH_WINDOW) {
      const acks = await Promise.all(
        events.slice(i, i + PUBLISH_WINDOW).map((e) => this.js.publish(this.subject(e.stream), encoder.encode(JSON.stringify(e)), { msgID: e.id })),
      );
      for (const a of acks) sequences.push(String(a.seq));
    }
    return sequences;
  }

  subscribe(after: string | null, onEvent: (e: DeliveredEvent) => void | Promise<void>, onError?: (err: Error) => void): EventSubscription {
    return attachSubscription(new NatsSubscription(this, after, onEvent, onError, (s) => this.subs.delete(s)), this.subs, this.closed);
  }

  async latestSequence(): Promise<string | null> {
    const s = await this.latestSeq();
    return s === null ? null : String(s);
  }

  /** @internal */
  async latestSeq(): Promise<number | null> {
    const info = await this.jsm.streams.info(this.stream);
    return info.state.last_seq > 0 ? info.state.last_seq : null;
  }

  async lastEventOf(stream: string): Promise<DeliveredEvent | null> {
    try {
      const m = await this.jsm.streams.getMessage(this.stream, { last_by_subj: this.subject(stream) });
      return { ...m.json<HubEvent>(), sequence: String(m.seq) };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const subs = [...this.subs];
    for (const s of subs) s.close();
    await Promise.all(subs.map((s) => s.done));
    await this.nc.close();
  }

  /** @internal Rate-limited warning (one line per 10 s). */
  warn(err: Error, msg: string): void {
    if (this.closed) return;
    const now = Date.now();
    if (now - this.lastWarn < 10_000) return;
    this.lastWarn = now;
    this.logger.warn({ err, stream: this.stream }, msg);
  }
}

class NatsSubscription extends Subscription {
  private messages: ConsumerMessages | null = null;

  constructor(
    private readonly bus: NatsEventBus,
    after: string | null,
    onEvent: (e: DeliveredEvent) => void | Promise<void>,
    onError: ((err: Error) => void) | undefined,
    onEnd: (s: Subscription) => void,
  ) {
    super(after, onEvent, onError, onEnd);
  }

  protected override interrupt(): void {
    this.messages?.stop();
  }

  protected async run(): Promise<void> {
    const bus = this.bus;
    if (this.cursor !== null) {
      const latest = await bus.latestSeq();
      if (this.cursor > BigInt(latest ?? 0)) {
        this.fail(aheadError(this.cursor, latest === null ? null : BigInt(latest)));
        return;
      }
    }
    let failures = 0;
    while (!this.closed) {
      // (Re)created from our own cursor, so a failure in between loses and repeats nothing.
      // Starting at cursor + 1 when that is no longer retained starts at the first retained
      // one instead, which deliver() reports as a gap.
      const opts: Partial<OrderedConsumerOptions> =
        this.cursor === null ? {} : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Number(this.cursor) + 1 };
      let consumer;
      try {
        consumer = await bus.js.consumers.get(bus.stream, opts);
      } catch (e) {
        if (this.closed) return;
        if (isNotFound(e)) throw e;
        bus.warn(toError(e), "event bus: creating a JetStream consumer failed; retrying");
        await this.pause(Math.min(100 * 2 ** failures++, 2000));
        continue;
      }
      try {
        while (!this.closed) {
          const messages = await consumer.fetch({ max_messages: FETCH_BATCH, expires: FETCH_EXPIRES_MS });
          this.messages = messages;
          if (this.closed) messages.stop();
          for await (const m of messages) {
            let e: HubEvent;
            try {
              e = m.json<HubEvent>();
            } catch {
              throw new EventStreamError("malformed_event", `stream message ${m.seq} is not JSON`);
            }
            if (!(await this.deliver({ ...e, sequence: String(m.seq) }))) {
              messages.stop();
              break;
            }
          }
          this.messages = null;
          failures = 0;
        }
      } catch (e) {
        if (this.closed) return;
        if (e instanceof EventStreamError || isNotFound(e)) throw e;
        bus.warn(toError(e), "event bus: reading JetStream failed; retrying");
        await this.pause(Math.min(100 * 2 ** failures++, 2000));
      } finally {
        this.messages = null;
        await consumer.delete().catch(() => false);
      }
    }
  }
}

function isNotFound(e: unknown): boolean {
  const err = e as { code?: string; message?: string; api_error?: { code?: number } };
  return err?.api_error?.code === 404 || err?.code === "404" || /not found|no message found/i.test(err?.message ?? "");
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

export function createNatsBus(opts: NatsBusOptions): Promise<NatsEventBus> {
  return NatsEventBus.create(opts);
}
