import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../lib/db/store.js";
import { MemoryEventBus } from "../../lib/events/memoryBus.js";
import { EventStreamError } from "../../lib/events/sequence.js";
import type { HubEvent } from "../../lib/events/types.js";
import { createLogger } from "../../lib/logger.js";
import { startRiskEngine, type Directory } from "./engine.js";

// Events no rule looks at: only the engine's subscription and saved position are under test.
const otherEvent = (): HubEvent => ({ id: randomUUID(), stream: "cases", type: "CaseOpened", entityId: "1", city: "610800", occurredAt: new Date().toISOString(), payload: {} });

/** The engine's saved position, in memory, with every position it saved. */
function positionStore(initial: string | null) {
  const saved = { sequence: initial, history: [] as string[] };
  const prisma = {
    consumerPosition: {
      findUnique: async () => (saved.sequence === null ? null : { consumer: "risk-engine", sequence: saved.sequence }),
      upsert: async (args: { update: { sequence: string } }) => {
        saved.sequence = args.update.sequence;
        saved.history.push(saved.sequence);
      },
    },
    $transaction: async (fn: (tx: unknown) => Promise<unknown>) => fn({}),
  } as unknown as PrismaClient;
  return { saved, prisma };
}

/** A memory bus that records where each subscription starts and can end the latest one as a bus would (onError). */
function failingBus() {
  const bus = new MemoryEventBus();
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
  return { bus, froms, fail: (err: Error) => endLatest?.(err) };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function start(bus: MemoryEventBus, prisma: PrismaClient): () => void {
  return startRiskEngine({ prisma, bus, rules: [], directory: {} as Directory, logger: createLogger("test", "silent"), retryMs: 10 });
}

describe("risk engine: following the bus", () => {
  it("follows again from the last event it handled when the bus ends its subscription", async () => {
    const { bus, froms, fail } = failingBus();
    await bus.publish([otherEvent(), otherEvent()]);
    const { saved, prisma } = positionStore("1");
    const stop = start(bus, prisma);
    await until(() => saved.sequence === "2", "the retained event after the saved position");
    fail(new Error("connection lost"));
    await bus.publish([otherEvent(), otherEvent(), otherEvent()]);
    await until(() => saved.sequence === "5", "events after the error");
    expect(froms).toEqual(["1", "2"]);
    expect(saved.history).toEqual(["2", "3", "4", "5"]);
    stop();
    await bus.close();
  });

  it("takes every retained event when its position is gone (gap) or beyond the bus (reset)", async () => {
    const { bus, froms, fail } = failingBus();
    await bus.publish([otherEvent(), otherEvent(), otherEvent()]);
    const { saved, prisma } = positionStore("3");
    const stop = start(bus, prisma);
    await until(() => froms.length === 1, "the subscription");
    fail(new EventStreamError("ahead", "sequence 3 is beyond the bus's latest"));
    await until(() => froms.length === 2, "following again");
    expect(froms).toEqual(["3", null]);
    await until(() => saved.history.length === 3, "the retained events judged");
    expect(saved.history).toEqual(["1", "2", "3"]);
    stop();
    fail(new Error("after stop"));
    await new Promise((r) => setTimeout(r, 50));
    expect(froms).toHaveLength(2);
    await bus.close();
  });
});
