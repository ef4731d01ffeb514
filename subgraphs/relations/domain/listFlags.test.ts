import { describe, expect, it, jest } from "@jest/globals";
import { randomUUID } from "node:crypto";
import type { GraphStore } from "../../../graph/types.js";
import { MemoryEventBus } from "../../../events/memoryBus.js";
import type { HubEvent } from "../../../events/types.js";
import { createLogger } from "../../../lib/logger.js";
import { startListFlagSync } from "./listFlags.js";

const listEvent = (): HubEvent => ({
  id: randomUUID(), stream: "lists", type: "ListEntryChanged", entityId: "1", city: "610800", occurredAt: new Date().toISOString(),
  payload: { id: 1, from: null, to: "RECOGNISED", listType: "SERIOUS_DISHONESTY", subject: "91610800MA70000001", subjectKind: "ENTERPRISE" },
});

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// Following again in general: events/follow.test.ts. Here: that the sync follows the bus with that policy.
describe("risk flags from the lists: following the bus", () => {
  it("starts from the newest event, follows again from the oldest retained one when that position is gone, and stays stopped once stopped", async () => {
    const bus = new MemoryEventBus();
    await bus.publish([listEvent(), listEvent()]);
    // The bus says 9 once (then reset): the subscription from 9 ends with `ahead`.
    jest.spyOn(bus, "latestSequence").mockResolvedValueOnce("9");
    const subscribe = jest.spyOn(bus, "subscribe");
    // No lists URL: nothing is asked or written; a flush of gathered changes only asks for the URL.
    const listsUrl = jest.fn(() => undefined);
    const stop = startListFlagSync({ bus, graph: {} as GraphStore, listsUrl, secret: "s", logger: createLogger("test", "silent"), debounceMs: 1, retryMs: 10 });
    await until(() => listsUrl.mock.calls.length === 1, "the retained events handled");
    expect(subscribe.mock.calls.map((c) => c[0])).toEqual(["9", null]);
    stop();
    await bus.publish([listEvent()]);
    await new Promise((r) => setTimeout(r, 50));
    expect(subscribe).toHaveBeenCalledTimes(2);
    expect(listsUrl).toHaveBeenCalledTimes(1);
    await bus.close();
  });
});
