import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { openStore, type PrismaClient, type Store } from "../../../prisma/store.js";
import { loadRiskRules } from "../rules/index.js";
import { MemoryEventBus } from "../../../events/memoryBus.js";
import type { DeliveredEvent, HubEvent } from "../../../events/types.js";
import { createLogger } from "../../../lib/logger.js";
import { until as untilAsync } from "../../../test/until.js";
import { evaluate, startRiskEngine, type Directory } from "./engine.js";

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

function start(bus: MemoryEventBus, prisma: PrismaClient, saveEveryMs = 0) {
  return startRiskEngine({ prisma, bus, rules: [], directory: {} as Directory, logger: createLogger("test", "silent"), retryMs: 10, saveEveryMs });
}

describe("risk engine: following the bus", () => {
  it("follows again from the last position it saved when the subscription ends (here: saving failed)", async () => {
    const bus = new MemoryEventBus();
    const subscribe = jest.spyOn(bus, "subscribe");
    await bus.publish([otherEvent(), otherEvent(), otherEvent()]);
    const { saved, prisma } = positionStore("1", "3");
    const engine = start(bus, prisma);
    await until(() => saved.sequence === "3", "the event whose position could not be saved, judged again");
    await bus.publish([otherEvent()]);
    await until(() => saved.sequence === "4", "events after the error");
    expect(subscribe.mock.calls.map((c) => c[0])).toEqual(["1", "2"]);
    expect(saved.history).toEqual(["2", "3", "4"]);
    await engine.stop();
    await bus.close();
  });

  it("takes every retained event when its saved position is beyond the bus (reset), and stays stopped once stopped", async () => {
    const bus = new MemoryEventBus();
    const subscribe = jest.spyOn(bus, "subscribe");
    await bus.publish([otherEvent(), otherEvent(), otherEvent()]);
    const { saved, prisma } = positionStore("9");
    const engine = start(bus, prisma);
    await until(() => saved.history.length === 3, "the retained events judged");
    expect(subscribe.mock.calls.map((c) => c[0])).toEqual(["9", null]);
    expect(saved.history).toEqual(["1", "2", "3"]);
    await engine.stop();
    await bus.publish([otherEvent()]);
    await new Promise((r) => setTimeout(r, 50));
    expect(saved.history).toHaveLength(3);
    await bus.close();
  });
});

describe("risk engine: saving its position", () => {
  it("saves once per interval while a backlog streams in, and at stop the last event judged", async () => {
    const bus = new MemoryEventBus();
    await bus.publish(Array.from({ length: 50 }, otherEvent));
    const { saved, prisma } = positionStore("0");
    const engine = start(bus, prisma, 60_000);
    await until(() => saved.history.length === 1, "the first save");
    await new Promise((r) => setTimeout(r, 100));
    // One save for the first event, none for the 49 after it within the interval.
    expect(saved.history).toEqual(["1"]);
    await engine.stop();
    expect(saved.history).toEqual(["1", "50"]);
    await bus.close();
  });
});

