import { describe, it, expect, jest } from "@jest/globals";
import { EventStreamError, createEventBus } from "../../events/index.js";
import { createLogger } from "../../lib/logger.js";
import { EventHub } from "./source.js";

const event = (i: number) => ({ id: `e-${i}`, stream: "lists", type: "ListEntryChanged", entityId: String(i), city: "610800", occurredAt: new Date().toISOString(), payload: {} });

describe("subscriber queues", () => {
  it("drops a subscriber that falls behind its bound while others get every event", async () => {
    const bus = await createEventBus({});
    const hub = new EventHub(bus, 5, createLogger("test", "silent"));
    await hub.start();
    let dropped = 0;
    const slow = hub.open(null, () => true, () => dropped++);
    const fast = hub.open(null, () => true, () => { throw new Error("the fast subscriber must not be dropped"); });
    const got: string[] = [];
    const reading = (async () => {
      for await (const e of fast) {
        got.push(e.id);
        if (got.length === 20) break;
      }
    })();
    await bus.publish(Array.from({ length: 20 }, (_, i) => event(i)));
    await reading;
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => `e-${i}`));
    expect(dropped).toBe(1);
    // The dropped subscriber's iterator ends instead of growing.
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    expect(hub.subscribers).toBe(0);
    hub.close();
    await bus.close();
  });

  it("delivers a redelivered event id once", async () => {
    const bus = await createEventBus({});
    const hub = new EventHub(bus, 100, createLogger("test", "silent"));
    await hub.start();
    const q = hub.open(null, () => true, () => undefined);
    await bus.publish([event(1), event(1), event(2)]);
    expect((await q.next()).value?.id).toBe("e-1");
    expect((await q.next()).value?.id).toBe("e-2");
    await q.return!();
    hub.close();
    await bus.close();
  });
});

describe("the shared live subscription", () => {
  // Following again in general: events/follow.test.ts. Here: the hub's policy (newest event, 1 s pause).
  it("follows again from the newest event when its position is gone, instead of failing forever", async () => {
    const bus = await createEventBus({});
    // The first subscription ends at once with a gap; later ones are the real thing.
    const subscribe = jest.spyOn(bus, "subscribe").mockImplementationOnce((_after, _onEvent, onError) => {
      setImmediate(() => onError?.(new EventStreamError("gap", "events after sequence 3 are no longer retained")));
      return { close() {}, done: Promise.resolve() };
    });
    await bus.publish([event(1), event(2)]);
    const hub = new EventHub(bus, 100, createLogger("test", "silent"));
    await hub.start();
    const q = hub.open(null, () => true, () => undefined);
    // Published while no live subscription runs: after a gap the hub does not go back for it.
    await bus.publish([event(3)]);
    await new Promise((r) => setTimeout(r, 1300));
    await bus.publish([event(4)]);
    expect((await q.next()).value?.id).toBe("e-4");
    expect(subscribe.mock.calls.map((c) => c[0])).toEqual(["2", "3"]);
    await q.return!();
    hub.close();
    await bus.close();
  });
});
