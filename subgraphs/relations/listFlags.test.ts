import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import type { GraphStore } from "../../graph/types.js";
import { MemoryEventBus } from "../../lib/events/memoryBus.js";
import { EventStreamError } from "../../lib/events/sequence.js";
import type { DeliveredEvent, EventBus, EventSubscription, HubEvent } from "../../lib/events/types.js";
import { createLogger } from "../../lib/logger.js";
import { startListFlagSync } from "./listFlags.js";

/** A memory bus whose first subscription ends with `error` once the event `failAfter` was handled. */
class FailingOnceBus implements EventBus {
  readonly kind = "memory" as const;
  readonly inner = new MemoryEventBus();
  /** The `after` of each subscribe, and what each subscription handed over. */
  readonly subscriptions: Array<{ after: string | null; handled: string[] }> = [];
  constructor(private failAfter: string | null, private readonly error: Error) {}

  subscribe(after: string | null, onEvent: (e: DeliveredEvent) => void | Promise<void>, onError?: (err: Error) => void): EventSubscription {
    const record = { after, handled: [] as string[] };
    this.subscriptions.push(record);
    let ended = false;
    const sub = this.inner.subscribe(after, async (e) => {
      if (ended) return;
      await onEvent(e);
      record.handled.push(e.sequence);
      if (e.sequence === this.failAfter) {
        this.failAfter = null;
        ended = true;
        setImmediate(() => {
          sub.close();
          onError?.(this.error);
        });
      }
    }, onError);
    return sub;
  }
  publish(events: HubEvent[]) { return this.inner.publish(events); }
  latestSequence() { return this.inner.latestSequence(); }
  lastEventOf(stream: string) { return this.inner.lastEventOf(stream); }
  close() { return this.inner.close(); }
}

const listEvent = (): HubEvent => ({
  id: randomUUID(), stream: "lists", type: "ListEntryChanged", entityId: "1", city: "610800", occurredAt: new Date().toISOString(),
  payload: { subject: "91610800MA70000001", subjectKind: "ENTERPRISE" },
});

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function start(bus: EventBus): () => void {
  // No lists URL: nothing is asked or written, only the subscription is under test.
  return startListFlagSync({ bus, graph: {} as GraphStore, listsUrl: () => undefined, secret: "s", logger: createLogger("test", "silent"), retryMs: 10 });
}

describe("risk flags from the lists: following the bus", () => {
  it("follows again from the last event handled when the bus ends its subscription", async () => {
    const bus = new FailingOnceBus("4", new Error("connection lost"));
    await bus.publish([listEvent(), listEvent()]);
    const stop = start(bus);
    await until(() => bus.subscriptions.length === 1, "the subscription");
    await bus.publish(Array.from({ length: 5 }, listEvent));
    await until(() => bus.subscriptions[1]?.handled.at(-1) === "7", "events after the error");
    expect(bus.subscriptions.map((s) => s.after)).toEqual(["2", "4"]);
    expect(bus.subscriptions.flatMap((s) => s.handled)).toEqual(["3", "4", "5", "6", "7"]);
    stop();
    await bus.close();
  });

  it("takes every retained event after a gap (the last one handled cannot be resumed from), and stays stopped once stopped", async () => {
    const bus = new FailingOnceBus("3", new EventStreamError("gap", "events after 3 are no longer retained"));
    await bus.publish([listEvent(), listEvent()]);
    const stop = start(bus);
    await until(() => bus.subscriptions.length === 1, "the subscription");
    await bus.publish([listEvent()]);
    await until(() => bus.subscriptions.length === 2, "following again");
    expect(bus.subscriptions.map((s) => s.after)).toEqual(["2", null]);
    stop();
    await bus.publish([listEvent()]);
    await new Promise((r) => setTimeout(r, 50));
    expect(bus.subscriptions).toHaveLength(2);
    await bus.close();
  });
});
