// The in-process bus: a ring buffer of the last `retain` events and a counter for sequences.
import { BusBase, retainOption } from "./busBase.js";
import { Subscription, type SubscriptionInit } from "./delivery.js";
import { aheadError, gapError } from "./sequence.js";
import type { DeliveredEvent, EventBus, HubEvent } from "./types.js";

/**
 * In-process bus (one process: tests, a single-instance hub). Sequence = a counter from 1;
 * the last `retain` events are kept in a ring buffer for replay. A subscriber that falls
 * more than `retain` events behind (or resumes from an older sequence) gets a `gap`
 * error instead of silently skipping.
 */
export class MemoryEventBus extends BusBase implements EventBus {
  readonly kind = "memory" as const;
  private readonly retain: number;
  private readonly ring: (DeliveredEvent | undefined)[];
  /** Sequence of the last event published; 0 when none. */
  private last = 0;

  constructor(opts: { retain?: number } = {}) {
    super();
    this.retain = retainOption(opts.retain);
    this.ring = new Array<DeliveredEvent | undefined>(this.retain);
  }

  async publish(events: HubEvent[]): Promise<string[]> {
    this.assertOpen();
    const sequences: string[] = [];
    for (const e of events) {
      const seq = ++this.last;
      const delivered: DeliveredEvent = { ...e, sequence: String(seq) };
      this.ring[seq % this.retain] = delivered;
      sequences.push(delivered.sequence);
    }
    if (events.length > 0) this.wakeAll();
    return sequences;
  }

  protected createSubscription(init: SubscriptionInit): Subscription {
    return new MemorySubscription(this, init);
  }

  async latestSequence(): Promise<string | null> {
    return this.last === 0 ? null : String(this.last);
  }

  async lastEventOf(stream: string): Promise<DeliveredEvent | null> {
    for (let seq = this.last; seq >= this.oldest; seq--) {
      const e = this.at(seq);
      if (e.stream === stream) return e;
    }
    return null;
  }

  /** @internal */
  get latest(): number {
    return this.last;
  }

  /** @internal Oldest retained sequence (1 when nothing was evicted yet). */
  get oldest(): number {
    return Math.max(1, this.last - this.retain + 1);
  }

  /** @internal Only for oldest <= seq <= latest. */
  at(seq: number): DeliveredEvent {
    return this.ring[seq % this.retain]!;
  }
}

class MemorySubscription extends Subscription<MemoryEventBus> {
  protected async run(): Promise<void> {
    const bus = this.bus;
    if (this.cursor !== null && this.cursor > BigInt(bus.latest)) {
      this.fail(aheadError(this.cursor, bus.latest === 0 ? null : BigInt(bus.latest)));
      return;
    }
    let next = this.cursor === null ? bus.oldest : Number(this.cursor) + 1;
    while (!this.closed) {
      if (next > bus.latest) {
        await this.wait();
        continue;
      }
      if (next < bus.oldest) {
        this.fail(gapError(BigInt(next - 1), BigInt(bus.oldest)));
        return;
      }
      if (!(await this.deliver(bus.at(next)))) return;
      next++;
    }
  }
}
