import { describe, expect, it, jest } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { createLogger } from "../lib/logger.js";
import { followEvents, type FollowOptions } from "./follow.js";
import { MemoryEventBus } from "./memoryBus.js";
import type { DeliveredEvent, EventBus, EventSubscription, HubEvent } from "./types.js";

const logger = createLogger("test", "silent");
const event = (): HubEvent => ({ id: randomUUID(), stream: "lists", type: "ListEntryChanged", entityId: "1", city: "610800", occurredAt: new Date().toISOString(), payload: {} });

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A memory bus that records where each subscription starts and can end the latest one as a bus would (onError). */
function endingBus(opts: { retain?: number } = {}) {
  const bus = new MemoryEventBus(opts);
  const froms: Array<string | null> = [];
  let endLatest: ((err: Error) => void) | null = null;
  const subscribe = bus.subscribe.bind(bus);
  bus.subscribe = (after, onEvent, onError) => {
    froms.push(after);
    const sub = subscribe(after, onEvent, onError);
    endLatest = (err) => {
      sub.close();
      onError?.(err);
    };
    return sub;
  };
  return { bus, froms, end: (err: Error) => endLatest?.(err) };
}

/** A bus that only records subscriptions: the test delivers and ends them by hand (with fake timers). */
function scriptedBus() {
  const subs: Array<{ after: string | null; onEvent: (e: DeliveredEvent) => void | Promise<void>; onError: (err: Error) => void; closed: boolean }> = [];
  const bus: EventBus = {
    kind: "memory",
    subscribe(after, onEvent, onError): EventSubscription {
      const s = { after, onEvent, onError: onError!, closed: false };
      subs.push(s);
      return { close: () => void (s.closed = true), done: Promise.resolve() };
    },
    publish: async () => [],
    latestSequence: async () => null,
    lastEventOf: async () => null,
    close: async () => undefined,
  };
  return { bus, subs };
}

function follow(bus: EventBus, opts: Partial<FollowOptions>): { handled: string[]; sub: EventSubscription } {
  const handled: string[] = [];
  const sub = followEvents(bus, { from: null, onEvent: (e) => void handled.push(e.sequence), onLostPosition: "oldest", logger, retryMs: 5, ...opts });
  return { handled, sub };
}

describe("followEvents over a bus", () => {
  it("follows again from the last event handled when the bus ends the subscription", async () => {
    const { bus, froms, end } = endingBus();
    await bus.publish([event(), event()]);
    const handled: string[] = [];
    // An async handler: the position moves once it has resolved.
    const sub = followEvents(bus, { from: "1", onEvent: async (e) => void handled.push(e.sequence), onLostPosition: "oldest", logger, retryMs: 5 });
    await until(() => handled.length === 1, "the retained event");
    end(new Error("connection lost"));
    await bus.publish([event(), event()]);
    await until(() => handled.length === 3, "events after the error");
    expect(froms).toEqual(["1", "2"]);
    expect(handled).toEqual(["2", "3", "4"]);
    sub.close();
    await bus.close();
  });

  it("delivers an event again after its handler failed, and goes on from there", async () => {
    const bus = new MemoryEventBus();
    const subscribe = jest.spyOn(bus, "subscribe");
    await bus.publish([event(), event(), event()]);
    const attempts: string[] = [];
    const sub = followEvents(bus, {
      from: null,
      onEvent: async (e) => {
        attempts.push(e.sequence);
        if (e.sequence === "2" && attempts.filter((s) => s === "2").length === 1) throw new Error("could not save");
      },
      onLostPosition: "oldest",
      logger,
      retryMs: 5,
    });
    await until(() => attempts.at(-1) === "3", "the last event");
    expect(attempts).toEqual(["1", "2", "2", "3"]);
    expect(subscribe.mock.calls.map((c) => c[0])).toEqual([null, "1"]);
    sub.close();
    await bus.close();
  });

  it.each<[string, string, { retain?: number }]>([
    ["gap", "1", { retain: 2 }],
    ["ahead", "9", {}],
    ["invalid_sequence", "x", {}],
  ])("follows again from the oldest retained event after `%s`", async (_code, from, busOpts) => {
    const { bus, froms } = endingBus(busOpts);
    await bus.publish([event(), event(), event(), event()]);
    const { handled, sub } = follow(bus, { from, onLostPosition: "oldest" });
    await until(() => handled.length > 0 && handled.at(-1) === "4", "the retained events");
    expect(froms).toEqual([from, null]);
    expect(handled[0]).toBe(busOpts.retain ? "3" : "1");
    sub.close();
    await bus.close();
  });

  it("follows again from the newest event when the position is gone, onLostPosition newest", async () => {
    const { bus, froms } = endingBus();
    await bus.publish([event(), event(), event()]);
    const { handled, sub } = follow(bus, { from: "9", onLostPosition: "newest" });
    await until(() => froms.length === 2, "following again");
    await bus.publish([event()]);
    await until(() => handled.length === 1, "the next event");
    expect(froms).toEqual(["9", "3"]);
    expect(handled).toEqual(["4"]);
    sub.close();
    await bus.close();
  });

  it("reads `from` once, when it is a function, and not again on later errors", async () => {
    const { bus, froms, end } = endingBus();
    await bus.publish([event(), event()]);
    const from = jest.fn(async () => "1");
    const { handled, sub } = follow(bus, { from });
    await until(() => handled.length === 1, "the event after the position read");
    end(new Error("connection lost"));
    await until(() => froms.length === 2, "following again");
    expect(froms).toEqual(["1", "2"]);
    expect(from).toHaveBeenCalledTimes(1);
    sub.close();
    await bus.close();
  });
});

