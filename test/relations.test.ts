import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { startTestHub, type TestHub } from "./support.js";
import { demoGraph } from "../prisma/seed/graph.js";
import { generateEnterprises } from "../prisma/seed/generator.js";

const SEED = 41;
const GRAPH: { city: string; scopes: string[] } = { city: "610800", scopes: ["credit:read", "graph:read"] };

describe("the affiliate graph through the gateway", () => {
  let hub: TestHub;
  const anchors = [...generateEnterprises({ seed: SEED, enterprises: 48 })].map((g) => g.enterprise.uscc);
  const roles = demoGraph(SEED, { anchors }).roles;

  beforeAll(async () => {
    hub = await startTestHub("embedded", 8, SEED);
    // The full sync from the relational records runs in the background at start.
    for (let i = 0; i < 200 && (await hub.graph.counts()).nodes < 48; i++) await new Promise((r) => setTimeout(r, 100));
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it("finds the ultimate controller of a chain by multiplying shares, and the chain itself", async () => {
    // The demo chain's companies live in the graph only: register the last one as the enterprise records would.
    const template = await hub.store.prisma.enterprise.findFirstOrThrow();
    await hub.store.prisma.enterprise.create({ data: { ...template, uscc: roles.chain.c, name: "链条末端公司", createdAt: undefined, updatedAt: undefined } });
    const r = await hub.query<{ enterprise: { name: string; ultimateControllers: Array<{ kind: string; effectiveShare: number; controls: boolean; paths: Array<{ steps: Array<{ share: number }> }> }> } }>(
      `query($u: ID!) { enterprise(uscc: $u) { name ultimateControllers(threshold: 0.2, asOf: "2026-11-01") { kind effectiveShare controls paths { steps { type share } } } } }`,
      { u: roles.chain.c }, { as: GRAPH });
    expect(r.errors).toBeUndefined();
    expect(r.data!.enterprise.name).toBe("链条末端公司");
    expect(r.data!.enterprise.ultimateControllers).toEqual([
      { kind: "PERSON", effectiveShare: 0.24, controls: false, paths: [{ steps: [{ type: "SHAREHOLDER_OF", share: 0.8 }, { type: "SHAREHOLDER_OF", share: 0.6 }, { type: "SHAREHOLDER_OF", share: 0.5 }] }] },
    ]);
    const path = await hub.query<{ relationPath: { length: number; steps: Array<{ type: string; share: number | null }> } }>(
      `query($a: ID!, $b: ID!) { relationPath(from: $a, to: $b, asOf: "2026-11-01") { length steps { type share } } }`, { a: roles.chain.person, b: roles.chain.c }, { as: GRAPH });
    expect(path.errors).toBeUndefined();
    expect(path.data!.relationPath.length).toBe(3);
  });

  it("lists a synced enterprise's affiliates with federated fields, people masked", async () => {
    type Node = { kind: string; distance: number; subject: Record<string, unknown> | null; path: Array<{ type: string }> };
    const r = await hub.query<{ enterprise: { name: string; affiliates: { totalCount: number; edges: Array<{ cursor: string; node: Node }> } } }>(
      `query($u: ID!) { enterprise(uscc: $u) { name affiliates(depth: 2, asOf: "2026-11-01") { totalCount edges { cursor node { kind distance riskFlags
        subject { __typename ... on Enterprise { uscc name } ... on Individual { idNumber name } ... on PublicBody { name } }
        path { type from { __typename } to { __typename } } } } } } }`, { u: anchors[1] }, { as: GRAPH });
    expect(r.errors).toBeUndefined();
    const aff = r.data!.enterprise.affiliates;
    expect(aff.totalCount).toBeGreaterThanOrEqual(2);
    const nodes = aff.edges.map((e) => e.node);
    const people = nodes.filter((n) => n.kind === "PERSON" && n.subject);
    expect(people.length).toBeGreaterThanOrEqual(1);
    for (const p of people) expect(p.subject!.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    const hubPerson = nodes.find((n) => n.kind === "PERSON" && n.path[0]?.type === "SENIOR_MANAGER_OF");
    expect(hubPerson?.distance).toBe(1);
    expect(nodes.every((n, i) => i === 0 || n.distance >= nodes[i - 1].distance)).toBe(true);
  });

  it("pages affiliates as a Relay connection: the pages join up to the whole list, and totalCount counts them all", async () => {
    const page = (after?: string) => hub.query<{ enterprise: { affiliates: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ cursor: string; node: { distance: number; riskFlags: string[] } }> } } }>(
      `query($u: ID!, $after: String) { enterprise(uscc: $u) { affiliates(depth: 3, first: 2, after: $after, asOf: "2026-11-01") { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { distance riskFlags } } } } }`,
      { u: anchors[1], after }, { as: GRAPH });
    const all = await hub.query<{ enterprise: { affiliates: { edges: Array<{ cursor: string }> } } }>(
      `query($u: ID!) { enterprise(uscc: $u) { affiliates(depth: 3, first: 100, asOf: "2026-11-01") { edges { cursor } } } }`, { u: anchors[1] }, { as: GRAPH });
    const cursors: string[] = [];
    let after: string | undefined;
    let total = -1;
    for (let i = 0; i < 60; i++) {
      const r = await page(after);
      expect(r.errors).toBeUndefined();
      const c = r.data!.enterprise.affiliates;
      total = c.totalCount;
      expect(c.edges.length).toBeLessThanOrEqual(2);
      cursors.push(...c.edges.map((e) => e.cursor));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor!;
    }
    expect(total).toBeGreaterThan(2);
    expect(cursors).toEqual(all.data!.enterprise.affiliates.edges.map((e) => e.cursor));
    // A cursor shows no id: a person's would be the raw ID number, which this caller sees masked.
    for (const c of cursors) expect(Buffer.from(c, "base64url").toString("utf8")).not.toMatch(/\d{17}[\dX]|[0-9A-Z]{18}/);
    expect(cursors).toHaveLength(total);
    const bad = await page("bm90LWEtY3Vyc29y");
    expect(bad.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("scores related-party risk with its explanation", async () => {
    const r = await hub.query<{ enterprise: { relatedPartyRisk: { score: number; formula: string; contributions: Array<{ flags: string[]; distance: number; contribution: number }> } } }>(
      `query($u: ID!) { enterprise(uscc: $u) { relatedPartyRisk(asOf: "2026-11-01") { score formula contributions { flags distance contribution } } } }`, { u: anchors[0] }, { as: GRAPH });
    expect(r.errors).toBeUndefined();
    const risk = r.data!.enterprise.relatedPartyRisk;
    expect(risk.score).toBeGreaterThan(0);
    expect(risk.score).toBeLessThanOrEqual(1);
    expect(risk.contributions.some((c) => c.flags.includes("SERIOUS_DISHONESTY"))).toBe(true);
    expect(risk.formula).toContain("1 −");
    const expected = 1 - risk.contributions.reduce((p, c) => p * (1 - c.contribution), 1);
    expect(risk.score).toBeCloseTo(expected, 9);
  });

  it("keeps the graph's risk flags equal to the live list entries", async () => {
    // A synced enterprise the demo lists left alone.
    const listed = new Set((await hub.store.prisma.listEntry.findMany({ select: { subjectId: true } })).map((e) => e.subjectId));
    const uscc = anchors.find((a) => !listed.has(a))!;
    const flags = async () => (await hub.graph.getNodes([uscc])).get(uscc)?.riskFlags ?? [];
    const waitFor = async (want: boolean) => {
      for (let i = 0; i < 100 && (await flags()).includes("SERIOUS_DISHONESTY") !== want; i++) await new Promise((r) => setTimeout(r, 100));
    };
    expect(await flags()).not.toContain("SERIOUS_DISHONESTY");
    const writer = { city: "610800", scopes: ["credit:read", "lists:write"] };
    const r = await hub.query<{ recognizeListEntry: { id: string } }>(`mutation($i: RecognizeListEntryInput!) { recognizeListEntry(input: $i) { id } }`,
      { i: { subject: uscc, listType: "SERIOUS_DISHONESTY", field: "税务", authority: "榆林市税务局", severity: "SERIOUS", responsiblePersons: [], basis: { type: "ADMINISTRATIVE_PENALTY", referenceNumber: "REL-1", decidedOn: "2026-06-01" } } }, { as: writer });
    expect(r.errors).toBeUndefined();
    await waitFor(true);
    expect(await flags()).toContain("SERIOUS_DISHONESTY");
    const revoked = await hub.query(`mutation { transitionListEntry(id: "${r.data!.recognizeListEntry.id}", to: REVOKED, reason: "误列") { id } }`, undefined, { as: writer });
    expect(revoked.errors).toBeUndefined();
    await waitFor(false);
    expect(await flags()).not.toContain("SERIOUS_DISHONESTY");
  });

  it("lets affiliates carry their tier: a high-risk enterprise is flagged and counted in its neighbours' related-party risk (F53)", async () => {
    type Aff = { node: { kind: string; riskFlags: string[]; subject: { uscc?: string; supervisionTier?: { tier: string } } | null } };
    const affiliates = async () => (await hub.query<{ enterprise: { affiliates: { edges: Aff[] } } }>(
      `query($u: ID!) { enterprise(uscc: $u) { affiliates(depth: 2) { edges { node { kind riskFlags subject { ... on Enterprise { uscc supervisionTier { tier } } } } } } } }`, { u: anchors[1] }, { as: GRAPH })).data!.enterprise.affiliates.edges;
    const firm = (await affiliates()).find((e) => e.node.kind === "ENTERPRISE" && e.node.subject?.supervisionTier?.tier !== "HIGH_RISK")!.node.subject!.uscc!;
    const rated = await hub.query(`mutation($i: CreditRatingInput!) { recordCreditRating(input: $i) { tier } }`,
      { i: { subject: firm, scale: "610800-PUBLIC", grade: "C", evaluator: "榆林市发展改革委", modelVersion: "M-2026", ratedOn: "2026-11-20", validUntil: "2028-11-19" } },
      { as: { city: "610800", scopes: ["credit:read", "ratings:write"] } });
    expect(rated.errors).toBeUndefined();
    const flags = async () => (await hub.graph.getNodes([firm])).get(firm)?.riskFlags ?? [];
    for (let i = 0; i < 100 && !(await flags()).includes("LOW_RATING"); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await flags()).toContain("LOW_RATING");
    const seen = (await affiliates()).find((e) => e.node.subject?.uscc === firm)!.node;
    expect(seen.riskFlags).toContain("LOW_RATING");
    expect(seen.subject!.supervisionTier).toEqual({ tier: "HIGH_RISK" });
    const risk = await hub.query<{ enterprise: { relatedPartyRisk: { contributions: Array<{ subject: { uscc?: string } | null; flags: string[] }> } } }>(
      `query($u: ID!) { enterprise(uscc: $u) { relatedPartyRisk { contributions { subject { ... on Enterprise { uscc } } flags } } } }`, { u: anchors[1] }, { as: GRAPH });
    expect(risk.data!.enterprise.relatedPartyRisk.contributions.find((c) => c.subject?.uscc === firm)?.flags).toContain("LOW_RATING");
  });

  it("groups enterprises tied by common people into clusters, largest first, filtered by cities like every other list", async () => {
    type Cluster = { id: string; size: number; members: Array<{ __typename: string; registeredCity?: { code: string } } | null> };
    const clusters = (cities?: string[]) => hub.query<{ affiliateClusters: Cluster[] }>(
      `query($c: [ID!]) { affiliateClusters(cities: $c, minSize: 3, asOf: "2026-11-01") { id size members { __typename ... on Enterprise { registeredCity { code } } } } }`, { c: cities }, { as: GRAPH });
    const r = await clusters();
    expect(r.errors).toBeUndefined();
    const sizes = r.data!.affiliateClusters.map((c) => c.size);
    const city = r.data!.affiliateClusters.flatMap((c) => c.members).find((m) => m?.registeredCity)!.registeredCity!.code;
    const inCity = await clusters([city]);
    expect(inCity.errors).toBeUndefined();
    const ids = inCity.data!.affiliateClusters.map((c) => c.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual((await hub.graph.clusters({ cities: [city], minSize: 3, first: 20, asOf: "2026-11-01" })).map((c) => c.id));
    expect(ids.every((id) => r.data!.affiliateClusters.some((c) => c.id === id))).toBe(true);
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
    expect(sizes.every((s) => s >= 3)).toBe(true);
  });

  it("refuses a depth over 4 and needs graph:read", async () => {
    const deep = await hub.query(`{ enterprise(uscc: "${anchors[0]}") { affiliates(depth: 5) { totalCount } } }`, undefined, { as: GRAPH });
    expect(deep.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
    const noScope = await hub.query(`{ enterprise(uscc: "${anchors[0]}") { name affiliates { totalCount } } }`);
    expect(noScope.errors![0].extensions?.code).toBe("FORBIDDEN");
    expect(noScope.errors![0].message).toContain("graph:read");
  });

  it("answers an unknown subject with null, and a down graph with GRAPH_UNAVAILABLE while other fields answer", async () => {
    const unknown = await hub.query<{ relationPath: null }>(`{ relationPath(from: "91110000600037341L", to: "${anchors[0]}") { length } }`, undefined, { as: GRAPH });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data!.relationPath).toBeNull();
    await hub.graph.close();
    const r = await hub.query<{ enterprise: { name: string; relatedPartyRisk: unknown } | null }>(`{ enterprise(uscc: "${anchors[0]}") { name relatedPartyRisk { score } } }`, undefined, { as: GRAPH });
    expect(r.errors![0].extensions?.code).toBe("GRAPH_UNAVAILABLE");
    expect(r.errors![0].path).toEqual(["enterprise", "relatedPartyRisk"]);
  });
});
