/**
 * Joint reward and punishment through the gateway (F24–F31): the cities' catalogues, creditCheck
 * on black-listed, red-listed, banned-elsewhere and related-party subjects, its registration,
 * commitments and the 容缺 breach sweep, joint cases step by step, and the demo data.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { Kind, parse, type EnumTypeDefinitionNode } from "graphql";
import WebSocket from "ws";
import { createClient } from "graphql-ws/client";
import { partnerCities } from "../lib/cities.js";
import { today } from "../lib/dates.js";
import { sweepBreaches } from "../subgraphs/measures/domain/commitments.js";
import { LIST_TYPES } from "../subgraphs/measures/catalogues/index.js";
import { startTestHub, tokenFor, type TestHub, type TokenClaims } from "./support.js";
import { until } from "./until.js";

const YULIN: TokenClaims = { city: "610800", sub: "yulin-credit", scopes: ["credit:read", "measures:write", "lists:write"] };
const LANZHOU: TokenClaims = { city: "620100", sub: "lanzhou-market", scopes: ["credit:read", "lists:write", "measures:write"] };
const YINCHUAN: TokenClaims = { city: "640100", sub: "yinchuan-trading-centre", scopes: ["credit:read"] };
const YINCHUAN_GRAPH: TokenClaims = { ...YINCHUAN, scopes: ["credit:read", "graph:read"] };

const CHECK = `query($s: ID!, $m: String!, $r: Boolean) { creditCheck(subject: $s, matter: $m, purpose: "公共资源交易投标人资格审查", includeRelated: $r) {
  restricted matter { code name } measures { measure { code kind name basis } catalogueCity { code } catalogueVersion issuingCity { code } expiresOn
    trigger { kind id basis since listEntry { id listType state } rating { id grade } commitment { id state } }
    via { role party { ... on Individual { idNumber } ... on Enterprise { uscc } } path { relation from { ... on Individual { idNumber } ... on Enterprise { uscc } } to { ... on Enterprise { uscc } } } } } } }`;

interface Applied {
  measure: { code: string; kind: string; basis: string };
  catalogueCity: { code: string };
  catalogueVersion: number;
  issuingCity: { code: string };
  expiresOn: string | null;
  trigger: { kind: string; id: string; basis: string; listEntry: { id: string; listType: string; state: string } | null; rating: { grade: string } | null; commitment: { id: string; state: string } | null };
  via: { role: string; party: { idNumber?: string }; path: Array<{ relation: string; from: { idNumber?: string }; to: { uscc: string } }> } | null;
}
type Check = { creditCheck: { restricted: boolean; measures: Applied[] } };

const daysFrom = (n: number) => new Date(Date.parse(today()) + n * 86_400_000).toISOString().slice(0, 10);
const basis = (n: string) => ({ type: "ADMINISTRATIVE_PENALTY", referenceNumber: n, decidedOn: daysFrom(-20) });

describe("joint reward and punishment", () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub("embedded", 24, 71);
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  const check = (s: string, m: string, as: TokenClaims = YINCHUAN, related = false) => hub.query<Check>(CHECK, { s, m, r: related }, { as });
  /** Enterprises with no list entry, rating, commitment or graph neighbour but their own legal representative. */
  const plainFirms = async (city: string) => {
    const busy = new Set([
      ...(await hub.store.prisma.listEntry.findMany({ select: { subjectId: true } })).map((x) => x.subjectId),
      ...(await hub.store.prisma.creditRating.findMany({ select: { subjectId: true } })).map((x) => x.subjectId),
      ...(await hub.store.prisma.creditCommitment.findMany({ select: { subjectId: true } })).map((x) => x.subjectId),
    ]);
    return (await hub.store.prisma.enterprise.findMany({ where: { registeredCityCode: city }, orderBy: { uscc: "desc" } }))
      .filter((e) => !busy.has(e.uscc) && e.legalRepresentativeId && !busy.has(e.legalRepresentativeId));
  };

  it("serves every city's catalogue as data, versioned, with the national measures each includes", async () => {
    const r = await hub.query<{ measureCatalogues: Array<{ city: { code: string }; version: number; objectLists: string[]; measures: Array<{ code: string; national: boolean; matters: Array<{ code: string }> }> }> }>(
      `query($d: Date) { measureCatalogues(inForceOn: $d) { city { code } version objectLists measures { code national matters { code } } } }`, { d: today() }, { as: YINCHUAN });
    expect(r.errors).toBeUndefined();
    const cats = r.data!.measureCatalogues;
    expect(cats.map((c) => c.city.code).sort()).toEqual(partnerCities().map((c) => c.code).sort());
    for (const c of cats) expect(c.measures.filter((m) => m.national).map((m) => m.code)).toContain("N-P-TENDER");
    // Each city's own measures differ.
    const own = cats.map((c) => c.measures.filter((m) => !m.national).map((m) => m.code).join(","));
    expect(new Set(own).size).toBe(cats.length);
    const yulin = await hub.query<{ measureCatalogues: Array<{ version: number; validTo: string | null }> }>(`{ measureCatalogues(cities: ["610800"]) { version validTo } }`, undefined, { as: YINCHUAN });
    expect(yulin.data!.measureCatalogues).toEqual([{ version: 2, validTo: "2026-07-01" }, { version: 3, validTo: null }]);
    // The catalogues' list types are the lists subgraph's own.
    const lists = parse(readFileSync(new URL("../subgraphs/lists/schema.graphql", import.meta.url), "utf8"));
    const listType = lists.definitions.find((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === "ListType") as EnumTypeDefinitionNode;
    expect(listType.values!.map((v) => v.name.value).sort()).toEqual([...LIST_TYPES].sort());
  });

  it("gives a black-listed firm tendering the tendering restriction, with basis, issuing city, catalogue version and expiry; registered with the purpose", async () => {
    const entry = await hub.store.prisma.listEntry.findFirstOrThrow({ where: { listType: "SERIOUS_DISHONESTY", state: "PUBLISHED", subjectKind: "ENTERPRISE" }, orderBy: { id: "asc" } });
    const r = await check(entry.subjectId, "tendering");
    expect(r.errors).toBeUndefined();
    expect(r.data!.creditCheck.restricted).toBe(true);
    const tender = r.data!.creditCheck.measures.find((m) => m.measure.code === "N-P-TENDER" && m.trigger.id === String(entry.id))!;
    expect(tender).toBeDefined();
    const version = { "610800": 3, "610600": 1, "620100": 4, "620800": 1, "640100": 3, "150100": 2 }[entry.issuingCityCode];
    expect(tender).toMatchObject({
      measure: { kind: "PUNITIVE" }, issuingCity: { code: entry.issuingCityCode }, catalogueCity: { code: entry.issuingCityCode }, catalogueVersion: version,
      expiresOn: entry.publicityUntil!.toISOString().slice(0, 10),
      trigger: { kind: "LIST_ENTRY", listEntry: { id: String(entry.id), listType: "SERIOUS_DISHONESTY", state: "PUBLISHED" } },
    });
    expect(tender.measure.basis).toContain("招标投标法实施条例");
    expect(tender.trigger.basis).toContain(entry.basisNumber);
    // Measures of other matters do not come back.
    expect(r.data!.creditCheck.measures.map((m) => m.measure.code)).not.toContain("N-P-PROCURE");
    // Every matter at once: the enterprise's measures in force (what a report shows).
    const all = await hub.query<{ enterprise: { measuresInForce: Array<{ measure: { code: string }; trigger: { id: string } }> } }>(
      `query($u: ID!) { enterprise(uscc: $u) { measuresInForce { measure { code } trigger { id } } } }`, { u: entry.subjectId }, { as: YINCHUAN });
    expect(all.errors).toBeUndefined();
    const codes = all.data!.enterprise.measuresInForce.filter((m) => m.trigger.id === String(entry.id)).map((m) => m.measure.code);
    expect(codes).toEqual(expect.arrayContaining(["N-P-TENDER", "N-P-PROCURE", "N-P-SUBSIDY", "N-P-CREDIT", "N-P-HONOURS", "N-P-NOPROMISE"]));
    expect(new Set(codes).size).toBe(codes.length);
    const reg = await hub.store.prisma.queryRegistration.findFirstOrThrow({ where: { subjectId: entry.subjectId, field: "Query.creditCheck" }, orderBy: { id: "desc" } });
    expect(reg).toMatchObject({ callerSub: YINCHUAN.sub, callerCityCode: "640100", purpose: "公共资源交易投标人资格审查", result: "FOUND" });
  });

  it("gives a red-listed firm the green channel and 容缺受理, and no restriction", async () => {
    const punished = new Set((await hub.store.prisma.listEntry.findMany({ where: { listType: { not: "RED" } } })).map((e) => e.subjectId));
    const ratedHigh = new Set((await hub.store.prisma.creditRating.findMany({ where: { tier: "HIGH_RISK" } })).map((e) => e.subjectId));
    const red = (await hub.store.prisma.listEntry.findMany({ where: { listType: "RED", state: { in: ["RECOGNISED", "PUBLISHED"] } } })).find((e) => !punished.has(e.subjectId) && !ratedHigh.has(e.subjectId))!;
    const r = await check(red.subjectId, "approval");
    expect(r.errors).toBeUndefined();
    expect(r.data!.creditCheck.restricted).toBe(false);
    const codes = r.data!.creditCheck.measures.filter((m) => m.trigger.kind === "LIST_ENTRY").map((m) => m.measure.code).sort();
    expect(codes).toEqual(["N-I-DEFER", "N-I-GREEN"]);
  });

  it("catches a firm banned in another member city, and only the bans in force", async () => {
    const [firm] = await plainFirms("610800");
    expect((await check(firm.uscc, "market-entry")).data!.creditCheck).toMatchObject({ restricted: false, measures: [] });
    const ban = await hub.query<{ recognizeListEntry: { id: string } }>(`mutation($i: RecognizeListEntryInput!) { recognizeListEntry(input: $i) { id } }`, {
      i: { subject: firm.uscc, listType: "MARKET_BAN", field: "道路运输", authority: "兰州市交通运输局", basis: basis("兰交罚〔2026〕88号"), severity: "SERIOUS", banEndsOn: daysFrom(365), banScope: ["道路运输经营"], responsiblePersons: [] },
    }, { as: LANZHOU });
    expect(ban.errors).toBeUndefined();
    const r = await check(firm.uscc, "market-entry");
    expect(r.data!.creditCheck.restricted).toBe(true);
    expect(r.data!.creditCheck.measures.map((m) => [m.measure.code, m.issuingCity.code, m.catalogueCity.code, m.catalogueVersion, m.expiresOn])).toEqual([["N-P-BAN", "620100", "620100", 4, daysFrom(365)]]);
    // A ban that has ended no longer applies.
    await hub.store.prisma.listEntry.update({ where: { id: Number(ban.data!.recognizeListEntry.id) }, data: { banEndsOn: new Date(Date.parse(daysFrom(-1))) } });
    expect((await check(firm.uscc, "market-entry")).data!.creditCheck.measures).toEqual([]);
  });

  it("catches a firm whose legal representative is banned elsewhere only with includeRelated, with the graph path", async () => {
    const [firm] = await plainFirms("640100");
    const person = firm.legalRepresentativeId!;
    const ban = await hub.query(`mutation($i: RecognizeListEntryInput!) { recognizeListEntry(input: $i) { id } }`, {
      i: { subject: person, listType: "MARKET_BAN", field: "证券期货", authority: "兰州市市场监督管理局", basis: basis("兰市监罚〔2026〕12号"), severity: "SERIOUS", banEndsOn: null, banScope: ["担任企业高管"] },
    }, { as: LANZHOU });
    expect(ban.errors).toBeUndefined();
    const alone = await check(firm.uscc, "market-entry", YINCHUAN_GRAPH, false);
    expect(alone.data!.creditCheck.measures).toEqual([]);
    const related = await check(firm.uscc, "market-entry", YINCHUAN_GRAPH, true);
    expect(related.errors).toBeUndefined();
    expect(related.data!.creditCheck.restricted).toBe(true);
    const [m] = related.data!.creditCheck.measures;
    expect(related.data!.creditCheck.measures).toHaveLength(1);
    expect(m).toMatchObject({ measure: { code: "N-P-BAN" }, issuingCity: { code: "620100" }, expiresOn: null, via: { role: "LEGAL_REPRESENTATIVE_OF" } });
    // The person shows masked, as everywhere; the path runs from them to the firm.
    const masked = `${person.slice(0, 6)}********${person.slice(14)}`;
    expect(m.via!.party.idNumber).toBe(masked);
    expect(m.via!.path).toEqual([{ relation: "LEGAL_REPRESENTATIVE_OF", from: { idNumber: masked }, to: { uscc: firm.uscc } }]);
    // A person's entry that only extends a firm's own listing to them (F19) is not a second reason for that firm.
    const extended = await hub.store.prisma.listEntry.findFirstOrThrow({ where: { subjectKind: "INDIVIDUAL", state: "PUBLISHED", linkedEntryId: { not: null } } });
    const own = await hub.store.prisma.listEntry.findUniqueOrThrow({ where: { id: extended.linkedEntryId! } });
    const twice = await check(own.subjectId, "tendering", YINCHUAN_GRAPH, true);
    expect(twice.errors).toBeUndefined();
    expect(twice.data!.creditCheck.measures.some((x) => x.trigger.id === String(own.id) && x.via === null)).toBe(true);
    expect(twice.data!.creditCheck.measures.filter((x) => x.trigger.id === String(extended.id))).toEqual([]);
    // Related parties come from the graph: the scope to read it is needed.
    const noGraph = await check(firm.uscc, "market-entry", YINCHUAN, true);
    expect(noGraph.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect(noGraph.errors?.[0].message).toContain("graph:read");
  });

  it("runs as many statements of its own for a subject with many records as for one with none", async () => {
    const busy = (await hub.store.prisma.listEntry.groupBy({ by: ["subjectId"], where: { subjectKind: "ENTERPRISE" }, _count: { _all: true }, orderBy: { _count: { subjectId: "desc" } }, take: 1 }))[0].subjectId;
    const [none] = await plainFirms("150100");
    await hub.settle();
    const statements = async (s: string) => {
      const before = hub.store.statements.count;
      // (Selecting trigger.commitment would add one batched statement when any commitment triggers.)
      const r = await hub.query<Check>(`query($s: ID!) { creditCheck(subject: $s, matter: "tendering", purpose: "资格审查") { restricted measures { measure { code } trigger { kind id } } } }`, { s }, { as: YINCHUAN });
      expect(r.errors).toBeUndefined();
      return { count: hub.store.statements.count - before, measures: r.data!.creditCheck.measures.length };
    };
    const [quiet, many] = [await statements(none.uscc), await statements(busy)];
    expect(many.measures).toBeGreaterThan(0);
    expect(quiet.measures).toBe(0);
    // The breach look-up and the registration (the lists and ratings subgraphs, asked as a service, count theirs apart).
    expect(many.count).toBe(quiet.count);
    expect(quiet.count).toBe(2);
  });

  it("refuses an unknown matter listing the known ones, and a malformed subject", async () => {
    const firm = (await hub.store.prisma.enterprise.findFirstOrThrow()).uscc;
    const r = await check(firm, "拍卖");
    expect(r.errors![0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "matter" } });
    for (const known of ["procurement", "tendering", "approval", "market-entry"]) expect(r.errors![0].message).toContain(known);
    const bad = await check("91610800MA703Q5X4X", "tendering");
    expect(bad.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
    // Repair commitments are filed by the lists subgraph only: partners do not see the mutation.
    const hidden = await hub.query(`mutation { recordRepairCommitment(input: { sourceRef: "x", subject: "${firm}", text: "t", signatory: "s", signedOn: "2026-01-01", authority: "a" }) { id } }`, undefined, { as: LANZHOU });
    expect(hidden.errors![0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("breaches a 容缺 commitment once when its date passes, with a negative record, an event, and the measure it triggers", async () => {
    const [firm] = await plainFirms("620100");
    const record = (dueOn: string | null, as = LANZHOU) => hub.query<{ recordCommitment: { id: string; state: string } }>(
      `mutation($i: CreditCommitmentInput!) { recordCommitment(input: $i) { id state } }`,
      { i: { subject: firm.uscc, type: "SUPPLEMENT_LATER", matter: "approval", text: "承诺十个工作日内补齐规划许可材料。", signatory: "王五", signedOn: daysFrom(-12), authority: "兰州市政务服务中心", published: true, dueOn } }, { as });
    const missing = await record(null);
    expect(missing.errors![0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "dueOn" } });
    const c = await record(daysFrom(-2));
    expect(c.errors).toBeUndefined();
    expect(c.data!.recordCommitment.state).toBe("PENDING");
    const id = Number(c.data!.recordCommitment.id);
    // The hub's own sweep may get there first: however often it runs, one breach.
    await sweepBreaches(hub.store.jobs, today());
    expect(await sweepBreaches(hub.store.jobs, today())).toBe(0);
    expect(await hub.store.prisma.commitmentBreach.count({ where: { commitmentId: id } })).toBe(1);
    const events = await hub.store.prisma.measuresOutbox.findMany({ where: { entryId: id, type: "CommitmentChanged" }, orderBy: { id: "asc" } });
    expect(events.map((e) => (e.payload as { state: string }).state)).toEqual(["PENDING", "BREACHED"]);
    const seen = await hub.query<{ enterprise: { commitments: Array<{ state: string; dueOn: string; breach: { breachedOn: string; city: { code: string } } }> } }>(
      `query($u: ID!) { enterprise(uscc: $u) { commitments { state dueOn breach { breachedOn city { code } } } } }`, { u: firm.uscc }, { as: YINCHUAN });
    expect(seen.data!.enterprise.commitments).toEqual([{ state: "BREACHED", dueOn: daysFrom(-2), breach: { breachedOn: daysFrom(-1), city: { code: "620100" } } }]);
    const r = await check(firm.uscc, "approval");
    expect(r.data!.creditCheck.measures.map((m) => [m.measure.code, m.trigger.kind, m.trigger.commitment?.state, m.expiresOn])).toEqual([["N-P-NOPROMISE", "COMMITMENT", "BREACHED", (() => { const d = new Date(Date.parse(daysFrom(-1))); d.setUTCMonth(d.getUTCMonth() + 12); return d.toISOString().slice(0, 10); })()]]);
    // Settling is the receiving city's, and only while pending.
    const late = await hub.query(`mutation { settleCommitment(id: "${id}", to: FULFILLED) { state } }`, undefined, { as: LANZHOU });
    expect(late.errors![0].extensions?.code).toBe("INVALID_TRANSITION");
    const other = await hub.query(`mutation { settleCommitment(id: "${id}", to: FULFILLED) { state } }`, undefined, { as: YULIN });
    expect(other.errors![0].extensions?.code).toBe("FORBIDDEN");
  });

  it("follows a joint case 发起 → 响应 → 执行 → 反馈 per department, in order, with an event per step", async () => {
    const entry = await hub.store.prisma.listEntry.findFirstOrThrow({ where: { listType: "SERIOUS_DISHONESTY", state: "PUBLISHED", subjectKind: "ENTERPRISE" } });
    const client = createClient({ url: hub.url.replace("http", "ws"), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0,
      connectionParams: async () => ({ authorization: `Bearer ${await tokenFor(YINCHUAN)}` }) });
    const got: Array<{ step: string; department: string; case: { id: string; measure: { code: string } } }> = [];
    const errors: unknown[] = [];
    client.subscribe<{ jointCaseStep: (typeof got)[number] }>({ query: `subscription { jointCaseStep { step department case { id measure { code } } } }` },
      { next: (r) => (r.data ? got.push(r.data.jointCaseStep) : errors.push(r.errors)), error: (e) => errors.push(e), complete: () => undefined });
    await hub.untilSubscribers(1);
    try {
      const open = await hub.query<{ openJointCase: { id: string; participants: Array<{ city: { code: string }; lastStep: string | null; overdue: boolean }> } }>(
        `mutation($i: JointCaseInput!) { openJointCase(input: $i) { id participants { city { code } lastStep overdue } } }`,
        { i: { subject: entry.subjectId, measure: "N-P-TENDER", triggerKind: "LIST_ENTRY", triggerId: String(entry.id), department: "榆林市发展改革委", participants: [{ city: "620100", department: "兰州市公共资源交易中心" }], respondWithinDays: 3 } }, { as: YULIN });
      expect(open.errors).toBeUndefined();
      const id = open.data!.openJointCase.id;
      expect(open.data!.openJointCase.participants).toEqual([{ city: { code: "620100" }, lastStep: null, overdue: false }]);
      const step = (s: string, as = LANZHOU, department = "兰州市公共资源交易中心") =>
        hub.query<{ recordJointCaseStep: { steps: Array<{ step: string }> } }>(`mutation { recordJointCaseStep(caseId: "${id}", step: ${s}, department: "${department}", note: "已处理") { steps { step } } }`, undefined, { as });
      expect((await step("EXECUTED")).errors![0].extensions?.code).toBe("INVALID_TRANSITION");
      expect((await step("RESPONDED", YULIN)).errors![0].extensions?.code).toBe("FORBIDDEN");
      for (const s of ["RESPONDED", "EXECUTED", "FEEDBACK"]) expect((await step(s)).errors).toBeUndefined();
      expect((await step("FEEDBACK")).errors![0].extensions?.code).toBe("INVALID_TRANSITION");
      const mine = () => got.filter((g) => g.case.id === id);
      await until(() => mine().length >= 4, "four steps of the case", 30_000);
      expect(mine().map((g) => g.step)).toEqual(["INITIATED", "RESPONDED", "EXECUTED", "FEEDBACK"]);
      expect(mine()[0].case.measure.code).toBe("N-P-TENDER");
      const eff = await hub.query<{ measureEffectiveness: Array<{ measureCode: string; cases: number; executed: number; feedback: number; averageDaysToExecute: number }> }>(
        `{ measureEffectiveness(measures: ["N-P-TENDER"]) { measureCode cases executed feedback averageDaysToExecute } }`, undefined, { as: YINCHUAN });
      const cases = await hub.store.prisma.jointCase.count({ where: { measureCode: "N-P-TENDER" } });
      expect(eff.data!.measureEffectiveness).toHaveLength(1);
      expect(eff.data!.measureEffectiveness[0]).toMatchObject({ measureCode: "N-P-TENDER", cases });
      expect(eff.data!.measureEffectiveness[0].executed).toBeGreaterThanOrEqual(1);
      await hub.settle();
      expect(mine()).toHaveLength(4);
      expect(errors).toEqual([]);
    } finally {
      await client.dispose();
    }
  }, 60_000);

  it("holds demo commitments in every state and demo cases at every step, the overdue ones listed", async () => {
    const states = await hub.store.prisma.creditCommitment.groupBy({ by: ["state"], where: { recordedBy: { startsWith: "demo:" } }, _count: { _all: true } });
    expect(states.map((s) => s.state).sort()).toEqual(["BREACHED", "FULFILLED", "PENDING", "WITHDRAWN"]);
    const steps = await hub.store.prisma.jointCaseStep.groupBy({ by: ["step"], _count: { _all: true } });
    expect(steps.map((s) => s.step).sort()).toEqual(["EXECUTED", "FEEDBACK", "INITIATED", "RESPONDED"]);
    const overdue = await hub.query<{ jointCases: { edges: Array<{ node: { participants: Array<{ overdue: boolean }> } }> } }>(
      `{ jointCases(overdueOnly: true, first: 50) { edges { node { participants { overdue } } } } }`, undefined, { as: YINCHUAN });
    expect(overdue.errors).toBeUndefined();
    expect(overdue.data!.jointCases.edges.length).toBeGreaterThan(0);
    for (const e of overdue.data!.jointCases.edges) expect(e.node.participants.some((p) => p.overdue)).toBe(true);
  });
});
