import { describe, expect, it } from "@jest/globals";
import { checkIdNumber, checkUscc } from "../../lib/ids/index.js";
import { demoGraph } from "./graph.js";
import { kindsOf } from "../../graph/model.js";

describe("demoGraph", () => {
  it.each([1, 7, 20260401, 99999])("seed %i: valid, distinct ids; every edge between demo nodes", (seed) => {
    const d = demoGraph(seed);
    const ids = d.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const n of d.nodes) {
      if (n.kind === "Enterprise") expect(checkUscc(n.id).ok).toBe(true);
      if (n.kind === "Person") expect(checkIdNumber(n.id)).toMatchObject({ ok: true });
      expect(kindsOf(n.id)).toContain(n.kind);
    }
    const known = new Set(ids);
    for (const e of d.edges) expect([known.has(e.from), known.has(e.to)]).toEqual([true, true]);
  });

  it("is deterministic per seed and differs between seeds", () => {
    expect(demoGraph(5)).toEqual(demoGraph(5));
    expect(demoGraph(5).nodes.map((n) => n.id)).not.toEqual(demoGraph(6).nodes.map((n) => n.id));
  });

  it("uses organisation codes (GD…) and birth years (1940s) the seed data never produces", () => {
    const d = demoGraph(3);
    for (const n of d.nodes) {
      if (n.kind === "Enterprise") expect(n.id.slice(8, 10)).toBe("GD");
      if (n.kind === "Person") expect(n.id.slice(6, 9)).toBe("194");
    }
  });

  it("hooks onto synced enterprises only when anchors are given", () => {
    expect(demoGraph(1, { anchors: ["A0", "A1"] }).edges.length).toBe(demoGraph(1).edges.length + 2);
  });
});
