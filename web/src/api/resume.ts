/**
 * What a live feed remembers to resume without gaps or duplicates: the last sequence seen
 * (sent as `after` when it subscribes again) and the ids of the events already shown (an
 * event delivered twice, e.g. replayed around a reconnect, is dropped).
 */
export interface StreamEvent {
  id: string;
  sequence: string;
}

export class ResumePoint {
  private last: string | null = null;
  private readonly seen = new Set<string>();
  dropped = 0;

  constructor(private readonly memory = 5000) {}

  /** The sequence to pass as `after`, or null before the first event (then the feed starts live). */
  get after(): string | null {
    return this.last;
  }

  /** Whether the event is new (then it is remembered, and its sequence is where to resume). */
  accept(e: StreamEvent): boolean {
    if (this.seen.has(e.id)) {
      this.dropped++;
      return false;
    }
    this.last = e.sequence;
    this.seen.add(e.id);
    // A Set iterates in insertion order: forget the oldest ids first.
    if (this.seen.size > this.memory) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }

  /** The subscription's variables with `after` set when there is something to resume from. */
  variables(base: Record<string, unknown>): Record<string, unknown> {
    return this.last === null ? base : { ...base, after: this.last };
  }
}
