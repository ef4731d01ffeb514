/**
 * The dashboard (web/, served at /dashboard) in headless Chromium against a real hub on the
 * embedded store with demo data: sign in, search a demo subject and open it, its affiliate
 * graph with a highlighted risk path, a list transition made through the gateway arriving in
 * the live feed once, also across a dropped connection, and the region overview. Screenshots
 * go to test-output/dashboard/ (ignored by git).
 */
import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { mkdirSync } from "node:fs";
import type { Page, WebSocketRoute } from "playwright-core";
import { startTestHub, tokenFor, type TestHub, type TokenClaims } from "./support.js";
import { launchChromium, requireChromium, type Browser } from "./browser.js";
import { until } from "./until.js";
import { generateEnterprises } from "../prisma/seed/generator.js";

requireChromium();

const SEED = 41;
const SHOTS = "test-output/dashboard";
const ANALYST: TokenClaims = { city: "610800", sub: "yulin-analyst", scopes: ["credit:read", "graph:read"] };
const WRITER: TokenClaims = { city: "610800", sub: "yulin-lists", scopes: ["credit:read", "lists:write"] };
/** The demo's first enterprise: a supply chain ties it to a seriously dishonest firm (prisma/seed/graph.ts). */
const SUBJECT = [...generateEnterprises({ seed: SEED, enterprises: 1 })][0].enterprise;

/** A WebSocket of the page, passed through the test so it can be cut and its frames read. */
interface Tap { page: WebSocketRoute; server: WebSocketRoute; sent: Array<{ id?: string; type: string; payload?: { variables?: Record<string, unknown> } }>; received: string[] }

/** Pixels of the risk-path colour (#ff3b30) on the graph's canvases. */
const riskPixels = (page: Page) => page.evaluate(() => {
  let n = 0;
  for (const c of document.querySelectorAll<HTMLCanvasElement>("[data-testid=graph] canvas")) {
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 235 && Math.abs(d[i + 1] - 59) < 30 && Math.abs(d[i + 2] - 48) < 30 && d[i + 3] > 200) n++;
  }
  return n;
});

