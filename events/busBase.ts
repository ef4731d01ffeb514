// What the three buses share: their live subscriptions, ending them all on close, the retain option and a throttled warning.
import type { Logger } from "../lib/logger.js";
import type { OnError, OnEvent, Subscription, SubscriptionInit } from "./delivery.js";
import { LogThrottle } from "./retry.js";
import { DEFAULT_RETAIN, type EventSubscription } from "./types.js";

/** How often a bus logs a warning at most: its loops retry every 100 ms to 2 s while a server is away. */
const WARN_EVERY_MS = 10_000;

/**
 * A bus implements `createSubscription` (its own `Subscription` subclass) and, when it has
 * background work or connections, the `close` hooks; the rest of `EventBus` is its own.
 */
export abstract class BusBase {
  protected readonly subs = new Set<Subscription>();
  protected closed = false;
  private readonly warnings = new LogThrottle(WARN_EVERY_MS);

  /** `logger` and `stream` for `warn()`; a bus that never warns passes none. */
  protected constructor(private readonly warnTo?: { logger: Logger; stream: string }) {}

  subscribe(after: string | null, onEvent: OnEvent, onError?: OnError): EventSubscription {
    const sub = this.createSubscription({ after, onEvent, onError, onEnd: (s) => this.subs.delete(s) });
    if (this.closed) {
      sub.close();
      return sub;
    }
    this.subs.add(sub);
    sub.start();
    return sub;
  }

  /** Ends every subscription (without onError), then releases what the bus holds. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const subs = [...this.subs];
    for (const s of subs) s.close();
    this.interruptBackground();
    await Promise.all(subs.map((s) => s.done));
    await this.release();
  }

  protected abstract createSubscription(init: SubscriptionInit): Subscription;

  /** Close hook, before waiting for the subscriptions: stop what may block (a blocked read, a back-off sleep). */
  protected interruptBackground(): void {}

  /** Close hook, once every subscription has ended: release connections. */
  protected async release(): Promise<void> {}

  protected assertOpen(): void {
    if (this.closed) throw new Error("event bus is closed");
  }

  /** Something may have been published (or the stream reset): every waiting subscription looks again. */
  protected wakeAll(): void {
    for (const s of this.subs) s.wake();
  }

  /** @internal Rate-limited warning (one line per 10 s); none once closed, where connection errors are expected. */
  warn(err: Error, msg: string): void {
    if (this.closed || !this.warnTo || !this.warnings.allow()) return;
    this.warnTo.logger.warn({ err, stream: this.warnTo.stream }, msg);
  }
}

/** The `retain` option, checked: events kept for replay. */
export function retainOption(retain: number = DEFAULT_RETAIN): number {
  if (!Number.isSafeInteger(retain) || retain < 1) throw new RangeError("retain must be a positive integer");
  return retain;
}

/** A server URL fit for an error message: without its password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