describe("risk engine: nothing lost", () => {
  const RULES = loadRiskRules();
  const uscc = "91610800MA70000001";
  const listing = (): HubEvent => ({
    id: randomUUID(), stream: "lists", type: "ListEntryChanged", entityId: "7", city: "610800", occurredAt: new Date().toISOString(),
    payload: { id: 7, from: null, to: "RECOGNISED", listType: "SERIOUS_DISHONESTY", subject: uscc, subjectKind: "ENTERPRISE" },
  });
  const directory: Directory = {
    enterprise: async () => ({ cityCode: "610800", industryCode: "B0610", penaltyDates: [] }),
    listedCities: async () => ["610800"],
    affiliatedEnterprises: async () => [],
  };
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ kind: "embedded" });
  }, 60_000);
  afterAll(async () => {
    await store.close();
  });
  const alertsOf = (eventId: string) => store.jobs.riskAlert.findMany({ where: { sourceEventId: eventId } });

  it("judges an event again when asking another subgraph failed, and its alert arrives once", async () => {
    const bus = new MemoryEventBus();
    const flaky: Directory = { ...directory, enterprise: jest.fn<Directory["enterprise"]>().mockRejectedValueOnce(new Error("enterprise subgraph down")).mockImplementation(directory.enterprise) };
    const engine = startRiskEngine({ prisma: store.jobs, bus, rules: RULES, directory: flaky, logger: createLogger("test", "silent"), retryMs: 10 });
    await engine.started;
    const e = listing();
    const [seq] = await bus.publish([e]);
    await until(() => (flaky.enterprise as jest.Mock).mock.calls.length >= 2, "the event judged again");
    await untilAsync(async () => (await alertsOf(e.id)).some((a) => a.ruleId === "NEW_BLACKLIST_ENTRY"), "its alert");
    await untilAsync(async () => (await store.jobs.consumerPosition.findUnique({ where: { consumer: "risk-engine" } }))?.sequence === seq, "its position saved");
    expect((await alertsOf(e.id)).filter((a) => a.ruleId === "NEW_BLACKLIST_ENTRY")).toHaveLength(1);
    await engine.stop();
    await bus.close();
  });

  it("judges an event again when writing its alerts failed, and its alert arrives once", async () => {
    const bus = new MemoryEventBus();
    let failures = 0;
    // The store refuses the first alert transaction, as a dropped connection would.
    const prisma = new Proxy(store.jobs, {
      get(target, prop, receiver) {
        if (prop === "$transaction" && failures++ === 0) return async () => { throw new Error("connection lost"); };
        return Reflect.get(target, prop, receiver);
      },
    });
    const engine = startRiskEngine({ prisma, bus, rules: RULES, directory, logger: createLogger("test", "silent"), retryMs: 10 });
    await engine.started;
    const e = listing();
    await bus.publish([e]);
    await untilAsync(async () => (await alertsOf(e.id)).some((a) => a.ruleId === "NEW_BLACKLIST_ENTRY"), "its alert after the failed write");
    expect(failures).toBeGreaterThanOrEqual(2);
    expect((await alertsOf(e.id)).filter((a) => a.ruleId === "NEW_BLACKLIST_ENTRY")).toHaveLength(1);
    await engine.stop();
    await bus.close();
  });

  it("passes over an event that breaks its contract, and judges the next", async () => {
    const bus = new MemoryEventBus();
    const engine = startRiskEngine({ prisma: store.jobs, bus, rules: RULES, directory, logger: createLogger("test", "silent"), retryMs: 10 });
    await engine.started;
    const broken = { ...listing(), payload: { to: "RECOGNISED" } };
    const next = listing();
    await bus.publish([broken, next]);
    await untilAsync(async () => (await alertsOf(next.id)).length > 0, "the next event's alert");
    expect(await alertsOf(broken.id)).toEqual([]);
    await engine.stop();
    await bus.close();
  });
});

describe("risk engine: the tier-downgrade rule (F56)", () => {
  const rules = loadRiskRules();
  const directory: Directory = { enterprise: async () => ({ cityCode: "620100", industryCode: "C13", penaltyDates: [] }), listedCities: async () => [], affiliatedEnterprises: async () => [] };
  const tierEvent = (from: string | null, to: string): DeliveredEvent => ({
    id: randomUUID(), stream: "ratings", type: "SupervisionTierChanged", entityId: "7", city: "610800", occurredAt: "2026-12-06T08:00:00.000Z", sequence: "1",
    payload: { changeId: 7, subject: "91620100MA7YRD2N5X", field: "", from, to },
  });

  it("warns when a subject moves to the high-risk tier, from any tier or from unrated", async () => {
    for (const from of ["LOW_RISK", "NORMAL", null]) {
      const alerts = await evaluate(rules, tierEvent(from, "HIGH_RISK"), directory);
      expect(alerts.map((a) => [a.rule.id, a.subject, a.cityCode, a.evidence.from, a.evidence.to])).toEqual([["TIER_DOWNGRADE", "91620100MA7YRD2N5X", "620100", from ?? "NORMAL", "HIGH_RISK"]]);
    }
  });

  it("stays quiet on moves to a better tier, and on moves the rule's tiers leave out", async () => {
    expect(await evaluate(rules, tierEvent("HIGH_RISK", "NORMAL"), directory)).toEqual([]);
    expect(await evaluate(rules, tierEvent("NORMAL", "LOW_RISK"), directory)).toEqual([]);
    expect(await evaluate(rules, tierEvent("LOW_RISK", "NORMAL"), directory)).toEqual([]);
  });
});
