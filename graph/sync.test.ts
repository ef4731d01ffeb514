import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { openStore, type Store } from "../prisma/store.js";
import { seedStore } from "../prisma/seed/load.js";
import { DEMO_AS_OF, loadDemo } from "../prisma/seed/graph.js";
import { KuzuGraphStore } from "./kuzu/store.js";
import { SYNC_SINCE, bulkFromRelational, catchUpFromRelational, legalRepresentativeEdges, syncFromRelational } from "./sync.js";
import type { GraphStore } from "./types.js";

const ENTERPRISES = 300;

describe("syncFromRelational (PGlite → kuzu)", () => {
  let db: Store;
  let graph: KuzuGraphStore;
  let people: number;

  beforeAll(async () => {
    db = await openStore({ kind: "embedded" });
    await seedStore(db.prisma, { enterprises: ENTERPRISES, seed: 7, batchSize: 100 });
    people = new Set((await db.prisma.enterprise.findMany({ select: { legalRepresentativeId: true } })).map((e) => e.legalRepresentativeId)).size;
    graph = new KuzuGraphStore();
  });
  afterAll(async () => {
    await graph?.close();
    await db?.close();
  });

  it("stops between batches when told to (a hub shutting down does not wait for a full sync)", async () => {
    const fresh = new KuzuGraphStore();
    try {
      const stopping = new AbortController();
      // The first batch is read, then the hub is told to stop: that batch is written whole, no other.
      const reads = { findMany: async (a: Parameters<typeof db.prisma.enterprise.findMany>[0]) => { const rows = await db.prisma.enterprise.findMany(a); stopping.abort(); return rows; } };
      const prisma = { enterprise: reads, individual: db.prisma.individual } as unknown as typeof db.prisma;
      expect(await syncFromRelational(fresh, prisma, { batchSize: 64, signal: stopping.signal })).toMatchObject({ edges: 64 });
      expect((await fresh.counts()).edges).toBe(64);
      expect(await syncFromRelational(fresh, db.prisma, { batchSize: 64, signal: AbortSignal.abort() })).toEqual({ nodes: 0, edges: 0, skipped: 0 });
    } finally {
      await fresh.close();
    }
  });

  it("builds Enterprise and Person nodes and LEGAL_REPRESENTATIVE_OF edges; a second run changes nothing", async () => {
    const first = await syncFromRelational(graph, db.prisma, { batchSize: 64 });
    expect(first).toMatchObject({ edges: ENTERPRISES, skipped: 0 });
    // A person representing companies in two batches is written twice.
    expect(first.nodes).toBeGreaterThanOrEqual(ENTERPRISES + people);
    const counts = await graph.counts();
    expect(counts).toEqual({ nodes: ENTERPRISES + people, edges: ENTERPRISES });

    const second = await syncFromRelational(graph, db.prisma, { batchSize: 100 });
    expect(second.edges).toBe(0);
    expect(await graph.counts()).toEqual(counts);

    const e = await db.prisma.enterprise.findFirstOrThrow({ orderBy: { uscc: "asc" } });
    expect(await graph.getEdges({ to: e.uscc })).toEqual([{
      type: "LEGAL_REPRESENTATIVE_OF", from: e.legalRepresentativeId, to: e.uscc, share: null,
      cityCode: e.registeredCityCode, validFrom: e.establishedOn.toISOString().slice(0, 10), validTo: null,
    }]);
    const node = (await graph.getNodes([e.uscc])).get(e.uscc);
    expect(node).toMatchObject({ kind: "Enterprise", name: e.name, cityCode: e.registeredCityCode });
  });

  it("keeps the demo structures and risk flags laid on top, and an incremental run records a change of representative", async () => {
    const [a0, a1] = (await db.prisma.enterprise.findMany({ orderBy: { uscc: "asc" }, take: 2, select: { uscc: true } })).map((e) => e.uscc);
    const demo = await loadDemo(graph, 11, { anchors: [a0, a1] });
    const flagged = { ...(await graph.getNodes([a0])).get(a0)!, riskFlags: ["LOW_RATING"] };
    await graph.upsertNodes([flagged]);
    const before = await graph.counts();

    // a1's representative becomes the person who represents a0.
    const e0 = await db.prisma.enterprise.findUniqueOrThrow({ where: { uscc: a0 } });
    const e1 = await db.prisma.enterprise.findUniqueOrThrow({ where: { uscc: a1 } });
    const since = new Date();
    await db.prisma.enterprise.update({ where: { uscc: a1 }, data: { legalRepresentativeId: e0.legalRepresentativeId, legalRepresentativeName: e0.legalRepresentativeName } });
    const inc = await syncFromRelational(graph, db.prisma, { since });
    expect(inc).toEqual({ nodes: 2, edges: 2, skipped: 0 }); // a1 and its new representative; old edge closed, new one opened

    const today = (await db.prisma.enterprise.findUniqueOrThrow({ where: { uscc: a1 } })).updatedAt.toISOString().slice(0, 10);
    const lr = await graph.getEdges({ to: a1, type: "LEGAL_REPRESENTATIVE_OF" });
    expect(lr.map((x) => [x.from, x.validFrom, x.validTo])).toEqual(
      [[e1.legalRepresentativeId, e1.establishedOn.toISOString().slice(0, 10), today], [e0.legalRepresentativeId, today, null]]
        .sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    );
    expect(await graph.counts()).toEqual({ nodes: before.nodes, edges: before.edges + 1 });
    expect((await graph.getNodes([a0])).get(a0)?.riskFlags).toEqual(["LOW_RATING"]);
    expect((await graph.getEdges({ from: demo.roles.hub.person, to: a1 }))).toHaveLength(1);

    // The two enterprises now share a representative: one cluster, as of today.
    const clusters = await graph.clusters({ minSize: 2, asOf: today });
    expect(clusters.some((c) => c.members.some((m) => m.id === a0) && c.members.some((m) => m.id === a1))).toBe(true);
    const again = await syncFromRelational(graph, db.prisma, { since });
    expect(again.edges).toBe(0);
    expect(await graph.counts()).toEqual({ nodes: before.nodes, edges: before.edges + 1 });
    // K1's 0.609 (contract.ts) plus a0, now LOW_RATING, 3 supply-chain hops away (K1 → L → M → a0):
    // 0.3 × 0.5² × 0.4³ = 0.0048, so 1 − 0.391 × (1 − 0.0048) = 0.6108768.
    expect((await graph.relatedPartyRisk(demo.roles.hub.companies[0], { asOf: DEMO_AS_OF })).score).toBeCloseTo(0.6108768, 12);
  });
});

