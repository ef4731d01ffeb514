import { describe, it, expect } from "@jest/globals";
import { createEventBus } from "../../lib/events/index.js";
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
