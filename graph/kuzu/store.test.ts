import { afterAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_AS_OF, loadDemo } from "../../prisma/seed/graph.js";
import { KuzuGraphStore } from "./store.js";

describe("KuzuGraphStore on disk", () => {
  const dir = mkdtempSync(join(tmpdir(), "graph-kuzu-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps the graph in <dataDir>/graph.kuzu across a close and a reopen", async () => {
    const first = new KuzuGraphStore(join(dir, "g"));
    const demo = await loadDemo(first, 3);
    const counts = await first.counts();
    await first.close();

    const again = new KuzuGraphStore(join(dir, "g"));
    await again.init(); // CREATE … IF NOT EXISTS on an existing schema
    expect(await again.counts()).toEqual(counts);
    const [c] = await again.ultimateControllers(demo.roles.chain.c, { threshold: 0, asOf: DEMO_AS_OF });
    expect(c.effectiveShare).toBe(0.24);
    await again.close();
  });

  it("serves concurrent calls on its one connection, clusters included", async () => {
    const store = new KuzuGraphStore();
    const demo = await loadDemo(store, 4);
    const k1 = demo.roles.hub.companies[0];
    const results = await Promise.all([
      store.clusters({ minSize: 3, asOf: DEMO_AS_OF }),
      store.relatedPartyRisk(k1, { asOf: DEMO_AS_OF }),
      store.clusters({ minSize: 2, asOf: DEMO_AS_OF }),
      store.affiliates(k1, { depth: 2, first: 10, asOf: DEMO_AS_OF }),
      store.counts(),
    ]);
    expect(results[0].map((c) => c.size)).toEqual([5, 3, 3]);
    expect(results[1].score).toBeCloseTo(0.609, 12);
    expect(results[2].map((c) => c.size)).toEqual([5, 3, 3, 2]);
    expect(results[3]).toHaveLength(7);
    await store.close();
  });
});
