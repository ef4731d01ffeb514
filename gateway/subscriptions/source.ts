import type { DeliveredEvent, EventBus, EventSubscription } from "../../events/types.js";
import { followEvents } from "../../events/follow.js";
import type { Logger } from "../../lib/logger.js";

export type EventFilter = (e: DeliveredEvent) => boolean;

/**
 * One subscriber's events: a bounded queue. A subscriber that cannot keep up
 * fills it and is dropped (told through `onOverflow`), so a slow client neither
 * slows the others nor grows the gateway's memory without bound.
 */
export class SubscriberQueue implements AsyncIterableIterator<DeliveredEvent> {
  private items: DeliveredEvent[] = [];
  private waiting: ((r: IteratorResult<DeliveredEvent>) => void) | null = null;
  private failed: ((e: Error) => void) | null = null;
  private done = false;
  private seen = new Set<string>();

  constructor(private max: number, private filter: EventFilter, private onOverflow: () => void, private onClose: () => void) {}

  push(e: DeliveredEvent): void {
    if (this.done || !this.filter(e)) return;
    // The relay is at-least-once: drop an event id already delivered (bounded memory of ids).
    if (this.seen.has(e.id)) return;
    this.seen.add(e.id);
    if (this.seen.size > 10_000) this.seen.delete(this.seen.values().next().value!);
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = this.failed = null;
      w({ value: e, done: false });
      return;
    }
    if (this.items.length >= this.max) {
      this.finish();
      this.onOverflow();
      return;
    }
    this.items.push(e);
  }

  fail(err: Error): void {
    if (this.failed) this.failed(err);
    this.finish();
  }

  private served = 0;

  next(): Promise<IteratorResult<DeliveredEvent>> {
    const item = this.items.shift();
    // Serving a backlog resolves at once; every 64 items let timers and I/O (health checks, the relay) run.
    if (item) return ++this.served % 64 === 0 ? new Promise((r) => setImmediate(() => r({ value: item, done: false }))) : Promise.resolve({ value: item, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
    });
  }

  /** Everything waiting (at most `max`) once there is at least one event; null once ended. */
  async burst(max: number): Promise<DeliveredEvent[] | null> {
    if (this.items.length) return this.items.splice(0, max);
    const first = await this.next();
    if (first.done) return null;
    // A bus hands over a batch one event per microtask: let the rest of it arrive, so the
    // batch is one burst (one write per subscriber) rather than its first event and the rest.
    await new Promise((r) => setImmediate(r));
    return [first.value, ...this.items.splice(0, max - 1)];
  }

  return(): Promise<IteratorResult<DeliveredEvent>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.items = [];
    this.waiting?.({ value: undefined, done: true });
    this.waiting = this.failed = null;
    this.onClose();
  }
}

/**
 * The gateway's side of the bus: one shared live subscription fanned out to
 * every subscriber that starts "from now", and a bus subscription of its own for
 * each subscriber resuming `after` a sequence (replay, then live, no gap).
 */
export class EventHub {
  private live = new Set<SubscriberQueue>();
  private liveSub: EventSubscription | null = null;

  constructor(private bus: EventBus, private maxQueue: number, private logger: Logger) {}

  private closed = false;

  /**
   * The shared live subscription. If the bus ends it (a lost connection, a reported gap) it
   * is taken up again after a 1 s pause rather than leaving every live subscriber silently
   * without events: from the last event seen, or, when that position is gone for good, from
   * the newest one (live subscribers see the jump in `sequence`; the loss is logged).
   */
  async start(): Promise<void> {
    const from = await this.bus.latestSequence();
    if (this.closed) return;
    this.liveSub = followEvents(this.bus, {
      from,
      onEvent: (e) => {
        for (const q of this.live) q.push(e);
      },
      onLostPosition: "newest",
      logger: this.logger,
      describe: "live event subscription",
      retryMs: 1000,
      maxRetryMs: 1000,
    });
  }

  open(after: string | null, filter: EventFilter, onOverflow: () => void): SubscriberQueue {
    if (after === null) {
      const q: SubscriberQueue = new SubscriberQueue(this.maxQueue, filter, onOverflow, () => this.live.delete(q));
      this.live.add(q);
      return q;
    }
    let sub: EventSubscription | null = null;
    const q = new SubscriberQueue(this.maxQueue, filter, onOverflow, () => sub?.close());
    sub = this.bus.subscribe(after, (e) => q.push(e), (err) => q.fail(err));
    return q;
  }

  get subscribers(): number {
    return this.live.size;
  }

  close(): void {
    this.closed = true;
    this.liveSub?.close();
    this.live.clear();
  }
}
