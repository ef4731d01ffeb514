// The NATS JetStream bus: connection, the stream's configuration, publishing, and the consumers its subscriptions read.
import {
  AckPolicy,
  connect,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  nanos,
  type Consumer,
  type ConsumerConfig,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
  type StreamConfig,
} from "nats";
import { createLogger } from "../lib/logger.js";
import { BusBase, redactUrl, retainOption } from "./busBase.js";
import type { Subscription, SubscriptionInit } from "./delivery.js";
import { NatsSubscription } from "./natsSubscription.js";
import { aheadError, toError } from "./sequence.js";
import type { DeliveredEvent, EventBus, HubEvent } from "./types.js";

export const DEFAULT_NATS_STREAM = "HUB_EVENTS";
export const DEFAULT_SUBJECT_PREFIX = "hub.events";

/** Publishes in flight at once (they are sent in order on one connection, so order is kept). */
const PUBLISH_WINDOW = 256;
/** JetStream drops a re-publish of the same event id within this window. */
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;
/**
 * The server deletes a subscription's consumer after this long without a pull: the time a
 * slow handler may spend on one batch before its consumer is recreated (from the cursor, so
 * nothing is lost), and how long a consumer outlives a process that died.
 */
const CONSUMER_IDLE_MS = 5 * 60 * 1000;

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
 * Each subscription (natsSubscription.ts) reads through its own ephemeral pull consumer (no
 * acks, in memory), created to start right after the subscription's cursor, with bounded
 * pulls (`fetch` of FETCH_BATCH) rather than `consume()`, whose prefetch keeps pulling however
 * slow the handler is: this way a slow subscriber has at most one batch buffered and holds up
 * no one.
 *
 * Not the client's "ordered consumer": that one moves its own position when a message
 * reaches the client, not when the handler is done with it, and drops what it had buffered
 * when a pull ends or it resets, so a handler slower than the pulls lost the rest of each
 * batch and saw a (false) gap. Here the subscription's cursor is the only position that
 * counts: the consumer is recreated from it after any error, and whenever a message is not
 * the one right after it.
 */
export class NatsEventBus extends BusBase implements EventBus {
  readonly kind = "nats" as const;
  private readonly prefix: string;

  private constructor(
    private readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly stream: string,
    opts: NatsBusOptions,
  ) {
    super({ logger: createLogger("events-nats"), stream });
    this.prefix = opts.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX;
  }

  static async create(opts: NatsBusOptions): Promise<NatsEventBus> {
    const retain = retainOption(opts.retain);
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
      throw new Error(`event bus: cannot connect to NATS at ${redactUrl(opts.natsUrl)}: ${toError(e).message}`);
    }
    try {
      const jsm = await nc.jetstreamManager();
      const bus = new NatsEventBus(nc, nc.jetstream(), jsm, opts.streamName ?? DEFAULT_NATS_STREAM, opts);
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
    this.assertOpen();
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

  protected createSubscription(init: SubscriptionInit): Subscription {
    return new NatsSubscription(this, init);
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

  /**
   * @internal A new consumer delivering from `after + 1` (from the first retained event when
   * null). Its first message is the first retained one at or after that sequence, so when it
   * is not `after + 1`, `after + 1` is gone: a real gap. Rejects with `ahead` when `after` is
   * beyond the stream's last sequence (the stream was reset).
   */
  async openConsumer(after: bigint | null): Promise<{ consumer: Consumer; name: string }> {
    const latest = await this.latestSeq();
    if (after !== null && after > BigInt(latest ?? 0)) throw aheadError(after, latest === null ? null : BigInt(latest));
    const config: Partial<ConsumerConfig> = {
      ack_policy: AckPolicy.None,
      mem_storage: true,
      num_replicas: 1,
      inactive_threshold: nanos(CONSUMER_IDLE_MS),
      ...(after === null ? { deliver_policy: DeliverPolicy.All } : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Number(after + 1n) }),
    };
    const info = await this.jsm.consumers.add(this.stream, config);
    try {
      return { consumer: await this.js.consumers.get(this.stream, info.name), name: info.name };
    } catch (e) {
      await this.dropConsumer(info.name);
      throw e;
    }
  }

  /** @internal Best effort: an ephemeral consumer left behind is removed by the server when idle. */
  async dropConsumer(name: string): Promise<void> {
    if (this.nc.isClosed()) return;
    await this.jsm.consumers.delete(this.stream, name).catch(() => false);
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

  protected override async release(): Promise<void> {
    await this.nc.close();
  }
}

function isNotFound(e: unknown): boolean {
  const err = e as { code?: string; message?: string; api_error?: { code?: number } };
  return err?.api_error?.code === 404 || err?.code === "404" || /not found|no message found/i.test(err?.message ?? "");
}

export function createNatsBus(opts: NatsBusOptions): Promise<NatsEventBus> {
  return NatsEventBus.create(opts);
}
