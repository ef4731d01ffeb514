import { describe, expect, it, jest } from "@jest/globals";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../../prisma/store.js";
import { MemoryEventBus } from "../../../events/memoryBus.js";
import type { HubEvent } from "../../../events/types.js";
import { createLogger } from "../../../lib/logger.js";
import { startRiskEngine, type Directory } from "./engine.js";

// Events no rule looks at: only the engine's subscription and saved position are under test
// (events/follow.test.ts covers following again in general).
const otherEvent = (): HubEvent => ({ id: randomUUID(), stream: "cases", type: "CaseOpened", entityId: "1", city: "610800", occurredAt: new Date().toISOString(), payload: {} });

/** The engine's saved position, in memory, with every position it saved; saving `failOnce` fails the first time. */
function positionStore(initial: string | null, failOnce?: string) {
  const saved = { sequence: initial, history: [] as string[] };
  const prisma = {
    consumerPosition: {
      findUnique: async () => (saved.sequence === null ? null : { consumer: "risk-engine", sequence: saved.sequence }),
      upsert: async (args: { update: { sequence: string } }) => {
        if (args.update.sequence === failOnce) {
          failOnce = undefined;
          throw new Error("could not save the position");
        }
        saved.sequence = args.update.sequence;
        saved.history.push(saved.sequence);
      },
    },
    $transaction: async (fn: (tx: unknown) => Promise<unknown>) => fn({}),
  } as unknown as PrismaClient;
  return { saved, prisma };
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
  it("follows again from the last position it saved when the subscription ends (here: saving failed)", async () => {
    const bus = new MemoryEventBus();
    const subscribe = jest.spyOn(bus, "subscribe");
    await bus.publish([otherEvent(), otherEvent(), otherEvent()]);
    const { saved, prisma } = positionStore("1", "3");
    const stop = start(bus, prisma);
    await until(() => saved.sequence === "3", "the event whose position could not be saved, judged again");
    await bus.publish([otherEvent()]);
    await until(() => saved.sequence === "4", "events after the error");
    expect(subscribe.mock.calls.map((c) => c[0])).toEqual(["1", "2"]);
    expect(saved.history).toEqual(["2", "3", "4"]);
    stop();
    await bus.close();
  });

  it("takes every retained event when its saved position is beyond the bus (reset), and stays stopped once stopped", async () => {
    const bus = new MemoryEventBus();
    const subscribe = jest.spyOn(bus, "subscribe");
    await bus.publish([otherEvent(), otherEvent(), otherEvent()]);
    const { saved, prisma } = positionStore("9");
    const stop = start(bus, prisma);
    await until(() => saved.history.length === 3, "the retained events judged");
    expect(subscribe.mock.calls.map((c) => c[0])).toEqual(["9", null]);
    expect(saved.history).toEqual(["1", "2", "3"]);
    stop();
    await bus.publish([otherEvent()]);
    await new Promise((r) => setTimeout(r, 50));
    expect(saved.history).toHaveLength(3);
    await bus.close();
  });
});
