// Following the bus for good: subscribing again after an error, from the last event handled or per onLostPosition.
import type { Logger } from "../lib/logger.js";
import { Backoff } from "./retry.js";
import { EventStreamError } from "./sequence.js";
import type { DeliveredEvent, EventBus, EventSubscription } from "./types.js";

export interface FollowOptions {
  /**
   * Where to start: a sequence (null: every retained event), or how to find it (read once;
   * while it rejects, logged and tried again after a pause).
   */
  from: string | null | (() => Promise<string | null>);
  /** As for `EventBus.subscribe`; a throw or rejection ends the subscription and the event is delivered again. */
  onEvent: (e: DeliveredEvent) => void | Promise<void>;
  /**
   * Where to follow from when the position cannot be resumed from ({@link isLostPosition}):
   * `"oldest"` retained event (none of which was handled), or `"newest"` (`bus.latestSequence()`:
   * live consumers skip what they missed rather than replay it).
   */
  onLostPosition: "oldest" | "newest";
  logger: Logger;
  /** Names the subscription in log lines; default "event subscription". */
  describe?: string;
  /** First pause before following again; default 1 s. It doubles while nothing gets through, up to `maxRetryMs` (default 30 s). */
  retryMs?: number;
  maxRetryMs?: number;
}

/** The bus ended the subscription because its position is gone for good (events after it dropped, bus reset, garbage). */
export function isLostPosition(err: unknown): boolean {
  return err instanceof EventStreamError && (err.code === "gap" || err.code === "ahead" || err.code === "invalid_sequence");
}

/**
 * Follows the bus for good: when the bus ends the subscription through `onError` (a lost
 * connection, an `onEvent` failure, a gap), logs it and, after a pause, subscribes again from
 * the last event handled, or per `onLostPosition` when that position is gone. `close()` stops it.
 */
/** A subscription that follows again by itself. */
export interface Follower extends EventSubscription {
  /** Resolves once the first subscription is placed, at the position found (or at once if stopped first). */
  readonly started: Promise<void>;
  /** Closes it and waits for the event being handled. */
  stop(): Promise<void>;
}

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  return { promise: new Promise<void>((r) => (fire = r)), fire };
}

function reportEnded(opts: FollowOptions, what: string, err: Error, lost: boolean, position: string | null): void {
  opts.logger.error(
    { err, from: lost ? opts.onLostPosition : position },
    lost ? `${what} ended: its position is gone; following again from the ${opts.onLostPosition} event` : `${what} ended; following again`,
  );
}

export function followEvents(bus: EventBus, opts: FollowOptions): Follower {
  const what = opts.describe ?? "event subscription";
  const backoff = new Backoff(opts.retryMs ?? 1000, opts.maxRetryMs ?? 30_000);
  /** Sequence of the last event handled (or where to start); not used while `find` is set. */
  let position: string | null = typeof opts.from === "function" ? null : opts.from;
  /** Says where to start, when that is still to be found out. */
  let find = typeof opts.from === "function" ? opts.from : null;
  let sub: EventSubscription | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const started = signal();

  const retry = () => {
    if (stopped) return;
    timer = setTimeout(follow, backoff.next());
    timer.unref();
  };

  const handled = (e: DeliveredEvent) => {
    position = e.sequence;
    backoff.reset();
  };
  // A synchronous handler stays synchronous (no extra promise per event on the gateway's fan-out).
  const onEvent = (e: DeliveredEvent): void | Promise<void> => {
    const r = opts.onEvent(e) as Promise<void> | undefined;
    if (r) return r.then(() => handled(e));
    handled(e);
  };

  const onError = (err: Error) => {
    sub = null;
    if (stopped) return;
    const lost = isLostPosition(err);
    if (lost && opts.onLostPosition === "oldest") position = null;
    if (lost && opts.onLostPosition === "newest") find = () => bus.latestSequence();
    reportEnded(opts, what, err, lost, position);
    retry();
  };

  function follow(): void {
    timer = null;
    if (stopped) return;
    if (find) {
      const f = find;
      Promise.resolve().then(f).then((p) => {
        find = null;
        position = p;
        follow();
      }, (err: unknown) => {
        opts.logger.error({ err }, `${what} could not find where to start; trying again`);
        retry();
      });
      return;
    }
    sub = bus.subscribe(position, onEvent, onError);
    started.fire();
  }

  follow();
  let ended: Promise<void> = Promise.resolve();
  return {
    started: started.promise,
    async stop() {
      this.close();
      await this.done;
    },
    close() {
      started.fire();
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (sub) ended = sub.done;
      sub?.close();
      sub = null;
    },
    get done() {
      return sub?.done ?? ended;
    },
  };
}