describe("catchUpFromRelational (PGlite → kuzu)", () => {
  let db: Store;
  beforeAll(async () => {
    db = await openStore({ kind: "embedded" });
    await seedStore(db.prisma, { enterprises: 200, seed: 9, batchSize: 100 });
  });
  afterAll(async () => {
    await db?.close();
  });

  /** Every node and edge of a graph that holds only what the relational records give. */
  async function contents(graph: GraphStore) {
    const firms = (await db.prisma.enterprise.findMany({ select: { uscc: true, legalRepresentativeId: true } }));
    const ids = [...new Set(firms.flatMap((f) => [f.uscc, f.legalRepresentativeId!]))];
    const nodes = [...(await graph.getNodes(ids)).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    return { nodes, edges: await graph.getEdges({ type: "LEGAL_REPRESENTATIVE_OF" }) };
  }

  it("bulk-loads an empty graph to exactly what the upsert path builds, then goes on from its watermark", async () => {
    const upserted = new KuzuGraphStore(), bulk = new KuzuGraphStore();
    try {
      await syncFromRelational(upserted, db.prisma, { batchSize: 64 });
      const t0 = new Date();
      const first = await catchUpFromRelational(bulk, db.prisma, { batchSize: 64, now: () => t0 });
      expect(first).toMatchObject({ mode: "bulk", edges: 200, skipped: 0 });
      expect(await contents(bulk)).toEqual(await contents(upserted));
      expect(await bulk.counts()).toEqual(await upserted.counts());
      const mark = await bulk.readMeta(SYNC_SINCE);
      expect(mark).not.toBeNull();
      expect(Date.parse(mark!)).toBeLessThan(t0.getTime()); // with slack: a record written just before is read again

      // Nothing changed: the next run reads only what was updated since the watermark.
      const quiet = await catchUpFromRelational(bulk, db.prisma, { now: () => new Date(t0.getTime() + 3_600_000) });
      expect(quiet.mode).toBe("incremental");
      await db.prisma.enterprise.updateMany({ where: {}, data: { updatedAt: new Date(t0.getTime() - 86_400_000) } });
      const idle = await catchUpFromRelational(bulk, db.prisma);
      expect(idle).toEqual({ mode: "incremental", nodes: 0, edges: 0, skipped: 0 });

      // One firm renamed: only it is read and written.
      const firm = await db.prisma.enterprise.findFirstOrThrow({ orderBy: { uscc: "desc" } });
      await db.prisma.enterprise.update({ where: { uscc: firm.uscc }, data: { name: `${firm.name}（更名）` } });
      const one = await catchUpFromRelational(bulk, db.prisma);
      expect(one).toEqual({ mode: "incremental", nodes: 2, edges: 0, skipped: 0 });
      expect((await bulk.getNodes([firm.uscc])).get(firm.uscc)?.name).toBe(`${firm.name}（更名）`);
    } finally {
      await upserted.close();
      await bulk.close();
    }
  });

  it("a stopped bulk load leaves the graph empty and no watermark; a graph without one gets a full pass", async () => {
    const graph = new KuzuGraphStore();
    try {
      const stopping = new AbortController();
      const reads = { findMany: async (a: Parameters<typeof db.prisma.enterprise.findMany>[0]) => { const rows = await db.prisma.enterprise.findMany(a); stopping.abort(); return rows; } };
      const prisma = { enterprise: reads, individual: db.prisma.individual } as unknown as typeof db.prisma;
      expect(await catchUpFromRelational(graph, prisma, { batchSize: 64, signal: stopping.signal })).toMatchObject({ mode: "bulk", nodes: 0, edges: 0 });
      expect(await graph.counts()).toEqual({ nodes: 0, edges: 0 });
      expect(await graph.readMeta(SYNC_SINCE)).toBeNull();

      await bulkFromRelational(graph, db.prisma);
      expect(await graph.readMeta(SYNC_SINCE)).toBeNull();
      expect(await catchUpFromRelational(graph, db.prisma)).toMatchObject({ mode: "full", edges: 0 });
      expect(await graph.readMeta(SYNC_SINCE)).not.toBeNull();
    } finally {
      await graph.close();
    }
  });
});

describe("legalRepresentativeEdges", () => {
  const e = {
    uscc: "91610800MA0000001X", name: "x", legalRepresentativeId: "P2", legalRepresentativeName: "y",
    registeredCityCode: "610800", establishedOn: new Date("2010-05-01T00:00:00Z"), updatedAt: new Date("2010-05-01T08:00:00Z"),
  };
  it("closes a representative who started the same day on the next day, so validTo stays after validFrom", () => {
    const stored = [{ type: "LEGAL_REPRESENTATIVE_OF" as const, from: "P1", to: e.uscc, cityCode: "610800", validFrom: "2010-05-01", validTo: null }];
    expect(legalRepresentativeEdges(e, "P2", stored).map((x) => [x.from, x.validFrom, x.validTo])).toEqual([
      ["P1", "2010-05-01", "2010-05-02"], ["P2", "2010-05-02", null],
    ]);
  });
  it("updates the source city of the open edge in place", () => {
    const stored = [{ type: "LEGAL_REPRESENTATIVE_OF" as const, from: "P2", to: e.uscc, cityCode: "620100", validFrom: "2010-05-01", validTo: null }];
    expect(legalRepresentativeEdges(e, "P2", stored)).toEqual([{ ...stored[0], cityCode: "610800" }]);
  });
});
