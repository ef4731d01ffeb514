/**
 * Portraits through the gateway (F55): one federated query gathers a subject's records, lists,
 * ratings and tier, commitments and related-party risk, each part as the owning subgraph's data
 * says, at a constant number of statements however many subjects are asked.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { today } from "../lib/dates.js";
import { startTestHub, type TestHub, type TokenClaims } from "./support.js";

const ANALYST: TokenClaims = { city: "640100", sub: "yinchuan-analyst", scopes: ["credit:read", "graph:read"] };
const PORTRAIT = `portrait { records { kind city { code } count } penaltyTrend { month count } activeListings { id } bans { id } openObjections openRepairs
  listingTrend { month count } latestRatings { id scale { id } } tier commitmentsByState { state count } fulfilmentRate relatedPartyRisk }`;

interface Portrait {
  records: Array<{ kind: string; city: { code: string }; count: number }>;
  penaltyTrend: Array<{ month: string; count: number }>;
  activeListings: Array<{ id: string }>;
  bans: Array<{ id: string }>;
  openObjections: number;
  openRepairs: number;
  listingTrend: Array<{ month: string; count: number }>;
  latestRatings: Array<{ id: string; scale: { id: string } }>;
  tier: string | null;
  commitmentsByState: Array<{ state: string; count: number }>;
  fulfilmentRate: number | null;
  relatedPartyRisk: number | null;
}

describe("portraits", () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub("embedded", 24, 71);
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it("gathers an enterprise's file from every subgraph in one query, each part as its data says", async () => {
    const db = hub.store.prisma;
    // A firm with records in each part: list entries, ratings and commitments.
    const rated = new Set((await db.creditRating.findMany({ select: { subjectId: true } })).map((r) => r.subjectId));
    const committed = new Set((await db.creditCommitment.findMany({ select: { subjectId: true } })).map((c) => c.subjectId));
    const listed = await db.listEntry.findMany({ where: { subjectKind: "ENTERPRISE" }, select: { subjectId: true } });
    const firm = listed.map((l) => l.subjectId).find((s) => rated.has(s) && committed.has(s)) ?? listed[0].subjectId;
    const r = await hub.query<{ enterprise: { portrait: Portrait } }>(`query($u: ID!) { enterprise(uscc: $u) { ${PORTRAIT} } }`, { u: firm }, { as: ANALYST });
    expect(r.errors).toBeUndefined();
    const p = r.data!.enterprise.portrait;

    const [licenses, penalties] = await Promise.all([db.administrativeLicense.findMany({ where: { uscc: firm } }), db.administrativePenalty.findMany({ where: { uscc: firm } })]);
    const total = (kind: string) => p.records.filter((x) => x.kind === kind).reduce((n, x) => n + x.count, 0);
    expect([total("LICENSE"), total("PENALTY")]).toEqual([licenses.length, penalties.length]);
    expect(p.penaltyTrend).toHaveLength(12);
    expect(p.penaltyTrend.at(-1)!.month).toBe(today().slice(0, 7));

    const entries = await db.listEntry.findMany({ where: { subjectId: firm } });
    const live = entries.filter((e) => ["RECOGNISED", "PUBLISHED", "UNDER_OBJECTION", "RECTIFYING"].includes(e.state) && e.listType !== "MARKET_BAN");
    expect(p.activeListings.map((e) => e.id).sort()).toEqual(live.map((e) => String(e.id)).sort());
    const months = new Set(p.listingTrend.map((m) => m.month));
    expect(p.listingTrend.reduce((n, m) => n + m.count, 0)).toBe(entries.filter((e) => months.has(e.recognisedAt.toISOString().slice(0, 7))).length);

    const scales = new Set((await db.creditRating.findMany({ where: { subjectId: firm, ratedOn: { lte: new Date() }, validUntil: { gte: new Date(today()) } } })).map((x) => x.scaleId));
    expect(p.latestRatings.map((x) => x.scale.id).sort()).toEqual([...scales].sort());
    expect(p.tier).toBe((await db.supervisionTier.findUnique({ where: { subjectId_field: { subjectId: firm, field: "" } } }))?.tier ?? "NORMAL");

    const commitments = await db.creditCommitment.groupBy({ by: ["state"], where: { subjectId: firm }, _count: { _all: true } });
    expect(p.commitmentsByState.map((c) => [c.state, c.count]).sort()).toEqual(commitments.map((c) => [c.state, c._count._all]).sort());
    expect(p.relatedPartyRisk).toBeGreaterThanOrEqual(0);
    expect(p.relatedPartyRisk).toBeLessThanOrEqual(1);
  });

  it("costs the same statements for 24 subjects as for 4", async () => {
    const statements = async (first: number) => {
      await hub.settle();
      const before = hub.store.statements.count;
      const r = await hub.query<{ enterprises: { edges: unknown[] } }>(`query($n: Int) { enterprises(first: $n) { edges { node { uscc ${PORTRAIT} } } } }`, { n: first }, { as: ANALYST });
      expect(r.errors).toBeUndefined();
      expect(r.data!.enterprises.edges).toHaveLength(first);
      return hub.store.statements.count - before;
    };
    const few = await statements(4);
    expect(await statements(24)).toBe(few);
  });

  it("shows a person's portrait through the firm they represent, their own parts only, masked as usual", async () => {
    const linked = await hub.store.prisma.listEntry.findFirstOrThrow({ where: { subjectKind: "INDIVIDUAL", linkedEntryId: { not: null }, state: "PUBLISHED" } });
    const firm = (await hub.store.prisma.listEntry.findUniqueOrThrow({ where: { id: linked.linkedEntryId! } })).subjectId;
    const r = await hub.query<{ enterprise: { legalRepresentative: { idNumber: string; portrait: Pick<Portrait, "activeListings" | "tier" | "records" | "relatedPartyRisk"> } | null } }>(
      `query($u: ID!) { enterprise(uscc: $u) { legalRepresentative { idNumber portrait { activeListings { id } tier records { count } relatedPartyRisk } } } }`, { u: firm }, { as: ANALYST });
    expect(r.errors).toBeUndefined();
    const person = r.data!.enterprise.legalRepresentative!;
    expect(person.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(person.portrait.activeListings.map((e) => e.id)).toContain(String(linked.id));
    expect(person.portrait).toMatchObject({ tier: null, records: [], relatedPartyRisk: null });
  });
});
