// The EventBus contract every bus keeps, the events it carries, and the bus configuration.
/**
 * The hub's event bus: what subgraph outboxes are relayed to and what the gateway
 * serves GraphQL subscriptions (graphql-ws, SSE) from.
 *
 * Guarantees, the same for every implementation (memory, Redis Streams, NATS JetStream):
 * - the bus assigns every published event a `sequence`: a decimal string, strictly
 *   increasing per bus and, in all three implementations, dense (each publish takes the
 *   previous sequence + 1), so a subscriber can tell a gap from "nothing new";
 * - a subscription delivers the retained events with sequence > `after`, then the live
 *   ones, in sequence order, each once; resubscribing with the sequence of the last
 *   event handled continues with no gap and no duplicate;
 * - it never skips silently: when the events right after `after` are no longer retained
 *   (the subscriber fell behind the retention, or resumes from too old a sequence), the
 *   subscription ends with an {@link EventStreamError} of code `"gap"` through `onError`.
 *
 * Publishing is at-least-once end to end (see relay.ts): the same event (same `id`) may
 * be published twice, under two sequences. Consumers that must not see it twice drop
 * repeated ids (dedupe.ts); the NATS bus already drops repeats within its dedupe window.
 */
export interface HubEvent {
  /** The event id (the outbox row's uuid): the same on a re-publish, so consumers dedupe on it. */
  id: string;
  /** The producer, e.g. "lists". */
  stream: string;
  /** e.g. "ListEntryChanged". */
  type: string;
  entityId: string;
  city: string;
  /** ISO 8601. */
  occurredAt: string;
  payload: unknown;
  /**
   * The outbox row id (decimal) the event was relayed from; set by the outbox relay, which
   * reads it back from the bus on start to continue where it left off (relay.ts).
   */
  outboxId?: string;
}

export interface DeliveredEvent extends HubEvent {
  /** Assigned by the bus: decimal string, strictly increasing per bus, comparable as BigInt. */
  sequence: string;
}

export interface EventSubscription {
  /** Stops delivery (idempotent): no `onEvent` call starts after this returns. */
  close(): void;
  /** Resolves once the subscription has ended and no `onEvent` call is still running (await it after `close()`). */
  readonly done: Promise<void>;
}

export interface EventBus {
  readonly kind: "memory" | "redis" | "nats";
  /** Appends the events in order; resolves with their sequences, in the same order. */
  publish(events: HubEvent[]): Promise<string[]>;
  /**
   * Replays retained events with sequence > after (all retained when after is null), then
   * live ones, in order, each once. onEvent may be async; the bus waits for it before
   * delivering the next to THIS subscriber (per-subscriber ordering) without blocking
   * other subscribers.
   *
   * Ends (after which nothing more is delivered) with one `onError` call when:
   * - `after` is not a decimal string, or is beyond the bus's latest sequence
   *   ({@link EventStreamError} `"invalid_sequence"` / `"ahead"`, e.g. the bus was reset);
   * - the next event is no longer retained ({@link EventStreamError} `"gap"`);
   * - `onEvent` throws or rejects (that error; the event was not acknowledged, so resuming
   *   after the last event handled delivers it again);
   * - the backing stream is gone or the server refuses (the server's error).
   * Transient connection trouble is retried, not reported. Closing the subscription or
   * the bus calls no `onError`. Without `onError`, such errors are logged.
   */
  subscribe(after: string | null, onEvent: (e: DeliveredEvent) => void | Promise<void>, onError?: (err: Error) => void): EventSubscription;
  /** The sequence of the last event published (even if no longer retained); null when none ever was. */
  latestSequence(): Promise<string | null>;
  /**
   * The last retained event published with this `stream` (HubEvent.stream), or null.
   * Used by the outbox relay to find where it left off.
   */
  lastEventOf(stream: string): Promise<DeliveredEvent | null>;
  /** Ends every subscription (without onError) and releases connections. */
  close(): Promise<void>;
}

export interface EventBusConfig {
  /** e.g. `redis://127.0.0.1:6379`: Redis Streams (used unless natsUrl is set). */
  redisUrl?: string;
  /** e.g. `nats://127.0.0.1:4222`: NATS JetStream (JetStream must be enabled on the server). */
  natsUrl?: string;
  /** Redis key (default `hub:events`) or JetStream stream name (default `HUB_EVENTS`). */
  streamName?: string;
  /** Events retained for replay; default 100,000. */
  retain?: number;
  /**
   * NATS only: subjects are `<prefix>.<stream>` and the JetStream stream captures
   * `<prefix>.>`; default `hub.events`. Two JetStream streams cannot share subjects, so two
   * buses with different stream names on one server need different prefixes.
   */
  subjectPrefix?: string;
  /** Longest wait for the first connection; default 2000 ms. */
  connectTimeoutMs?: number;
}

export const DEFAULT_RETAIN = 100_000;