describe("the dashboard in Chromium", () => {
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  let base: string;
  const taps: Tap[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [hub, browser] = await Promise.all([startTestHub("embedded", 8, SEED), launchChromium()]);
    base = hub.url.replace(/\/graphql$/, "");
    for (let i = 0; i < 200 && (await hub.graph.counts()).nodes < 48; i++) await new Promise((r) => setTimeout(r, 100));
    // Every WebSocket of the page goes through the test, which passes frames on and keeps a copy.
    await browser.context.routeWebSocket(/\/graphql$/, (ws) => {
      const tap: Tap = { page: ws, server: ws.connectToServer(), sent: [], received: [] };
      ws.onMessage((m) => { tap.sent.push(JSON.parse(String(m))); tap.server.send(m); });
      tap.server.onMessage((m) => { tap.received.push(String(m)); ws.send(m); });
      taps.push(tap);
    });
    page = await browser.context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it("signs in with a token from the URL fragment, shows its city and scopes, and keeps it out of the URL and storage", async () => {
    const token = await tokenFor(ANALYST);
    await page.goto(`${base}/dashboard#token=${token}`);
    await expect(page.getByTestId("who-city").textContent()).resolves.toBe("榆林市（610800）");
    expect(await page.getByTestId("who-scopes").textContent()).toBe("信用记录查询关联图谱");
    expect(page.url()).toBe(`${base}/dashboard/#/search`);
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie])).toEqual([0, 0, ""]);
    await page.screenshot({ path: `${SHOTS}/01-search.png` });
  });

  it("finds a demo subject by part of its name, opens it, and shows a person's ID number masked as the API returns it", async () => {
    await page.getByLabel("查询内容").fill(SUBJECT.name.slice(3, 7));
    await page.getByRole("button", { name: "查询" }).click();
    await page.getByTestId("search-results").getByText(SUBJECT.name).click();
    await page.getByTestId("subject-basics").getByText(SUBJECT.uscc).waitFor();
    expect(await page.getByTestId("subject-basics").textContent()).toContain(SUBJECT.legalRepresentativeName);
    await page.getByTestId("risk-score").waitFor();
    await page.getByRole("button", { name: "加入关注名单" }).click();
    await page.getByText("已加入「我的关注名单」").waitFor();
    // Its ratings and tier, on the issuing city's own scale, as the API gives them.
    const rated = await hub.query<{ enterprise: { ratings: Array<{ grade: string; scale: { title: string } }>; supervisionTier: { tier: string } } }>(
      `query($u: ID!) { enterprise(uscc: $u) { ratings { grade scale { title } } supervisionTier { tier } } }`, { u: SUBJECT.uscc }, { as: ANALYST });
    expect(rated.data!.enterprise.ratings.length).toBeGreaterThan(0);
    const ratings = page.locator('[data-section="ratings"]');
    await ratings.getByText(rated.data!.enterprise.ratings[0].scale.title).first().waitFor();
    expect(await ratings.textContent()).toContain({ LOW_RISK: "低风险", NORMAL: "一般风险", HIGH_RISK: "高风险" }[rated.data!.enterprise.supervisionTier.tier]);
    await page.screenshot({ path: `${SHOTS}/02-subject.png`, fullPage: true });

    const api = await hub.query<{ individual: { idNumber: string; name: string } }>(`query($id: ID!) { individual(idNumber: $id, purpose: "看板测试：核对脱敏") { idNumber name } }`, { id: SUBJECT.legalRepresentativeId }, { as: ANALYST });
    expect(api.data!.individual.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    await page.goto(`${base}/dashboard/#/search`);
    await page.getByLabel("查询方式").selectOption("id");
    await page.getByLabel("查询内容").fill(SUBJECT.legalRepresentativeId!);
    await page.getByLabel("查询目的").fill("看板测试：核对脱敏");
    await page.getByRole("button", { name: "查询" }).click();
    await expect(page.getByTestId("id-number").textContent()).resolves.toBe(api.data!.individual.idNumber);
  });

  it("draws the subject's affiliate graph: every affiliate a node, the risk path in red", async () => {
    const api = await hub.query<{ enterprise: { affiliates: { totalCount: number }; relatedPartyRisk: { contributions: unknown[] } } }>(
      `query($u: ID!) { enterprise(uscc: $u) { affiliates(depth: 2) { totalCount } relatedPartyRisk { contributions { distance } } } }`, { u: SUBJECT.uscc }, { as: ANALYST });
    const { totalCount } = api.data!.enterprise.affiliates;
    expect(api.data!.enterprise.relatedPartyRisk.contributions.length).toBeGreaterThan(0);
    await page.goto(`${base}/dashboard/#/graph/${SUBJECT.uscc}`);
    const graph = page.getByTestId("graph");
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>("[data-testid=graph]")?.dataset.nodes) > 0);
    const nodes = Number(await graph.getAttribute("data-nodes"));
    // The subject, its affiliates, and the risk paths' subjects beyond two hops.
    expect(nodes).toBeGreaterThanOrEqual(totalCount + 1);
    expect(await page.getByTestId("graph-counts").textContent()).toContain(`节点 ${nodes}`);
    expect(Number(await graph.getAttribute("data-risk-edges"))).toBeGreaterThan(0);
    // Cytoscape paints on the next animation frames.
    let red = 0;
    await until(async () => (red = await riskPixels(page)) > 100, "the risk path drawn in red");
    await page.screenshot({ path: `${SHOTS}/03-graph.png` });
    // The red comes from the highlight: switched off, it is gone.
    await page.getByLabel("高亮风险路径").uncheck();
    await until(async () => (await riskPixels(page)) < red / 20, "the red gone with the highlight switched off");
    await page.getByLabel("高亮风险路径").check();
    // Without supply-chain ties, the firms the subject reaches only through them leave the drawing.
    await page.getByLabel("供应链上下游").uncheck();
    await page.waitForFunction((n) => Number(document.querySelector<HTMLElement>("[data-testid=graph]")?.dataset.nodes) < n, nodes);
    expect(await page.getByLabel("供应链上下游").isChecked()).toBe(false);
    expect(await page.getByLabel("股东").isChecked()).toBe(true);
  });

  it("shows a list transition made through the gateway in the live feed once, also after the connection drops", async () => {
    const listed = await hub.query<{ listEntries: { edges: Array<{ node: { id: string; state: string; subject: { __typename: string }; linkedEntry: { id: string } | null } }> } }>(
      `{ listEntries(filter: { cities: ["610800"] }, first: 100) { edges { node { id state subject { __typename } linkedEntry { id } } } } }`, {}, { as: ANALYST });
    const all = listed.data!.listEntries.edges.map((e) => e.node);
    const entry = all.find((n) => n.state === "PUBLISHED" && n.subject.__typename === "Enterprise" && !n.linkedEntry)!.id;
    // A move of the entry moves the entries extended from it to its responsible persons too, each its own event.
    const perMove = 1 + all.filter((n) => n.linkedEntry?.id === entry).length;
    const move = async (to: string) => {
      const r = await hub.query(`mutation($id: ID!, $to: ListEntryState!) { transitionListEntry(id: $id, to: $to, reason: "看板测试") { id } }`, { id: entry, to }, { as: WRITER });
      expect(r.errors).toBeUndefined();
    };
    const items = page.locator(`[data-testid=feed-events] li[data-entry-id="${entry}"]`);

    await page.goto(`${base}/dashboard/#/live`);
    await page.locator("[data-testid=feed-status][data-state=live]").waitFor();
    await hub.untilSubscribers(2); // list changes and the watchlist's alerts
    await move("RECTIFYING");
    const feed = page.locator("[data-testid=feed-events] li");
    await page.locator(`[data-testid=feed-events] li >> nth=${perMove - 1}`).waitFor();
    expect(await items.count()).toBe(1);
    const eventId = await items.getAttribute("data-event-id");
    // Newest first: where the feed will resume from.
    const sequence = await feed.first().getAttribute("data-sequence");

    // The connection drops (as a proxy or the network would cut it); the page subscribes again by itself.
    const first = taps[taps.length - 1];
    await first.page.close({ code: 1012, reason: "test cuts the connection" });
    await first.server.close();
    await page.locator("[data-testid=feed-status][data-state=live]", { hasText: `自序号 ${sequence} 续传` }).waitFor();
    await hub.untilSubscribers(2);
    const second = taps[taps.length - 1];
    expect(second).not.toBe(first);
    const resubscribe = second.sent.find((m) => m.type === "subscribe" && String(m.payload?.variables?.after) === sequence);
    expect(resubscribe).toBeDefined();

    // The same event delivered again (as a replay around a reconnect may) is dropped.
    const copy = first.received.map((m) => JSON.parse(m)).find((m) => m.type === "next" && m.payload?.data?.listEntryChanged?.id === eventId);
    second.page.send(JSON.stringify({ ...copy, id: resubscribe!.id }));
    await page.locator("[data-testid=feed-dropped]", { hasText: "1" }).waitFor();
    expect(await items.count()).toBe(1);

    // And the feed goes on live.
    await move("PUBLISHED");
    await page.locator(`[data-testid=feed-events] li[data-entry-id="${entry}"] >> nth=1`).waitFor();
    const ids = await items.evaluateAll((els) => els.map((e) => e.getAttribute("data-event-id")));
    expect(new Set(ids).size).toBe(2);
    expect(ids).toContain(eventId);
    await page.screenshot({ path: `${SHOTS}/04-live.png` });
  });

  it("shows the region overview: counts per city and list type, and entries over time, as charts", async () => {
    const api = await hub.query<{ listStatistics: { total: number; byCityAndType: Array<{ count: number }> } }>(`{ listStatistics { total byCityAndType { count } } }`, {}, { as: ANALYST });
    const { total, byCityAndType } = api.data!.listStatistics;
    expect(byCityAndType.reduce((n, r) => n + r.count, 0)).toBe(total);
    await page.goto(`${base}/dashboard/#/overview`);
    await expect(page.getByTestId("overview-total").textContent()).resolves.toBe(String(total));
    for (const chart of ["chart-city", "chart-month", "chart-state"]) await page.locator(`[data-testid=${chart}][data-drawn=true] canvas`).waitFor();
    const painted = await page.evaluate(() => [...document.querySelectorAll<HTMLCanvasElement>("[data-testid^=chart-] canvas")].map((c) => {
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    }));
    expect(painted).toHaveLength(3);
    for (const n of painted) expect(n).toBeGreaterThan(1000);
    await page.screenshot({ path: `${SHOTS}/05-overview.png`, fullPage: true });
  });
});