describe("followEvents: pauses and stopping", () => {
  it("doubles the pause up to maxRetryMs while nothing gets through, and starts over once an event does", () => {
    jest.useFakeTimers();
    try {
      const { bus, subs } = scriptedBus();
      const { sub } = follow(bus, { from: "5", retryMs: 10, maxRetryMs: 40 });
      const pauseAfterError = () => {
        const n = subs.length;
        subs.at(-1)!.onError(new Error("connection lost"));
        let ms = 0;
        while (subs.length === n && ms < 1000) {
          jest.advanceTimersByTime(1);
          ms++;
        }
        return ms;
      };
      expect([pauseAfterError(), pauseAfterError(), pauseAfterError(), pauseAfterError()]).toEqual([10, 20, 40, 40]);
      void subs.at(-1)!.onEvent({ ...event(), sequence: "6" });
      expect(pauseAfterError()).toBe(10);
      expect(subs.map((s) => s.after)).toEqual(["5", "5", "5", "5", "5", "6"]);
      sub.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it("tries `from` again after a pause while it fails", async () => {
    jest.useFakeTimers();
    try {
      const { bus, subs } = scriptedBus();
      const from = jest.fn<() => Promise<string | null>>().mockRejectedValueOnce(new Error("db down")).mockRejectedValueOnce(new Error("db down")).mockResolvedValue("3");
      const { sub } = follow(bus, { from, retryMs: 10 });
      await jest.advanceTimersByTimeAsync(9);
      expect(from).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(from).toHaveBeenCalledTimes(2);
      await jest.advanceTimersByTimeAsync(19);
      expect(from).toHaveBeenCalledTimes(2);
      await jest.advanceTimersByTimeAsync(1);
      expect(from).toHaveBeenCalledTimes(3);
      expect(subs.map((s) => s.after)).toEqual(["3"]);
      sub.close();
      expect(subs[0]!.closed).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it("follows no more once closed: not after a pending pause, a late error or a late `from`", async () => {
    jest.useFakeTimers();
    try {
      const { bus, subs } = scriptedBus();
      const a = follow(bus, { from: "1" });
      subs[0]!.onError(new Error("connection lost"));
      a.sub.close();
      subs[0]!.onError(new Error("late"));
      await jest.advanceTimersByTimeAsync(60_000);
      expect(subs).toHaveLength(1);

      let resolve!: (s: string) => void;
      const b = follow(bus, { from: () => new Promise<string>((r) => (resolve = r)) });
      await jest.advanceTimersByTimeAsync(0);
      b.sub.close();
      resolve("2");
      await jest.advanceTimersByTimeAsync(60_000);
      expect(subs).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
