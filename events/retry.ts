// What the room's retry loops share: the pause between tries (exponential back-off) and a failure logged at most so often.

/**
 * Pauses of base, 2 × base, 4 × base, ... up to max, one per failure, back to base after
 * `reset()`. Hand-written rather than a retry library (p-retry, exponential-backoff): those
 * own the loop and its try/catch, while ours sleep interruptibly (closing a bus ends the
 * pause) and reset on a success that is not the retried call's (an event handled).
 */
export class Backoff {
  private pause: number;
  private count = 0;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {
    this.pause = Math.min(baseMs, maxMs);
  }

  /** Counts a failure; returns how long to wait before the next try. */
  next(): number {
    const ms = this.pause;
    // Doubling the last pause rather than computing base × 2^failures: no overflow however long it fails.
    this.pause = Math.min(this.pause * 2, this.maxMs);
    this.count++;
    return ms;
  }

  /** A success: the next failure waits `base` again. */
  reset(): void {
    this.pause = Math.min(this.baseMs, this.maxMs);
    this.count = 0;
  }

  /** Failures since the last success. */
  get failures(): number {
    return this.count;
  }
}

/** Says yes at most once per `intervalMs`: a loop retrying every 100 ms logs one line, not ten a second. */
export class LogThrottle {
  private last = 0;

  constructor(private readonly intervalMs: number) {}

  allow(now = Date.now()): boolean {
    if (now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}
