import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import WebSocket from "ws";
import { createClient } from "graphql-ws/client";
import { startTestHub, tokenFor, type TestHub, type TokenClaims } from "./support.js";
import { demoGraph } from "../prisma/seed/graph.js";
import { generateEnterprises } from "../prisma/seed/generator.js";

const SEED = 43;
const ANALYST: TokenClaims = { city: "610800", sub: "yulin-analyst", scopes: ["credit:read"] };
const YULIN: TokenClaims = { city: "610800", sub: "yulin-credit", scopes: ["credit:read", "lists:write"] };
const YINCHUAN: TokenClaims = { city: "640100", sub: "yinchuan-credit", scopes: ["credit:read", "lists:write"] };

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("risk warning and watchlists", () => {
  let hub: TestHub;
  let n = 0;
  const anchors = [...generateEnterprises({ seed: SEED, enterprises: 48 })].map((g) => g.enterprise.uscc);
  const roles = demoGraph(SEED, { anchors }).roles;
  const recognize = (uscc: string, as: TokenClaims) => hub.query<{ recognizeListEntry: { id: string } }>(
    `mutation($i: RecognizeListEntryInput!) { recognizeListEntry(input: $i) { id } }`,
    { i: { subject: uscc, listType: "SERIOUS_DISHONESTY", field: "税务", authority: "税务局", severity: "SERIOUS", responsiblePersons: [], basis: { type: "ADMINISTRATIVE_PENALTY", referenceNumber: `MON-${++n}`, decidedOn: "2026-06-01" } } }, { as });

  beforeAll(async () => {
    hub = await startTestHub("embedded", 8, SEED);
    for (let i = 0; i < 200 && (await hub.graph.counts()).nodes < 48; i++) await new Promise((r) => setTimeout(r, 100));
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it("judges the demo's own listings on a fresh start, every one of them", async () => {
    // The demo writes its entries (and their outbox events) before any subgraph runs; the hub
    // starts the risk engine's subscription before any relay publishes, so none is missed.
    const blacklist = new Set(["SERIOUS_DISHONESTY", "INDUSTRY_BLACKLIST", "MARKET_BAN", "JUDGMENT_DEFAULTER"]);
    const demo = (await hub.store.jobs.listOutbox.findMany({ where: { type: "ListEntryChanged" }, orderBy: { id: "asc" } }))
      .filter((o) => { const p = o.payload as { to?: string; subjectKind?: string; listType?: string }; return p.to === "RECOGNISED" && p.subjectKind === "ENTERPRISE" && blacklist.has(p.listType ?? ""); });
    expect(demo.length).toBeGreaterThan(0);
    const judged = async () => new Set((await hub.store.jobs.riskAlert.findMany({ where: { ruleId: "NEW_BLACKLIST_ENTRY" }, select: { sourceEventId: true } })).map((a) => a.sourceEventId));
    const end = Date.now() + 60_000;
    let missing = demo.map((o) => o.eventId);
    while (missing.length && Date.now() < end) {
      const have = await judged();
      missing = missing.filter((id) => !have.has(id));
      if (missing.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(missing).toEqual([]);
  }, 90_000);

  it("pushes a new-listing alert to a watchlist's subscriber, with the enterprise's fields", async () => {
    const listed = new Set((await hub.store.prisma.listEntry.findMany({ select: { subjectId: true } })).map((e) => e.subjectId));
    const target = (await hub.store.prisma.enterprise.findMany({ orderBy: { uscc: "asc" } })).find((e) => !listed.has(e.uscc))!;
    const w = await hub.query<{ createWatchlist: { id: string; enterprises: Array<{ uscc: string; name: string }> } }>(
      `mutation($e: [ID!]!) { createWatchlist(name: "重点供应商", enterprises: $e) { id enterprises { uscc name } } }`, { e: [target.uscc] }, { as: ANALYST });
    expect(w.errors).toBeUndefined();
    expect(w.data!.createWatchlist.enterprises).toEqual([{ uscc: target.uscc, name: target.name }]);
    const watchlist = w.data!.createWatchlist.id;

    const client = createClient({ url: hub.url.replace("http", "ws"), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0,
      connectionParams: async () => ({ authorization: `Bearer ${await tokenFor(ANALYST)}` }) });
    const got: Array<{ ruleId: string; alert: { message: string; severity: string; subject: { uscc: string; name: string } } }> = [];
    const errors: unknown[] = [];
    client.subscribe<{ riskAlert: (typeof got)[number] }>({ query: `subscription($w: ID) { riskAlert(watchlist: $w) { ruleId alert { message severity subject { uscc name } } } }`, variables: { w: watchlist } },
      { next: (r) => (r.data ? got.push(r.data.riskAlert) : errors.push(r.errors)), error: (e) => errors.push(e), complete: () => undefined });
    await hub.untilSubscribers(1);

    expect((await recognize(target.uscc, YULIN)).errors).toBeUndefined();
    await until(() => (got.some((a) => a.ruleId === "NEW_BLACKLIST_ENTRY") ? true : undefined));
    const alert = got.find((a) => a.ruleId === "NEW_BLACKLIST_ENTRY")!;
    expect(alert.alert).toMatchObject({ severity: "HIGH", subject: { uscc: target.uscc, name: target.name } });

    // Listed in a second member city: a cross-city alert.
    expect((await recognize(target.uscc, YINCHUAN)).errors).toBeUndefined();
    await until(() => (got.some((a) => a.ruleId === "CROSS_CITY_LISTING") ? true : undefined));
    expect(errors).toEqual([]);
    await client.dispose();

    const page = await hub.query<{ riskAlerts: { edges: Array<{ node: { ruleId: string; evidence: string } }> } }>(
      `query($w: ID) { riskAlerts(watchlist: $w, first: 10) { edges { node { ruleId evidence } } } }`, { w: watchlist }, { as: ANALYST });
    const rules = page.data!.riskAlerts.edges.map((e) => e.node.ruleId);
    expect(rules).toEqual(expect.arrayContaining(["NEW_BLACKLIST_ENTRY", "CROSS_CITY_LISTING"]));
    const cross = page.data!.riskAlerts.edges.find((e) => e.node.ruleId === "CROSS_CITY_LISTING")!;
    expect(JSON.parse(cross.node.evidence).cities).toEqual(["610800", "640100"]);
  });

  it("warns the affiliates of a listed enterprise through the graph", async () => {
    expect((await recognize(anchors[1], YULIN)).errors).toBeUndefined();
    const alerts = await until(async () => {
      const rows = await hub.store.prisma.riskAlert.findMany({ where: { ruleId: "RELATED_PARTY_LISTED" } });
      return rows.some((r) => roles.hub.companies.includes(r.subjectId)) ? rows : undefined;
    });
    const one = alerts.find((r) => roles.hub.companies.includes(r.subjectId))!;
    expect(one.evidence).toMatchObject({ listedParty: anchors[1] });
  });

  it("keeps watchlists private to their owner", async () => {
    const w = await hub.query<{ createWatchlist: { id: string } }>(`mutation { createWatchlist(name: "mine", enterprises: ["${anchors[2]}"]) { id } }`, undefined, { as: ANALYST });
    const other = await hub.query(`{ watchlist(id: "${w.data!.createWatchlist.id}") { name } }`, undefined, { as: { city: "620100", sub: "lanzhou-analyst" } });
    expect(other.errors![0].extensions?.code).toBe("NOT_FOUND");
    const bad = await hub.query(`mutation { createWatchlist(name: "x", enterprises: ["91110000600037341N"]) { id } }`, undefined, { as: ANALYST });
    expect(bad.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("raises each alert once however often its event is delivered", async () => {
    const { raise, evaluate } = await import("../subgraphs/monitoring/domain/engine.js");
    const { loadRiskRules } = await import("../subgraphs/monitoring/rules/index.js");
    const uscc = anchors[3];
    const event = { id: "11111111-2222-4333-8444-555555555555", sequence: "1", stream: "lists", type: "ListEntryChanged", entityId: "1", city: "610800", occurredAt: new Date().toISOString(),
      payload: { id: 1, from: null, to: "RECOGNISED", subject: uscc, subjectKind: "ENTERPRISE", listType: "MARKET_BAN" } };
    const dir = { enterprise: async () => ({ cityCode: "610800", industryCode: "B0610", penaltyDates: [] }), listedCities: async () => [], affiliatedEnterprises: async () => [] };
    const alerts = await evaluate(loadRiskRules(), event, dir);
    expect(alerts.map((a) => a.rule.id)).toEqual(["NEW_BLACKLIST_ENTRY"]);
    expect(await raise(hub.store.prisma, alerts, event.id)).toBe(1);
    expect(await raise(hub.store.prisma, alerts, event.id)).toBe(0);
  });
});
