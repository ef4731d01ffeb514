import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from "graphql";
import type { DeliveredEvent } from "../../events/types.js";

/** One event's result, serialized once and shared by every member of a group. */
export class Delivery {
  private buf: Buffer | null = null;
  constructor(readonly sequence: string, readonly json: string) {}
  /** UTF-8 bytes of `json`, encoded on first use (WebSocket members). */
  get bytes(): Buffer {
    return (this.buf ??= Buffer.from(this.json, "utf8"));
  }
}

/**
 * Results executed together, in order, with whatever encodings of them the members'
 * transports share (built by the first member that needs one, reused by the rest).
 */
export class Burst {
  private encodings = new Map<string, unknown>();
  constructor(readonly deliveries: readonly Delivery[]) {}

  shared<T>(key: string, make: () => T): T {
    let v = this.encodings.get(key) as T | undefined;
    if (v === undefined) this.encodings.set(key, (v = make()));
    return v;
  }
}

/**
 * The rule for a too slow client, whatever its transport: more than `maxQueue` messages'
 * worth (at this burst's average size) written and not yet sent.
 */
export function withinQueue(unsent: number, maxQueue: number, burstSize: number, messages: number): boolean {
  return unsent <= maxQueue * (burstSize / messages);
}

/** Where a member's deliveries go: a WebSocket subscription, an SSE response... */
export interface MemberWriter {
  /** Writes a burst of results in order; false when the client has too much unsent (it is then dropped). */
  write(burst: Burst): boolean;
  /** Ends the client's transport (too slow). */
  drop(reason: string): void;
}

/** A source of events that can hand over everything waiting at once (see SubscriberQueue). */
interface BurstSource extends AsyncIterator<DeliveredEvent> {
  burst?(max: number): Promise<DeliveredEvent[] | null>;
}

/** Events executed together: one burst is one round of entity fetches and one write per member. */
const MAX_BURST = 512;

/**
 * A member's subscription as the transport sees it: an async generator that yields
 * nothing (results are written by the group, not pulled), completes when the group
 * ends, fails with the group's error, and leaves the group on `return()`.
 */
export class Membership implements AsyncIterableIterator<never> {
  private settle!: { resolve(r: IteratorResult<never>): void; reject(e: unknown): void };
  private readonly ended = new Promise<IteratorResult<never>>((resolve, reject) => (this.settle = { resolve, reject }));
  private left = false;

  constructor(readonly writer: MemberWriter, private readonly leave: (m: Membership) => void) {
    this.ended.catch(() => undefined);
  }

  next(): Promise<IteratorResult<never>> {
    return this.ended;
  }

  return(): Promise<IteratorResult<never>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<never>> {
    return this.return();
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /** @internal Ends the client's transport and then its stream. */
  drop(reason: string): void {
    this.writer.drop(reason);
    this.finish();
  }

  /** @internal The group ended (err: with an error). */
  finish(err?: unknown): void {
    if (this.left) return;
    this.left = true;
    this.leave(this);
    if (err) this.settle.reject(err);
    else this.settle.resolve({ value: undefined, done: true });
  }
}

/**
 * Subscribers whose results are the same: one operation (document, variables) for one
 * caller's rights, from "now". The operation runs once per event for all of them and the
 * result is serialized once, so fan-out costs one buffer copy per member, not one
 * GraphQL execution and one JSON encoding each.
 */
class Group {
  readonly members = new Set<Membership>();
  private source: BurstSource | null = null;
  ended = false;
  readonly ready: Promise<ExecutionResult | null>;

  constructor(private readonly args: ExecutionArgs, private readonly onEnd: (g: Group) => void) {
    this.ready = this.start();
  }

  private async start(): Promise<ExecutionResult | null> {
    let stream: AsyncIterable<unknown> | ExecutionResult;
    try {
      stream = await createSourceEventStream(this.args);
    } catch (err) {
      this.end();
      throw err;
    }
    if (!(Symbol.asyncIterator in stream)) {
      this.end();
      return stream as ExecutionResult;
    }
    this.source = (stream as AsyncIterable<DeliveredEvent>)[Symbol.asyncIterator]() as BurstSource;
    return null;
  }

  private pumping = false;

  /** Adds a member; the first one starts the deliveries (a replaying group must not run ahead of it). */
  add(m: Membership): void {
    this.members.add(m);
    if (!this.pumping) {
      this.pumping = true;
      void this.pump();
    }
  }

  private nextBurst(): Promise<DeliveredEvent[] | null> {
    const s = this.source!;
    if (s.burst) return s.burst(MAX_BURST);
    return s.next().then((r) => (r.done ? null : [r.value]));
  }

  private async pump(): Promise<void> {
    let failure: unknown;
    try {
      while (!this.ended) {
        const events = await this.nextBurst();
        if (!events || this.ended) break;
        // Executed together, so the entities a burst needs are fetched in one federated operation.
        const results = await Promise.all(events.map((e) => execute({ ...this.args, rootValue: e })));
        const burst = new Burst(events.map((e, i) => new Delivery(e.sequence, JSON.stringify(results[i]))));
        for (const m of this.members) {
          if (!m.writer.write(burst)) m.drop("subscriber too slow: its connection has too many events waiting");
        }
        // Let sockets drain and more events gather before the next burst.
        await new Promise((r) => setImmediate(r));
      }
    } catch (err) {
      failure = err;
    }
    this.end();
    for (const m of [...this.members]) m.finish(failure);
  }

  /** Drops every member (the group's own queue overflowed: the hub cannot keep up). */
  drop(reason: string): void {
    for (const m of [...this.members]) m.drop(reason);
    this.end();
  }

  close(): void {
    this.end();
    for (const m of [...this.members]) m.finish();
  }

  leave(m: Membership): void {
    this.members.delete(m);
    if (this.members.size === 0) this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    void this.source?.return?.();
    this.onEnd(this);
  }
}

/**
 * Shares subscriptions between subscribers. `key` names what makes results equal (the
 * caller's rights, the document, the variables); null gives a private group (a resuming
 * subscriber replays from its own position).
 */
export class Fanout {
  private groups = new Map<string, Group>();
  private count = 0;

  /**
   * Joins (or starts) the group for `key`. Returns the membership, or the errors that
   * kept the subscription from starting (bad arguments, a watchlist not the caller's).
   * `context` builds the group's context value (its `drop` hook is filled in here).
   */
  async join(args: Omit<ExecutionArgs, "contextValue">, context: (drop: (reason: string) => void) => unknown, key: string | null, writer: MemberWriter): Promise<Membership | ExecutionResult> {
    const groupKey = key ?? `private:${++this.count}`;
    let group = this.groups.get(groupKey);
    if (!group || group.ended) {
      let created: Group | null = null;
      const contextValue = context((reason) => created?.drop(reason));
      created = new Group({ ...args, contextValue }, (g) => {
        if (this.groups.get(groupKey) === g) this.groups.delete(groupKey);
      });
      group = created;
      this.groups.set(groupKey, group);
    }
    const failed = await group.ready;
    if (failed) return failed;
    if (group.ended) return this.join(args, context, key, writer);
    const m: Membership = new Membership(writer, (x) => group.leave(x));
    group.add(m);
    return m;
  }

  /** Groups running and the subscribers in them. */
  get stats(): { groups: number; members: number } {
    let members = 0;
    for (const g of this.groups.values()) members += g.members.size;
    return { groups: this.groups.size, members };
  }

  /** Completes every subscription (the transports are closed by their servers). */
  close(): void {
    for (const g of [...this.groups.values()]) g.close();
  }
}
