// The subscriptions bench's publisher: outbox rows committed as the lists subgraph's
// transactions commit them, one INSERT (one transaction) per batch, on the bench's own
// PostgreSQL connection, paced at a steady rate.
import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { Histogram } from "./histogram.js";
import { eventId, type MEASURED, type WARMUP } from "./subscriptionProtocol.js";

export interface EntryRef {
  id: number;
  city: string;
  listType: string;
  state: string;
}

export interface Pace {
  /** Events per second. */
  rate: number;
  /** For how long, ms from `t0`. */
  ms: number;
  /** The pause between checks when nothing is due. */
  tickMs: number;
  /** When the pacing counts from (epoch ms); default now. */
  t0?: number;
  /** Most events to publish. */
  limit?: number;
}

/** The most events one transaction carries when the publisher has fallen behind. */
const MAX_BATCH = 2000;

export class Publisher {
  readonly txLatency = new Histogram();
  transactions = 0;
  private next = 0;
  private stopped = false;
  private readonly byCity: EntryRef[][] | null;

  constructor(private readonly db: pg.Client, private readonly tag: string, private readonly entries: EntryRef[], cities: string[] | null) {
    this.byCity = cities && cities.map((c) => entries.filter((e) => e.city === c));
  }

  /** Ctrl-C: the loops stop at their next step instead of writing to a closed connection. */
  stop(): void {
    this.stopped = true;
  }

  check(): void {
    if (this.stopped) throw new Error("bench interrupted");
  }

  /** Event `index`'s entry: with per-city subscribers, about cities[index mod n]. */
  private entryFor(index: number): EntryRef {
    if (!this.byCity) return this.entries[this.next++ % this.entries.length];
    const list = this.byCity[index % this.byCity.length];
    return list[Math.floor(index / this.byCity.length) % list.length];
  }

  async insert(kind: typeof MEASURED | typeof WARMUP, first: number, count: number): Promise<void> {
    const ids: string[] = [];
    const entryIds: number[] = [];
    const cities: string[] = [];
    const payloads: string[] = [];
    for (let i = 0; i < count; i++) {
      const e = this.entryFor(first + i);
      ids.push(eventId(this.tag, kind, first + i));
      entryIds.push(e.id);
      cities.push(e.city);
      payloads.push(JSON.stringify({ id: e.id, from: e.state, to: e.state, reason: "bench", listType: e.listType }));
    }
    const t = performance.now();
    // occurred_at = clock_timestamp() at the INSERT: the commit follows within the same
    // statement (autocommit), so commit time is this plus well under a millisecond.
    await this.db.query(
      `INSERT INTO lists.outbox (event_id, type, entry_id, city_code, payload, occurred_at)
       SELECT e.id::uuid, 'ListEntryChanged', e.entry, e.city, e.payload::jsonb, clock_timestamp()
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[]) AS e(id, entry, city, payload)`,
      [ids, entryIds, cities, payloads],
    );
    this.txLatency.record(performance.now() - t);
    this.transactions++;
  }

  /**
   * Events `first`, `first + 1`… at `pace.rate` per second: each tick, those due by now in one
   * transaction. Returns how many; `onBatch` sees each batch with the time and how many were due.
   */
  async paced(kind: typeof MEASURED | typeof WARMUP, first: number, pace: Pace, onBatch?: (n: number, elapsedMs: number, due: number) => void): Promise<number> {
    const t0 = pace.t0 ?? Date.now();
    let sent = 0;
    for (;;) {
      this.check();
      const elapsed = Date.now() - t0;
      if (elapsed >= pace.ms) return sent;
      const due = Math.min(pace.limit ?? Infinity, Math.floor((elapsed * pace.rate) / 1000)) - sent;
      if (due > 0) {
        const n = Math.min(due, MAX_BATCH);
        await this.insert(kind, first + sent, n);
        sent += n;
        onBatch?.(n, elapsed, due);
      } else {
        await sleep(Math.max(1, pace.tickMs - (elapsed % pace.tickMs)));
      }
    }
  }
}
