import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { KuzuGraphStore } from "../../../graph/kuzu/store.js";
import { randomUUID } from "node:crypto";
import type { GraphStore } from "../../../graph/types.js";
import { MemoryEventBus } from "../../../events/memoryBus.js";
import type { HubEvent } from "../../../events/types.js";
import { createLogger } from "../../../lib/logger.js";
import { until as untilAsync } from "../../../test/until.js";
import { LIST_FLAGS_POSITION, startListFlagSync } from "./listFlags.js";

const listEvent = (): HubEvent => ({
  id: randomUUID(), stream: "lists", type: "ListEntryChanged", entityId: "1", city: "610800", occurredAt: new Date().toISOString(),
  payload: { id: 1, from: null, to: "RECOGNISED", listType: "SERIOUS_DISHONESTY", subject: "91110000600037341L", subjectKind: "ENTERPRISE" },
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
    const graph = { readMeta: async () => null } as unknown as GraphStore;
    const sync = startListFlagSync({ bus, graph, listsUrl, secret: "s", logger: createLogger("test", "silent"), debounceMs: 1, retryMs: 10 });
    await until(() => listsUrl.mock.calls.length >= 1, "the retained events handled");
    expect(subscribe.mock.calls.map((c) => c[0])).toEqual(["9", null]);
    await sync.stop();
    const asked = listsUrl.mock.calls.length;
    await bus.publish([listEvent()]);
    await new Promise((r) => setTimeout(r, 50));
    expect(subscribe).toHaveBeenCalledTimes(2);
    expect(listsUrl).toHaveBeenCalledTimes(asked);
    await bus.close();
  });
});

describe("risk flags from the lists: nothing lost", () => {
  const uscc = "91110000600037341L";
  let graph: KuzuGraphStore;
  let lists: http.Server;
  let listsUrl = "";
  let listed: string[] = ["SERIOUS_DISHONESTY"];
  beforeAll(async () => {
    graph = new KuzuGraphStore();
    // The lists subgraph's contract, as far as the sync asks it: the subject's live entries.
    lists = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ data: { _entities: [{ listEntries: listed.map((listType) => ({ listType })) }] } }));
    });
    await new Promise<void>((r) => lists.listen(0, "127.0.0.1", r));
    listsUrl = `http://127.0.0.1:${(lists.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await graph.close();
    await new Promise<void>((r) => lists.close(() => r()));
  });
  const flags = async () => (await graph.getNodes([uscc])).get(uscc)?.riskFlags ?? [];
  const start = (bus: MemoryEventBus) => startListFlagSync({ bus, graph, listsUrl: () => listsUrl, secret: "s", logger: createLogger("test", "silent"), debounceMs: 1, retryMs: 10 });

  it("writes the flags after a failed write, and only then the position it read up to", async () => {
    await graph.upsertNodes([{ id: uscc, kind: "Enterprise", name: "测试企业", cityCode: "610800", riskFlags: [] }]);
    const bus = new MemoryEventBus();
    const write = jest.spyOn(graph, "upsertNodes").mockRejectedValueOnce(new Error("graph store busy"));
    const sync = start(bus);
    await sync.started;
    const [seq] = await bus.publish([listEvent()]);
    await untilAsync(async () => (await flags()).includes("SERIOUS_DISHONESTY"), "the flag after the retry");
    expect(write.mock.calls.length).toBeGreaterThanOrEqual(2);
    await untilAsync(async () => (await graph.readMeta(LIST_FLAGS_POSITION)) === seq, "the position written after the flags");
    await sync.stop();
    write.mockRestore();
    await bus.close();
  });

  it("after a restart, reads again from the position it had written: a change made while it was down arrives", async () => {
    const bus = new MemoryEventBus();
    let sync = start(bus);
    await sync.started;
    listed = ["SERIOUS_DISHONESTY"];
    await bus.publish([listEvent()]);
    await untilAsync(async () => (await graph.readMeta(LIST_FLAGS_POSITION)) === (await bus.latestSequence()), "the first event written");
    await sync.stop();
    // While it is down, the entry is revoked in the lists and its event published.
    listed = [];
    await bus.publish([listEvent()]);
    sync = start(bus);
    await sync.started;
    await untilAsync(async () => !(await flags()).includes("SERIOUS_DISHONESTY"), "the change made while it was down");
    await sync.stop();
    await bus.close();
  });
});
