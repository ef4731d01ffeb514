/**
 * Long: one suite of known answers, run on every backend.
 *
 * The GraphStore contract: kuzu always (in memory), Neo4j when NEO4J_URI is set (its run
 * first deletes every Enterprise, Person and PublicBody node of NEO4J_DATABASE, default the
 * home database: point it at a test database). The fixture is the demo graph
 * (prisma/seed/graph.ts: seeded identities, fixed shapes), so every expectation below is a
 * known answer computed by hand.
 *
 * Related-party risk of K1 (the hub's first company), depth 3, by hand (risk.ts):
 *   hub person  KEY_ATTENTION 0.5      1 hop  LEGAL_REPRESENTATIVE_OF        w = 1.0        0.5 × 1   × 1.0  = 0.5
 *   K2          LOW_RATING 0.3         2 hops LR, LR (via the hub person)    w = 1.0        0.3 × 0.5 × 1.0  = 0.15
 *   M           SERIOUS_DISHONESTY 1.0 2 hops SUPPLY_CHAIN ×2 (via L)        w = 0.4 × 0.4  1.0 × 0.5 × 0.16 = 0.08
 *   K1's own LOW_RATING is not counted; K3–K5 and L carry no flag.
 *   score = 1 − (1 − 0.5)(1 − 0.15)(1 − 0.08) = 1 − 0.5 × 0.85 × 0.92 = 1 − 0.391 = 0.609
 * Of A (the chain's first company): C has JUDGMENT_DEFAULTER 0.7, 2 hops SHAREHOLDER_OF
 *   0.6 then 0.5: 0.7 × 0.5 × (0.6 × 0.5) = 0.105 = score.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { DEMO_AS_OF, loadDemo, type DemoGraph } from "../prisma/seed/graph.js";
import { RISK_FORMULA } from "./risk.js";
import type { GraphStore, PathStep } from "./types.js";
import { KuzuGraphStore } from "./kuzu/store.js";
import { Neo4jGraphStore } from "./neo4j/store.js";

const asOf = DEMO_AS_OF;

function hop(from: string, to: string, type: PathStep["type"], share: number | null = null): PathStep {
  return { from, to, type, share };
}

async function rejectsWithCode(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toMatchObject({ extensions: { code } });
}

function runGraphContract(name: string, open: () => Promise<GraphStore>): void {
  describe(`GraphStore contract: ${name}`, () => {
    let store: GraphStore;
    let demo: DemoGraph;
    let R: DemoGraph["roles"];

    beforeAll(async () => {
      store = await open();
      await store.init();
      await store.init(); // idempotent
      demo = await loadDemo(store, 20260401);
      R = demo.roles;
    });
    afterAll(async () => {
      await store?.close();
    });

    describe("writes", () => {
      it("stores the demo, and upserting it again changes nothing", async () => {
        const before = await store.counts();
        expect(before).toEqual({ nodes: demo.nodes.length, edges: demo.edges.length });
        await loadDemo(store, 20260401);
        expect(await store.counts()).toEqual(before);
      });

      it("MERGEs a node by id: a second upsert updates it in place", async () => {
        const node = demo.nodes.find((n) => n.id === R.supply.l)!;
        await store.upsertNodes([{ ...node, name: "改名有限公司", riskFlags: ["KEY_ATTENTION"] }]);
        expect((await store.getNodes([node.id])).get(node.id)).toMatchObject({ name: "改名有限公司", riskFlags: ["KEY_ATTENTION"] });
        await store.upsertNodes([node]);
        expect((await store.getNodes([node.id])).get(node.id)).toEqual(node);
        expect((await store.counts()).nodes).toBe(demo.nodes.length);
      });

      it("MERGEs an edge by (type, from, to, validFrom): a new validFrom is a new edge, removeEdges deletes it", async () => {
        const e = demo.edges.find((x) => x.type === "SUPPLY_CHAIN" && x.to === R.supply.m)!;
        await store.upsertEdges([{ ...e, validTo: "2030-01-01" }]);
        expect((await store.getEdges({ from: e.from, to: e.to }))[0].validTo).toBe("2030-01-01");
        await store.upsertEdges([{ ...e, validFrom: "2024-01-01" }]);
        expect(await store.getEdges({ from: e.from, to: e.to })).toHaveLength(2);
        expect(await store.removeEdges({ from: e.from, to: e.to, type: "SUPPLY_CHAIN" })).toBe(2);
        await store.upsertEdges([e]);
        expect(await store.getEdges({ from: e.from, to: e.to })).toEqual([{ ...e, share: null, validTo: null }]);
        expect(await store.counts()).toEqual({ nodes: demo.nodes.length, edges: demo.edges.length });
      });

      it("refuses edges to unknown nodes, between the wrong kinds, and an empty remove filter", async () => {
        const ghost = "91610800MA0000000" + "X";
        await rejectsWithCode(store.upsertEdges([{ type: "SUPPLY_CHAIN", from: R.supply.l, to: ghost, cityCode: "610800", validFrom: "2020-01-01" }]), "BAD_USER_INPUT");
        await rejectsWithCode(store.upsertEdges([{ type: "SUPPLY_CHAIN", from: R.chain.person, to: R.chain.a, cityCode: "610800", validFrom: "2020-01-01" }]), "BAD_USER_INPUT");
        await rejectsWithCode(store.upsertEdges([{ type: "SHAREHOLDER_OF", from: R.chain.person, to: R.chain.a, cityCode: "610800", validFrom: "2020-01-01" }]), "BAD_USER_INPUT");
        await rejectsWithCode(store.removeEdges({}), "BAD_USER_INPUT");
        expect(await store.counts()).toEqual({ nodes: demo.nodes.length, edges: demo.edges.length });
      });

      it("reads nodes of every kind back by id, unknown ids absent", async () => {
        const ids = [R.chain.a, R.chain.person, R.state.body, "91610800MA00000000"];
        const got = await store.getNodes(ids);
        expect([...got.keys()].sort()).toEqual([R.chain.a, R.chain.person, R.state.body].sort());
        expect(got.get(R.state.body)).toMatchObject({ kind: "PublicBody", riskFlags: [] });
        expect(got.get(R.chain.person)).toMatchObject({ kind: "Person" });
        expect((await store.getNodes([R.chain.c])).get(R.chain.c)?.riskFlags).toEqual(["JUDGMENT_DEFAULTER"]);
      });
    });

    describe("ultimateControllers", () => {
      it("chain P →0.8 A →0.6 B →0.5 C: effective 0.24, no control (the last hop is exactly 50%)", async () => {
        const [p, ...rest] = await store.ultimateControllers(R.chain.c, { threshold: 0, asOf });
        expect(rest).toEqual([]);
        expect(p.node.id).toBe(R.chain.person);
        expect(p.effectiveShare).toBeCloseTo(0.24, 12);
        expect(p.controls).toBe(false);
        expect(p.paths).toEqual([[
          hop(R.chain.person, R.chain.a, "SHAREHOLDER_OF", 0.8), hop(R.chain.a, R.chain.b, "SHAREHOLDER_OF", 0.6), hop(R.chain.b, R.chain.c, "SHAREHOLDER_OF", 0.5),
        ]]);
        const [ofB] = await store.ultimateControllers(R.chain.b, { threshold: 0.25, asOf });
        expect(ofB).toMatchObject({ effectiveShare: 0.48, controls: true });
      });

      it("pyramid: two paths sum (0.6 × 0.5 + 0.3 × 0.4 = 0.42); the threshold keeps only those above it", async () => {
        const all = await store.ultimateControllers(R.pyramid.f, { threshold: 0, asOf });
        expect(all.map((c) => [c.node.id, c.effectiveShare, c.controls, c.paths.length])).toEqual([
          [R.pyramid.person, 0.42, false, 2],
          [R.pyramid.other, 0.28, false, 1],
        ]);
        expect((await store.ultimateControllers(R.pyramid.f, { threshold: 0.3, asOf })).map((c) => c.node.id)).toEqual([R.pyramid.person]);
      });

      it("cycle G ⇄ H (60% / 30%): acyclic path sums, no loop, no double count", async () => {
        const [ofG] = await store.ultimateControllers(R.cycle.g, { threshold: 0, asOf });
        expect(ofG).toMatchObject({ effectiveShare: 0.9, controls: true });
        expect(ofG.paths).toHaveLength(1);
        const [ofH] = await store.ultimateControllers(R.cycle.h, { threshold: 0, asOf });
        expect(ofH).toMatchObject({ effectiveShare: 0.54, controls: true });
        expect(ofH.paths).toEqual([[hop(R.cycle.person, R.cycle.g, "SHAREHOLDER_OF", 0.9), hop(R.cycle.g, R.cycle.h, "SHAREHOLDER_OF", 0.6)]]);
      });

      it("control by agreement (ACTUAL_CONTROLLER_OF) is reported whatever the threshold", async () => {
        const at = (threshold: number) => store.ultimateControllers(R.agreement.company, { threshold, asOf });
        expect((await at(0.25)).map((c) => [c.node.id, c.effectiveShare, c.controls])).toEqual([
          [R.agreement.holder1, 0.35, false], [R.agreement.holder2, 0.3, false], [R.agreement.controller, 0, true],
        ]);
        expect((await at(0.32)).map((c) => c.node.id)).toEqual([R.agreement.holder1, R.agreement.controller]);
      });

      it("a public body is an ultimate controller; 51% controls", async () => {
        expect((await store.ultimateControllers(R.state.o, { threshold: 0.25, asOf })).map((c) => [c.node.id, c.node.kind, c.effectiveShare, c.controls]))
          .toEqual([[R.state.body, "PublicBody", 0.51, true]]);
      });

      it("sees no holdings before they start", async () => {
        expect(await store.ultimateControllers(R.chain.c, { threshold: 0, asOf: "2018-12-31" })).toEqual([]);
      });
    });

    describe("affiliates", () => {
      it("depth 1 vs depth 2, nearest first, with a shortest path each", async () => {
        const k1 = R.hub.companies[0];
        const d1 = await store.affiliates(k1, { depth: 1, first: 50, asOf });
        expect(d1.map((a) => [a.node.id, a.distance])).toEqual([[R.hub.person, 1], [R.supply.l, 1]].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
        const d2 = await store.affiliates(k1, { depth: 2, first: 50, asOf });
        const twoHops = [...R.hub.companies.slice(1), R.supply.m].sort();
        expect(d2.filter((a) => a.distance === 2).map((a) => a.node.id)).toEqual(twoHops);
        expect(d2).toHaveLength(2 + twoHops.length);
        const m = d2.find((a) => a.node.id === R.supply.m)!;
        expect(m.path).toEqual([hop(k1, R.supply.l, "SUPPLY_CHAIN"), hop(R.supply.l, R.supply.m, "SUPPLY_CHAIN")]);
        expect(m.node).toMatchObject({ kind: "Enterprise", riskFlags: ["SERIOUS_DISHONESTY"] });
        expect((await store.affiliates(k1, { depth: 2, first: 3, asOf })).map((a) => a.node.id)).toEqual(d2.slice(0, 3).map((a) => a.node.id));
      });

      it("filters by relation type", async () => {
        const got = await store.affiliates(R.hub.companies[0], { depth: 2, first: 50, asOf, relationTypes: ["SUPPLY_CHAIN"] });
        expect(got.map((a) => [a.node.id, a.distance])).toEqual([[R.supply.l, 1], [R.supply.m, 2]]);
      });

      it("asOf: the legal representative changed on 2022-07-01; a manager appointed from 2030 is not there yet", async () => {
        const at = async (date: string) => (await store.affiliates(R.repChange.company, { depth: 1, first: 10, asOf: date })).map((a) => a.node.id);
        expect(await at("2022-06-30")).toEqual([R.repChange.before]);
        expect(await at("2022-07-01")).toEqual([R.repChange.after]);
        expect(await at(asOf)).toEqual([R.repChange.after]);
        expect(await at("2030-01-01")).toEqual([R.repChange.after, R.repChange.manager].sort());
        expect(await at("2015-02-28")).toEqual([]);
      });

      it("refuses a depth outside 1..4 and a malformed date", async () => {
        await rejectsWithCode(store.affiliates(R.chain.a, { depth: 5, first: 10, asOf }), "BAD_USER_INPUT");
        await rejectsWithCode(store.affiliates(R.chain.a, { depth: 1, first: 10, asOf: "2026-02-30" }), "BAD_USER_INPUT");
      });
    });

    describe("relationPath", () => {
      it("is the shortest undirected path, edges in their own direction", async () => {
        expect(await store.relationPath(R.chain.a, R.chain.c, { maxDepth: 4, asOf })).toEqual([
          hop(R.chain.a, R.chain.b, "SHAREHOLDER_OF", 0.6), hop(R.chain.b, R.chain.c, "SHAREHOLDER_OF", 0.5),
        ]);
        const [k1, k2] = R.hub.companies;
        expect(await store.relationPath(R.supply.m, k2, { maxDepth: 4, asOf })).toEqual([
          hop(R.supply.l, R.supply.m, "SUPPLY_CHAIN"), hop(k1, R.supply.l, "SUPPLY_CHAIN"),
          hop(R.hub.person, k1, "LEGAL_REPRESENTATIVE_OF"), hop(R.hub.person, k2, "LEGAL_REPRESENTATIVE_OF"),
        ]);
      });

      it("is null beyond maxDepth, between disconnected subjects, and through edges not valid at asOf", async () => {
        expect(await store.relationPath(R.supply.m, R.hub.companies[1], { maxDepth: 3, asOf })).toBeNull();
        expect(await store.relationPath(R.chain.person, R.supply.m, { maxDepth: 6, asOf })).toBeNull();
        expect(await store.relationPath(R.repChange.before, R.repChange.company, { maxDepth: 2, asOf })).toBeNull();
        expect(await store.relationPath(R.repChange.before, R.repChange.company, { maxDepth: 2, asOf: "2020-01-01" })).toHaveLength(1);
        expect(await store.relationPath(R.chain.a, R.chain.a, { maxDepth: 1, asOf })).toEqual([]);
      });
    });

    describe("relatedPartyRisk", () => {
      it("K1: 1 − 0.5 × 0.85 × 0.92 = 0.609 (see the hand computation above)", async () => {
        const r = await store.relatedPartyRisk(R.hub.companies[0], { asOf });
        expect(r.score).toBeCloseTo(0.609, 12);
        expect(r.formula).toBe(RISK_FORMULA);
        expect(r.contributions.map((c) => [c.node.id, c.flags, c.distance, c.weight, c.contribution])).toEqual([
          [R.hub.person, ["KEY_ATTENTION"], 1, 1, 0.5],
          [R.hub.companies[1], ["LOW_RATING"], 2, 1, 0.15],
          [R.supply.m, ["SERIOUS_DISHONESTY"], 2, 0.16, 0.08],
        ]);
        expect(r.contributions[2].path).toEqual([hop(R.hub.companies[0], R.supply.l, "SUPPLY_CHAIN"), hop(R.supply.l, R.supply.m, "SUPPLY_CHAIN")]);
      });

      it("depth bounds what counts; shares weight SHAREHOLDER_OF hops", async () => {
        expect((await store.relatedPartyRisk(R.hub.companies[0], { asOf, depth: 1 })).score).toBe(0.5);
        const a = await store.relatedPartyRisk(R.chain.a, { asOf });
        expect(a.score).toBeCloseTo(0.105, 12);
        expect(a.contributions.map((c) => [c.node.id, c.weight])).toEqual([[R.chain.c, 0.3]]);
      });

      it("is 0 without flagged related parties", async () => {
        expect(await store.relatedPartyRisk(R.cycle.g, { asOf })).toEqual({ score: 0, contributions: [], formula: RISK_FORMULA });
      });
    });

    describe("clusters", () => {
      it("groups enterprises tied by common people or holdings, largest first, with minSize and first", async () => {
        const three = await store.clusters({ minSize: 3, asOf });
        const chainAndPyramid = [[R.chain.a, R.chain.b, R.chain.c].sort(), [R.pyramid.d, R.pyramid.e, R.pyramid.f].sort()].sort((x, y) => (x[0] < y[0] ? -1 : 1));
        expect(three.map((c) => c.members.map((m) => m.id))).toEqual([[...R.hub.companies].sort(), ...chainAndPyramid]);
        expect(three.map((c) => c.size)).toEqual([5, 3, 3]);
        expect(three[0].id).toBe(`CL:${[...R.hub.companies].sort()[0]}`);
        expect((await store.clusters({ minSize: 5, asOf })).map((c) => c.size)).toEqual([5]);
        expect((await store.clusters({ minSize: 2, first: 1, asOf })).map((c) => c.size)).toEqual([5]);
        expect((await store.clusters({ minSize: 2, asOf })).map((c) => c.size)).toEqual([5, 3, 3, 2]);
      });

      it("filters by city (a member registered there), ignores supply chains and public bodies as ties", async () => {
        expect((await store.clusters({ minSize: 3, cities: [R.cities[3]], asOf })).map((c) => c.members.map((m) => m.id))).toEqual([[R.chain.a, R.chain.b, R.chain.c].sort()]);
        expect((await store.clusters({ minSize: 3, cities: [R.cities[2]], asOf })).map((c) => c.size)).toEqual([5]);
        const singles = await store.clusters({ minSize: 1, asOf });
        const sizeOf = (id: string) => singles.find((c) => c.members.some((m) => m.id === id))?.size;
        expect([sizeOf(R.state.n), sizeOf(R.state.o), sizeOf(R.supply.l), sizeOf(R.supply.m)]).toEqual([1, 1, 1, 1]);
      });

      it("only counts ties valid at asOf", async () => {
        expect(await store.clusters({ minSize: 2, asOf: "2018-06-01" })).toEqual([]);
      });
    });

    describe("the hub's own values", () => {
      it("keeps a value per key, overwritten in place, null when never written", async () => {
        const nodesBefore = (await store.counts()).nodes;
        expect(await store.readMeta("consumer:test")).toBeNull();
        await store.writeMeta("consumer:test", "41");
        await store.writeMeta("consumer:test", "42");
        await store.writeMeta("consumer:other", "7");
        expect(await store.readMeta("consumer:test")).toBe("42");
        expect(await store.readMeta("consumer:other")).toBe("7");
        expect((await store.counts()).nodes).toBe(nodesBefore);
      });
    });

    describe("availability", () => {
      it("pings while open and rejects after close", async () => {
        const other = await open();
        await other.ping();
        await other.close();
        await expect(other.ping()).rejects.toThrow(/closed/);
        await other.close(); // idempotent
      });
    });
  });
}

runGraphContract("kuzu (in memory)", async () => new KuzuGraphStore());

const neo4jUri = process.env.NEO4J_URI;
if (neo4jUri) {
  const opts = {
    uri: neo4jUri,
    user: process.env.NEO4J_USER ?? "neo4j",
    password: process.env.NEO4J_PASSWORD ?? "",
    database: process.env.NEO4J_DATABASE || undefined,
  };
  describe("neo4j", () => {
    beforeAll(async () => {
      const store = new Neo4jGraphStore(opts);
      try {
        await store.clear();
      } finally {
        await store.close();
      }
    });
    runGraphContract(`neo4j (${neo4jUri})`, async () => new Neo4jGraphStore(opts));
  });
} else {
  // Skipped on purpose, and shown so in the test output: no Neo4j server can run here; set NEO4J_URI to run it.
  describe.skip("GraphStore contract: neo4j (skipped: NEO4J_URI is not set; point it at a test database to run this suite)", () => {
    it("runs the whole contract against Neo4j", () => undefined);
  });
}
