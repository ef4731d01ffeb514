// A subscription's delivery, the same on every bus: the cursor, the gap check, one onEvent at a time, yielding to the event loop.
import { createLogger } from "../lib/logger.js";
import { gapError, parseSequence, toError } from "./sequence.js";
import type { DeliveredEvent, EventSubscription } from "./types.js";

export type OnEvent = (e: DeliveredEvent) => void | Promise<void>;
export type OnError = (err: Error) => void;

/** What `EventBus.subscribe` was given, and how the bus forgets the subscription once it ends. */
export interface SubscriptionInit {
  after: string | null;
  onEvent: OnEvent;
  onError: OnError | undefined;
  onEnd: (s: Subscription) => void;
}

/**
 * Longest run of deliveries before the subscription yields to the event loop. Handlers that
 * await in-process work (the embedded PGlite store answers through microtasks, never through
 * I/O) otherwise hold the loop for the whole backlog: 1,000 risk-engine events kept the
 * gateway from reading its sockets for seconds, so WebSocket clients timed out their
 * connection_init. Measured by time, not count: one slow handler or many fast ones alike.
 */
const YIELD_AFTER_MS = 10;

let fallbackLogger: ReturnType<typeof createLogger> | null = null;
function logUnhandled(err: Error): void {
  fallbackLogger ??= createLogger("events");
  fallbackLogger.warn({ err }, "event subscription ended with an error (no onError given)");
}

/**
 * What every bus's subscription shares: the cursor (sequence of the last event handed to
 * `onEvent`), the rule that the next event must be exactly cursor + 1 (sequences are dense
 * on every bus, so anything else is a gap and ends the subscription), one `onEvent` at a
 * time, and a wake-up the bus rings when something new may have arrived.
 *
 * A subclass implements `run()`: fetch what follows `cursor`, hand each to `deliver`, and
 * `wait()` when there is nothing more.
 */
export abstract class Subscription<Bus = unknown> implements EventSubscription {
  /** Sequence of the last event delivered (or `after`); null until the first when `after` was null. */
  protected cursor: bigint | null = null;
  protected closed = false;
  private waiter: (() => void) | null = null;
  private lastYield = performance.now();
  private finished: Promise<void> = Promise.resolve();

  constructor(
    /** The bus it reads from. */
    protected readonly bus: Bus,
    private readonly init: SubscriptionInit,
  ) {}

  /** Called by the bus once the subscription is registered. */
  start(): void {
    this.finished = (async () => {
      try {
        if (this.init.after !== null) this.cursor = parseSequence(this.init.after);
        await this.run();
      } catch (e) {
        this.fail(toError(e));
      } finally {
        this.closed = true;
        this.init.onEnd(this);
      }
    })();
  }

  protected abstract run(): Promise<void>;

  /** Subclass hook: interrupt whatever the subscription is blocked on (an in-flight fetch...). */
  protected interrupt(): void {}

  /** Resolves once the subscription's loop has ended. */
  get done(): Promise<void> {
    return this.finished;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    this.interrupt();
  }

  /** Ends the subscription with an error reported through onError (once). */
  protected fail(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    this.interrupt();
    if (this.init.onError) {
      try {
        this.init.onError(err);
      } catch {
        // a faulty callback must not break the bus
      }
    } else {
      logUnhandled(err);
    }
  }

  /** Something may have been published: a waiting `run()` looks again. */
  wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** Waits for `wake()` / `close()` (or the timeout, if given). */
  protected wait(timeoutMs?: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.waiter = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => this.wake(), timeoutMs);
      }
    });
  }

  /** Sleeps (for back-off) unless closed meanwhile. */
  protected pause(ms: number): Promise<void> {
    return this.wait(ms);
  }

  /**
   * Hands one event to onEvent if it is the next one. Returns false when the subscription
   * has ended (closed, gap, or onEvent failed): the caller stops.
   */
  protected async deliver(e: DeliveredEvent): Promise<boolean> {
    if (this.closed) return false;
    const seq = BigInt(e.sequence);
    if (this.cursor !== null) {
      if (seq <= this.cursor) return true; // already delivered (cannot happen with dense sequences; be safe)
      if (seq !== this.cursor + 1n) {
        this.fail(gapError(this.cursor, seq));
        return false;
      }
    }
    try {
      await this.init.onEvent(e);
    } catch (err) {
      this.fail(toError(err));
      return false;
    }
    this.cursor = seq;
    if (performance.now() - this.lastYield > YIELD_AFTER_MS) {
      await new Promise<void>((r) => setImmediate(r));
      this.lastYield = performance.now();
    }
    return !this.closed;
  }
}
