import { describe, expect, it } from "@jest/globals";
import { assembleClusters, unionFind } from "./components.js";
import type { GraphNode } from "./types.js";

const sorted = (groups: string[][]) => groups.map((g) => [...g].sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1));

describe("unionFind (the Neo4j backend's components)", () => {
  it("joins through shared nodes, keeps isolated nodes as singletons", () => {
    expect(sorted(unionFind(["a", "b", "c", "d", "e"], [["p", "a"], ["p", "b"], ["b", "c"], ["q", "e"]]))).toEqual([
      ["a", "b", "c", "p"], ["d"], ["e", "q"],
    ]);
  });
  it("is not fooled by edge order or cycles (a long chain in reverse)", () => {
    const n = 2000;
    const edges = Array.from({ length: n - 1 }, (_, i) => [`x${n - 1 - i}`, `x${n - 2 - i}`] as const);
    const groups = unionFind([], [...edges, ["x0", `x${n - 1}`]]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toHaveLength(n);
  });
});

describe("assembleClusters", () => {
  const node = (id: string, cityCode: string): GraphNode => ({ id, kind: "Enterprise", name: id, cityCode, riskFlags: [] });
  const nodes = new Map([["a", "1"], ["b", "2"], ["c", "2"], ["d", "3"], ["e", "3"], ["f", "1"]].map(([id, c]) => [id, node(id, c)]));
  const load = async (ids: string[]) => new Map(ids.map((id) => [id, nodes.get(id)!]));
  const groups = [["e", "d"], ["c", "b", "a"], ["f"]];

  it("orders by size then smallest id, names by the smallest id, applies minSize and first", async () => {
    expect((await assembleClusters(groups, { minSize: 1 }, load)).map((c) => [c.id, c.size])).toEqual([["CL:a", 3], ["CL:d", 2], ["CL:f", 1]]);
    expect((await assembleClusters(groups, { minSize: 2, first: 1 }, load)).map((c) => c.id)).toEqual(["CL:a"]);
  });
  it("keeps a cluster with a member in the city, listing all its members", async () => {
    const got = await assembleClusters(groups, { minSize: 1, cities: ["1"] }, load);
    expect(got.map((c) => [c.id, c.members.map((m) => m.id)])).toEqual([["CL:a", ["a", "b", "c"]], ["CL:f", ["f"]]]);
  });
});
