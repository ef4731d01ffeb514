/**
 * Ratings through the gateway (F34–F36): every city's demo ratings on its own scale, the
 * supervision tier with the asking city's inspection rule, recording (own city, own scale,
 * grades on the scale), tier changes as events and a subscription, and the lapse sweep.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import WebSocket from "ws";
import { createClient } from "graphql-ws/client";
import { partnerCities } from "../lib/cities.js";
import { today } from "../lib/dates.js";
import { sweepLapsed } from "../subgraphs/ratings/domain/record.js";
import { startTestHub, tokenFor, type TestHub, type TokenClaims } from "./support.js";
import { until } from "./until.js";

const YULIN: TokenClaims = { city: "610800", sub: "yulin-credit", scopes: ["credit:read", "ratings:write"] };
const LANZHOU: TokenClaims = { city: "620100", sub: "lanzhou-analyst", scopes: ["credit:read"] };

const RECORD = `mutation($i: CreditRatingInput!) { recordCreditRating(input: $i) { id grade tier scale { id version } issuingCity { code } } }`;
const rating = (subject: string, scale: string, grade: string, ratedOn = "2026-10-01") =>
  ({ i: { subject, scale, grade, evaluator: "榆林市发展改革委", modelVersion: "M-2026", ratedOn, validUntil: "2028-09-30" } });

describe("ratings and graded supervision", () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub("embedded", 12, 71);
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it("shows each city's demo ratings on that city's own scale, with tiers that vary", async () => {
    for (const city of partnerCities()) {
      const firm = await hub.store.prisma.creditRating.findFirstOrThrow({ where: { issuingCityCode: city.code, scaleId: `${city.code}-PUBLIC`, lapsed: false } });
      const r = await hub.query<{ enterprise: { ratings: Array<{ grade: string; tier: string; issuingCity: { code: string }; scale: { city: { code: string }; grades: Array<{ label: string }> } }>; supervisionTier: { tier: string; rated: boolean } } }>(
        `query($u: ID!) { enterprise(uscc: $u) { ratings { grade tier issuingCity { code } scale { city { code } grades { label } } } supervisionTier { tier rated } } }`, { u: firm.subjectId }, { as: LANZHOU });
      expect(r.errors).toBeUndefined();
      const ratings = r.data!.enterprise.ratings;
      expect(ratings.length).toBeGreaterThan(0);
      for (const x of ratings) {
        expect(x.issuingCity.code).toBe(city.code);
        expect(x.scale.city.code).toBe(city.code);
        expect(x.scale.grades.map((g) => g.label)).toContain(x.grade);
      }
      expect(r.data!.enterprise.supervisionTier.rated).toBe(true);
    }
    const dir = await hub.query<{ supervisionDirectory: { countsByTier: Array<{ tier: string; count: number }> } }>(`{ supervisionDirectory(first: 5) { countsByTier { tier count } } }`, undefined, { as: LANZHOU });
    expect(dir.data!.supervisionDirectory.countsByTier.filter((c) => c.count > 0).map((c) => c.tier).sort()).toEqual(["HIGH_RISK", "LOW_RISK", "NORMAL"]);
  });

  it("records on the city's own scale only, with grades of that scale and the ratings:write scope", async () => {
    const firm = (await hub.store.prisma.enterprise.findFirstOrThrow({ where: { registeredCityCode: "610800" } })).uscc;
    const other = await hub.query(RECORD, rating(firm, "640100-PUBLIC", "信用优良"), { as: YULIN });
    expect(other.errors![0].extensions?.code).toBe("FORBIDDEN");
    expect(other.errors![0].message).toContain("银川市");
    const offScale = await hub.query(RECORD, rating(firm, "610800-PUBLIC", "优秀"), { as: YULIN });
    expect(offScale.errors![0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "grade" } });
    expect(offScale.errors![0].message).toContain("610800-PUBLIC v2");
    const badId = await hub.query(RECORD, rating("91610800MA703Q5X4X", "610800-PUBLIC", "AA"), { as: YULIN });
    expect(badId.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
    const noScope = await hub.query(RECORD, rating(firm, "610800-PUBLIC", "AA"), { as: LANZHOU });
    expect(noScope.errors![0].extensions?.code).toBe("FORBIDDEN");
    expect(await hub.store.prisma.creditRating.count({ where: { subjectId: firm, recordedBy: YULIN.sub } })).toBe(0);
  });

  it("moves the subject's tier, tells subscribers once per change, and lists it in the directory with the asking city's rule", async () => {
    const rated = new Set((await hub.store.prisma.creditRating.findMany({ select: { subjectId: true } })).map((r) => r.subjectId));
    const firm = (await hub.store.prisma.enterprise.findMany({ orderBy: { uscc: "asc" } })).find((e) => !rated.has(e.uscc))!;
    const client = createClient({ url: hub.url.replace("http", "ws"), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0,
      connectionParams: async () => ({ authorization: `Bearer ${await tokenFor(LANZHOU)}` }) });
    const got: Array<{ fromTier: string | null; toTier: string; change: { field: string | null; subject: { uscc: string; name: string }; cause: { grade: string } | null } }> = [];
    const errors: unknown[] = [];
    client.subscribe<{ supervisionTierChanged: (typeof got)[number] }>({ query: `subscription { supervisionTierChanged { fromTier toTier change { field subject { uscc name } cause { grade } } } }` },
      { next: (r) => (r.data ? got.push(r.data.supervisionTierChanged) : errors.push(r.errors)), error: (e) => errors.push(e), complete: () => undefined });
    await hub.untilSubscribers(1);
    // The risk engine judges the demo's own events first (hundreds, each asking other subgraphs):
    // let it catch up, so the wait below is for this change's alert, not for the demo's backlog.
    await hub.settle();
    try {
      const c = await hub.query<{ recordCreditRating: { tier: string; scale: { version: number } } }>(RECORD, rating(firm.uscc, "610800-PUBLIC", "C"), { as: YULIN });
      expect(c.errors).toBeUndefined();
      expect(c.data!.recordCreditRating).toMatchObject({ tier: "HIGH_RISK", scale: { version: 2 } });
      const mine = () => got.filter((g) => g.change.subject.uscc === firm.uscc);
      await until(() => mine().length >= 1, "the first tier change", 30_000);
      expect(mine()[0]).toEqual({ fromTier: "NORMAL", toTier: "HIGH_RISK", change: { field: null, subject: { uscc: firm.uscc, name: firm.name }, cause: { grade: "C" } } });
      // F56: the move to a worse tier raises the tier-downgrade warning, once.
      const alerts = async () => (await hub.query<{ enterprise: { riskAlerts: Array<{ ruleId: string; evidence: string }> } }>(
        `query($u: ID!) { enterprise(uscc: $u) { riskAlerts { ruleId evidence } } }`, { u: firm.uscc }, { as: LANZHOU })).data!.enterprise.riskAlerts.filter((a) => a.ruleId === "TIER_DOWNGRADE");
      await until(async () => (await alerts()).length > 0, "the tier-downgrade alert", 30_000);
      expect(JSON.parse((await alerts())[0].evidence)).toMatchObject({ from: "NORMAL", to: "HIGH_RISK", field: null });

      const tier = await hub.query<{ enterprise: { supervisionTier: { tier: string; inspection: { ratio: number; city: { code: string } } } } }>(
        `query($u: ID!) { enterprise(uscc: $u) { supervisionTier { tier inspection { ratio city { code } } } } }`, { u: firm.uscc }, { as: LANZHOU });
      expect(tier.data!.enterprise.supervisionTier).toEqual({ tier: "HIGH_RISK", inspection: { ratio: 0.35, city: { code: "620100" } } });
      const listed = async (tiers: string[]) => {
        const seen: string[] = [];
        let after: string | null = null;
        do {
          const p: { data?: { supervisionDirectory: { edges: Array<{ node: { subject: { uscc: string } } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null } =
            await hub.query(`query($t: [RiskTier!], $a: String) { supervisionDirectory(tiers: $t, first: 50, after: $a) { edges { node { subject { uscc } } } pageInfo { hasNextPage endCursor } } }`, { t: tiers, a: after }, { as: LANZHOU });
          seen.push(...p.data!.supervisionDirectory.edges.map((e) => e.node.subject.uscc));
          after = p.data!.supervisionDirectory.pageInfo.hasNextPage ? p.data!.supervisionDirectory.pageInfo.endCursor : null;
        } while (after);
        return seen;
      };
      expect(await listed(["HIGH_RISK"])).toContain(firm.uscc);

      // A newer result replaces the earlier one of the same scale; the same tier again is no change.
      expect((await hub.query(RECORD, rating(firm.uscc, "610800-PUBLIC", "AAA", "2026-11-01"), { as: YULIN })).errors).toBeUndefined();
      await until(() => mine().length >= 2, "the second tier change", 30_000);
      expect(mine()[1]).toMatchObject({ fromTier: "HIGH_RISK", toTier: "LOW_RISK", change: { cause: { grade: "AAA" } } });
      expect((await hub.query(RECORD, rating(firm.uscc, "610800-PUBLIC", "AA", "2026-11-02"), { as: YULIN })).errors).toBeUndefined();
      expect(await listed(["HIGH_RISK"])).not.toContain(firm.uscc);
      expect(await listed(["LOW_RISK"])).toContain(firm.uscc);
      await hub.settle();
      expect(mine()).toHaveLength(2);
      // Moving to a better tier raises nothing.
      expect(await alerts()).toHaveLength(1);
      expect(errors).toEqual([]);
    } finally {
      await client.dispose();
    }
  }, 60_000);

  it("derives the tiers again when a rating lapses, once however often the sweep runs", async () => {
    const rated = new Set((await hub.store.prisma.creditRating.findMany({ select: { subjectId: true } })).map((x) => x.subjectId));
    const firm = (await hub.store.prisma.enterprise.findMany({ orderBy: { uscc: "desc" } })).find((e) => !rated.has(e.uscc))!.uscc;
    const r = await hub.query<{ recordCreditRating: { id: string } }>(RECORD, rating(firm, "610800-SAFETY", "失信"), { as: YULIN });
    expect(r.errors).toBeUndefined();
    const ask = async () => (await hub.query<{ enterprise: { supervisionTier: { tier: string } } }>(`query($u: ID!) { enterprise(uscc: $u) { supervisionTier(field: "安全生产") { tier } } }`, { u: firm }, { as: YULIN })).data!.enterprise.supervisionTier.tier;
    expect(await ask()).toBe("HIGH_RISK");
    // Only the field moved: an unrated subject's general tier (NORMAL by rule) made no change.
    expect((await hub.store.jobs.supervisionTierChange.findMany({ where: { subjectId: firm } })).map((c) => [c.field, c.fromTier, c.toTier])).toEqual([["安全生产", "NORMAL", "HIGH_RISK"]]);
    // Time passes: the rating's validity ends yesterday.
    const yesterday = new Date(Date.parse(today()) - 86_400_000);
    await hub.store.jobs.creditRating.update({ where: { id: Number(r.data!.recordCreditRating.id) }, data: { validUntil: yesterday } });
    const before = await hub.store.jobs.supervisionTierChange.count({ where: { subjectId: firm } });
    // The hub's own sweep may get there first: either way the lapse makes one change, not more.
    await sweepLapsed(hub.store.jobs, today());
    expect(await sweepLapsed(hub.store.jobs, today())).toBe(0);
    expect(await hub.store.jobs.supervisionTierChange.count({ where: { subjectId: firm } })).toBe(before + 1);
    expect(await ask()).toBe("NORMAL");
    const unknown = await hub.query(`query($u: ID!) { enterprise(uscc: $u) { supervisionTier(field: "餐饮") { tier } } }`, { u: firm }, { as: YULIN });
    expect(unknown.errors![0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "field" } });
    expect(unknown.errors![0].message).toContain("安全生产");
  });
});
