import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { openStore, type Store } from "../db/store.js";
import { createLogger } from "../logger.js";
import { MemoryEventBus } from "./memoryBus.js";
import { startOutboxRelay, type OutboxRelay } from "./relay.js";
import type { DeliveredEvent } from "./types.js";

const logger = createLogger("relay-test", "silent");

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Everything retained on the bus, in order. */
async function drain(bus: MemoryEventBus): Promise<DeliveredEvent[]> {
  const latest = await bus.latestSequence();
  if (latest === null) return [];
  const got: DeliveredEvent[] = [];
  const sub = bus.subscribe(null, (e) => void got.push(e));
  await waitFor(() => got.at(-1)?.sequence === latest, 5000, "drain");
  sub.close();
  return got;
}

describe("outbox relay (embedded PGlite, memory bus)", () => {
  let store: Store;
  const relays: OutboxRelay[] = [];
  const relay = (bus: MemoryEventBus, extra: { pollMs?: number; batch?: number; holeGraceMs?: number } = {}) => {
    const r = startOutboxRelay({ prisma: store.prisma, bus, table: "lists.outbox", stream: "lists", logger, pollMs: 0, ...extra });
    relays.push(r);
    return r;
  };
  let entry = 0;
  const insert = async (n: number) => {
    const rows = [];
    for (let i = 0; i < n; i++) {
      entry++;
      rows.push(
        await store.prisma.listOutbox.create({
          data: { eventId: randomUUID(), type: "ListEntryChanged", entryId: entry, cityCode: "410100", payload: { entry, status: "ACTIVE", note: `n${entry}` } },
        }),
      );
    }
    return rows;
  };

  beforeAll(async () => {
    store = await openStore({ kind: "embedded" });
  });

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await store?.close();
  });

  it("publishes every row once, in order; a new relay continues after the last one; new rows only", async () => {
    const bus = new MemoryEventBus();
    const rows = await insert(25);

    // A polling relay, with a batch smaller than the backlog.
    const first = relay(bus, { pollMs: 20, batch: 10 });
    await waitFor(async () => (await bus.latestSequence()) === "25", 10_000, "25 events");
    await first.stop();
    let got = await drain(bus);
    expect(got.map((e) => e.id)).toEqual(rows.map((r) => r.eventId));
    expect(got.map((e) => e.outboxId)).toEqual(rows.map((r) => r.id.toString()));
    expect(got[0]).toMatchObject({
      stream: "lists",
      type: "ListEntryChanged",
      entityId: String(rows[0].entryId),
      city: "410100",
      occurredAt: rows[0].occurredAt.toISOString(),
      payload: { entry: rows[0].entryId, status: "ACTIVE", note: `n${rows[0].entryId}` },
    });

    // Restart: a new instance finds its position on the bus and publishes nothing new.
    const second = relay(bus);
    expect(await second.runOnce()).toBe(0);
    expect(await bus.latestSequence()).toBe("25");

    // More rows: only those.
    const more = await insert(7);
    expect(await second.runOnce()).toBe(7);
    expect(await second.runOnce()).toBe(0);
    got = await drain(bus);
    expect(got).toHaveLength(32);
    expect(got.map((e) => e.id)).toEqual([...rows, ...more].map((r) => r.eventId));
    expect(new Set(got.map((e) => e.id)).size).toBe(32);
    await second.stop();
    await expect(second.runOnce()).rejects.toThrow(/stopped/);
  });

  it("waits at a missing id for the grace period, then skips it; a late commit is still published", async () => {
    const bus = new MemoryEventBus();
    const r = relay(bus, { holeGraceMs: 300 });
    await r.runOnce(); // everything so far
    const base = Number(await bus.latestSequence());

    // A rolled-back insert burns an id: a hole below the next row.
    const burned = await store.prisma
      .$transaction(async (tx) => {
        const row = await tx.listOutbox.create({ data: { eventId: randomUUID(), type: "ListEntryChanged", entryId: 9999, cityCode: "410100", payload: {} } });
        throw Object.assign(new Error("rollback"), { row });
      })
      .catch((e: { row: { id: bigint } }) => e.row);
    const [after] = await insert(1);
    expect(after.id).toBe(burned.id + 1n);

    expect(await r.runOnce()).toBe(0); // held back: the hole may still commit
    await new Promise((res) => setTimeout(res, 350));
    expect(await r.runOnce()).toBe(1); // grace over: skipped
    let got = await drain(bus);
    expect(got.at(-1)?.id).toBe(after.eventId);
    expect(got).toHaveLength(base + 1);

    // The "rolled back" id commits after all (a transaction longer than the grace): published late.
    const late = await store.prisma.listOutbox.create({
      data: { id: burned.id, eventId: randomUUID(), type: "ListEntryChanged", entryId: 9999, cityCode: "410100", payload: { late: true } },
    });
    expect(await r.runOnce()).toBe(1);
    expect(await r.runOnce()).toBe(0);
    got = await drain(bus);
    expect(got.at(-1)).toMatchObject({ id: late.eventId, outboxId: burned.id.toString(), payload: { late: true } });
    expect(got).toHaveLength(base + 2);
  });
});
