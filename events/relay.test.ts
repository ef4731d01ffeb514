import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { openStore, type Store } from "../prisma/store.js";
import { createLogger } from "../lib/logger.js";
import { MemoryEventBus } from "./memoryBus.js";
import { startOutboxRelay, type OutboxRelay } from "./relay.js";
import type { DeliveredEvent } from "./types.js";
import { SERVICES, requireServices } from "../test/services.js";
import { freshDatabase } from "../test/support.js";

await requireServices("postgres");

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

describe("outbox declarations", () => {
  it("take only a plain schema.table name, since it goes into SQL text", () => {
    for (const table of ["lists.outbox; DROP TABLE lists.list_entry", "outbox", "lists.\"outbox\"", "Lists.Outbox"]) {
      expect(() => startOutboxRelay({ prisma: {} as Store["prisma"], bus: new MemoryEventBus(), outbox: { table, stream: "lists" }, logger, pollMs: 0 })).toThrow(/not a schema\.table name/);
    }
  });
});

describe("outbox relay (embedded PGlite, memory bus)", () => {
  let store: Store;
  const relays: OutboxRelay[] = [];
  const relay = (bus: MemoryEventBus, extra: { pollMs?: number; batch?: number; holeGraceMs?: number } = {}) => {
    const r = startOutboxRelay({ prisma: store.prisma, bus, outbox: { table: "lists.outbox", stream: "lists" }, logger, pollMs: 0, ...extra });
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

  it("holds back rows behind a rolled-back id for one poll only, then skips it", async () => {
    const bus = new MemoryEventBus();
    const r = relay(bus, { holeGraceMs: 60_000 });
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

    expect(await r.runOnce()).toBe(0); // held back: the id might still commit
    await new Promise((res) => setTimeout(res, 150));
    // No transaction was open to hold it (one PGlite connection): rolled back, skipped long before the grace period.
    expect(await r.runOnce()).toBe(1);
    const got = await drain(bus);
    expect(got.at(-1)?.id).toBe(after.eventId);
    expect(got).toHaveLength(base + 1);
  });
});

/** Real concurrency needs a PostgreSQL server: commit order differs from id order only there. */
describe("outbox relay (PostgreSQL, concurrent transactions)", () => {
  let store: Store;
  const relays: OutboxRelay[] = [];
  // One bus for these tests: each new relay continues after the last event the previous one relayed.
  const bus = new MemoryEventBus();

  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase();
    store = await openStore({ kind: "postgres", url: db.url, poolSize: 4 });
  }, 60_000);

  /** Connections to another database a test opened: closed even when the test fails. */
  const openElsewhere: pg.Client[] = [];
  afterAll(async () => {
    await Promise.all(openElsewhere.map((c) => c.end()));
    await Promise.all(relays.map((r) => r.stop()));
    await store?.close();
    await db?.drop();
  });

  const row = (entryId: number) => ({ eventId: randomUUID(), type: "ListEntryChanged", entryId, cityCode: "410100", payload: { entryId } });

  /** An open transaction that has written an outbox row (so holds its id) until `commit()`. */
  async function openTransaction(entryId: number): Promise<{ id: bigint; eventId: string; commit(): Promise<void> }> {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let written!: (v: { id: bigint; eventId: string }) => void;
    const inserted = new Promise<{ id: bigint; eventId: string }>((r) => (written = r));
    const done = store.prisma.$transaction(
      async (tx) => {
        const created = await tx.listOutbox.create({ data: row(entryId) });
        written({ id: created.id, eventId: created.eventId });
        await gate;
      },
      { timeout: 20_000 },
    );
    const r = await inserted;
    return {
      ...r,
      async commit() {
        release();
        await done;
      },
    };
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("does not pass an id whose transaction is still open; publishes in id order once it commits", async () => {
    const r = startOutboxRelay({ prisma: store.prisma, bus, outbox: { table: "lists.outbox", stream: "lists" }, logger, pollMs: 0, holeGraceMs: 60_000 });
    relays.push(r);
    const first = await store.prisma.listOutbox.create({ data: row(1) });
    expect(await r.runOnce()).toBe(1);

    const slow = await openTransaction(2); // takes id n, commits last
    const fast = await store.prisma.listOutbox.create({ data: row(3) }); // id n + 1, visible first
    expect(fast.id).toBe(slow.id + 1n);
    for (let i = 0; i < 4; i++) {
      expect(await r.runOnce()).toBe(0); // row n + 1 is visible, but n may still come
      await sleep(120);
    }
    await slow.commit();
    expect(await r.runOnce()).toBe(2);
    const got = await drain(bus);
    expect(got.map((e) => e.id)).toEqual([first.eventId, slow.eventId, fast.eventId]);
  });

  it("skips an id whose transaction rolled back as soon as that transaction is over", async () => {
    const r = startOutboxRelay({ prisma: store.prisma, bus, outbox: { table: "lists.outbox", stream: "lists" }, logger, pollMs: 0, holeGraceMs: 60_000 });
    relays.push(r);
    await r.runOnce();
    const base = Number(await bus.latestSequence());
    let release!: () => void;
    const gate = new Promise<void>((res) => (release = res));
    let started!: () => void;
    const inserted = new Promise<void>((res) => (started = res));
    const rolledBack = store.prisma
      .$transaction(async (tx) => {
        await tx.listOutbox.create({ data: row(4) });
        started();
        await gate;
        throw new Error("rollback");
      })
      .catch(() => "rolled back");
    await inserted;
    const next = await store.prisma.listOutbox.create({ data: row(5) });
    // A transaction of another database of the server, open while the witness is taken and after:
    // it cannot hold this outbox's ids, so it must not hold the relay back.
    const elsewhere = new pg.Client({ connectionString: SERVICES.postgres.url });
    await elsewhere.connect();
    openElsewhere.push(elsewhere);
    await elsewhere.query("BEGIN");
    await elsewhere.query("SELECT pg_current_xact_id()");
    // A transaction committed after it, so the server's snapshot lists the other one as in progress.
    await store.prisma.$queryRawUnsafe("SELECT pg_current_xact_id()::text");
    expect(await r.runOnce()).toBe(0);
    await sleep(120);
    expect(await r.runOnce()).toBe(0); // witness taken: the open transaction is in it
    expect(await r.runOnce()).toBe(0); // still in progress
    release();
    expect(await rolledBack).toBe("rolled back");
    expect(await r.runOnce()).toBe(1);
    await elsewhere.query("ROLLBACK");
    const got = await drain(bus);
    expect(got).toHaveLength(base + 1);
    expect(got.at(-1)?.id).toBe(next.eventId);
  });

  it("after the grace period, passes a long transaction's id and publishes its row late rather than never", async () => {
    const r = startOutboxRelay({ prisma: store.prisma, bus, outbox: { table: "lists.outbox", stream: "lists" }, logger, pollMs: 0, holeGraceMs: 300 });
    relays.push(r);
    await r.runOnce();
    const base = Number(await bus.latestSequence());
    const long = await openTransaction(6);
    const next = await store.prisma.listOutbox.create({ data: row(7) });
    expect(await r.runOnce()).toBe(0);
    await sleep(350);
    expect(await r.runOnce()).toBe(1); // grace over: next goes, the open id is watched
    await long.commit();
    expect(await r.runOnce()).toBe(1); // the late row
    expect(await r.runOnce()).toBe(0);
    const got = await drain(bus);
    expect(got.slice(base).map((e) => e.id)).toEqual([next.eventId, long.eventId]);
    expect(got.at(-1)?.outboxId).toBe(long.id.toString());
  });
});
