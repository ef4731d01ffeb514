// Dropping repeated event ids: the consumer's half of at-least-once publishing.
/**
 * The ids of the most recent events seen, for consumers of an at-least-once bus: the relay
 * may publish an event twice (same `id`, two sequences). Bounded: remembers the last
 * `capacity` distinct ids (least recently seen forgotten first), so a repeat older than that
 * gets through; size it above the number of events a re-publish can span (the relay's batch).
 */
export class SeenEvents {
  private readonly ids = new Map<string, true>();

  constructor(readonly capacity = 10_000) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError("capacity must be a positive integer");
  }

  /** True the first time an id is offered (and remembers it); false for a repeat. */
  firstTime(id: string): boolean {
    if (this.ids.has(id)) {
      // refresh: a repeat is recent again
      this.ids.delete(id);
      this.ids.set(id, true);
      return false;
    }
    this.ids.set(id, true);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.keys().next().value as string);
    return true;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get size(): number {
    return this.ids.size;
  }

  clear(): void {
    this.ids.clear();
  }
}

/** Wraps an event handler so repeats of an id (within the last `capacity` ids) are dropped. */
export function dedupeById<E extends { id: string }, R>(handler: (e: E) => R, capacity?: number): (e: E) => R | undefined {
  const seen = new SeenEvents(capacity);
  return (e) => (seen.firstTime(e.id) ? handler(e) : undefined);
}
