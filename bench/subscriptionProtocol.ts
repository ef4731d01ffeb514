// What the subscriptions bench and its subscriber worker processes tell each other over IPC,
// and how the bench's event ids are made and read.
import type { HistogramSnapshot } from "./histogram.js";

/*
 * EVENT IDS: the publisher writes outbox rows whose event_id (a uuid column) encodes the run and
 * the event's index, so a subscriber can keep one bit per event (lost / duplicate / order)
 * instead of a set of strings: `<run tag: 8 hex>-<kind>-4000-8000-<index: 12 hex>`, kind 0000
 * for measured events and ffff for warm-up events (sent until every subscriber has one).
 */
export const MEASURED = "0000";
export const WARMUP = "ffff";

export function eventId(tag: string, kind: typeof MEASURED | typeof WARMUP, index: number): string {
  return `${tag}-${kind}-4000-8000-${index.toString(16).padStart(12, "0")}`;
}

/** The kind and index of one of this run's ids, or null for any other event. */
export function readEventId(tag: string, id: string): { warmup: boolean; index: number } | null {
  if (id.length !== 36 || !id.startsWith(tag)) return null;
  const kind = id.slice(9, 13);
  if (kind !== MEASURED && kind !== WARMUP) return null;
  return { warmup: kind === WARMUP, index: parseInt(id.slice(24), 16) };
}

/** One bit per measured event index: which of them arrived, for millions of events in a few hundred kB. */
export class EventSet {
  private readonly bits: Uint8Array;

  constructor(capacity: number) {
    this.bits = new Uint8Array(Math.ceil(capacity / 8));
  }

  has(i: number): boolean {
    return (this.bits[i >> 3] & (1 << (i & 7))) !== 0;
  }

  add(i: number): void {
    this.bits[i >> 3] |= 1 << (i & 7);
  }
}

/** How many of events 0..published-1 a subscriber following every n-th, from `offset`, should get. */
export function expectedOf(published: number, n: number, offset: number): number {
  return published > offset ? Math.floor((published - 1 - offset) / n) + 1 : 0;
}

export interface WorkerConfig {
  url: string;
  /** Subscribers this worker opens. */
  subscribers: number;
  /** Index of its first subscriber among all (for reports). */
  firstSubscriber: number;
  query: string;
  /** The selection on the event; with `cities`, subscriber i's query is listEntryChanged(cities: [cities[i mod n]]) with it. */
  selection: string;
  cities: string[] | null;
  tag: string;
  /** Most measured events the publisher may publish (bitset size). */
  capacity: number;
  /** Whether the subscription selects `entry` (checked non-null on delivery). */
  withEntity: boolean;
  /** Connections opened at once while connecting. */
  connectBatch: number;
  /** graphql-ws: the graphql-ws client library; lean: leanSubscriber.ts (same protocol, far less client CPU). */
  client: "graphql-ws" | "lean";
}

export type ToWorker =
  | { type: "start"; config: WorkerConfig }
  /** Measurement starts at t0 (epoch ms): the per-second timeline counts from it. */
  | { type: "measure"; t0: number }
  /** The publisher is done: `count` measured events (indices 0..count-1) were committed. */
  | { type: "published"; count: number }
  | { type: "finish" };

export interface SubscriberResult {
  subscriber: number;
  received: number;
  duplicates: number;
  lost: number;
  /** Deliveries whose event index was below one delivered before (publisher commit order). */
  orderViolations: number;
  /** Deliveries whose bus sequence was not above the previous one's. */
  sequenceViolations: number;
  /** Deliveries without the selected `entry` (null or an error), with --with-entity. */
  entityMissing: number;
  /** Close code and reason if the connection ended before the bench closed it (e.g. 4008 too slow). */
  closed: { code: number; reason: string; atSec: number } | null;
  error: string | null;
}

export interface WorkerResult {
  subscribers: SubscriberResult[];
  latency: HistogramSnapshot;
  /** Deliveries of measured events per second since t0 (index = second). */
  perSecond: number[];
  /** Events of other origins (e.g. the expiry sweep) delivered. */
  foreign: number;
  /** Payloads carrying GraphQL errors. */
  errorPayloads: number;
  /** CPU time since measurement started. */
  cpuMs: number;
  maxRssMiB: number;
}

export type FromWorker =
  | { type: "connected"; opened: number; failed: number; error?: string }
  | {
      type: "progress";
      /** Subscribers that have received a warm-up event. */
      warm: number;
      /** Measured deliveries so far. */
      received: number;
      /** Subscribers that have every published event (only once `published` is known). */
      complete: number;
      /** Subscribers whose connection ended. */
      closed: number;
    }
  | { type: "result"; result: WorkerResult }
  | { type: "failed"; error: string };
