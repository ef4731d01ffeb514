// Long: the lifecycle of list entries through the gateway, one case per path of the state machine and its rules, sharing one hub.
import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { startTestHub, type TestHub, type TokenClaims } from "./support.js";
import { expireDue, transition } from "../subgraphs/lists/domain/transitions.js";
import { historyKeyFrom } from "../subgraphs/lists/domain/history.js";
import { usccCheckChar } from "../lib/ids/index.js";
import { requireServices } from "./services.js";

await requireServices("postgres");

const YULIN: TokenClaims = { city: "610800", sub: "yulin-credit", scopes: ["credit:read", "lists:write"] };
const YINCHUAN: TokenClaims = { city: "640100", sub: "yinchuan-credit", scopes: ["credit:read", "lists:write"] };
const LANZHOU: TokenClaims = { city: "620100", sub: "lanzhou-credit", scopes: ["credit:read", "lists:write"] };

const ENTRY = `id state listType severity publicityUntil earliestRepairOn ruleVersion underObjection issuingCity { code } basis { type referenceNumber decidedOn }`;
const RECOGNIZE = `mutation($input: RecognizeListEntryInput!) { recognizeListEntry(input: $input) { ${ENTRY} } }`;
const MOVE = `mutation($id: ID!, $to: ListEntryState!, $reason: String!) { transitionListEntry(id: $id, to: $to, reason: $reason) { id state } }`;

interface Entry { id: string; state: string; publicityUntil: string | null; earliestRepairOn: string | null; ruleVersion: string | null; underObjection: boolean }

describe("lists through the gateway", () => {
  let hub: TestHub;
  let firms: Array<{ uscc: string; legalRepresentativeId: string | null; registeredCityCode: string }>;
  let seq = 0;

  const basis = (decidedOn = "2026-05-10") => ({ type: "ADMINISTRATIVE_PENALTY", referenceNumber: `榆市监罚〔2026〕${++seq}号`, decidedOn });
  async function recognize(subject: string, extra: Record<string, unknown> = {}, as: TokenClaims = YULIN): Promise<Entry> {
    const r = await hub.query<{ recognizeListEntry: Entry }>(RECOGNIZE, { input: { subject, listType: "SERIOUS_DISHONESTY", field: "市场监管", authority: "榆林市市场监督管理局", basis: basis(), severity: "SERIOUS", ...extra } }, { as });
    expect(r.errors).toBeUndefined();
    return r.data!.recognizeListEntry;
  }
  const move = (id: string, to: string, as: TokenClaims = YULIN) => hub.query<{ transitionListEntry: { state: string } }>(MOVE, { id, to, reason: `test move to ${to}` }, { as });

  beforeAll(async () => {
    hub = await startTestHub("postgres", 6, 21);
    firms = await hub.store.prisma.enterprise.findMany({ where: { legalRepresentativeId: { not: null } }, orderBy: { uscc: "asc" }, take: 20 });
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it("recognises an entry with periods from the rule version of its decision date", async () => {
    const e = await recognize(firms[0].uscc);
    expect(e).toMatchObject({ state: "RECOGNISED", ruleVersion: "NDRC-2025-36", earliestRepairOn: "2027-05-10", publicityUntil: "2029-05-10", underObjection: false });
    const old = await recognize(firms[1].uscc, { basis: basis("2024-01-10"), severity: "GENERAL" });
    expect(old).toMatchObject({ ruleVersion: "NDRC-2023-58", earliestRepairOn: "2024-04-10", publicityUntil: "2027-01-10" });
  });

  it.each([
    ["without a basis reference", { basis: { type: "ARBITRATION", referenceNumber: " ", decidedOn: "2026-05-01" } }, "BAD_USER_INPUT", "reference number"],
    ["without a severity", { severity: null }, "BAD_USER_INPUT", "severity"],
    ["with an invalid subject", { subject: "91110000600037341N" }, "BAD_USER_INPUT", "check character expected 'L'"],
    ["with a subject that is neither a USCC nor an ID number", { subject: "110101199003071230" }, "BAD_USER_INPUT", "ID number"],
  ])("refuses recognition %s", async (_l, patch, code, text) => {
    const r = await hub.query(RECOGNIZE, { input: { subject: firms[2].uscc, listType: "SERIOUS_DISHONESTY", field: "税务", authority: "榆林市税务局", basis: basis(), severity: "SERIOUS", ...patch } }, { as: YULIN });
    expect(r.errors![0].extensions?.code).toBe(code);
    expect(r.errors![0].message).toContain(text);
  });

  it("refuses writes without lists:write", async () => {
    const r = await hub.query(RECOGNIZE, { input: { subject: firms[2].uscc, listType: "KEY_ATTENTION", field: "税务", authority: "x", basis: basis(), severity: "MINOR" } }, { as: { city: "610800" } });
    expect(r.errors![0].extensions?.code).toBe("FORBIDDEN");
    expect(r.errors![0].message).toContain("lists:write");
  });

  it("extends an enterprise's listing to its legal representative (F19)", async () => {
    const firm = firms[3];
    const e = await recognize(firm.uscc);
    const linked = await hub.store.prisma.listEntry.findMany({ where: { linkedEntryId: Number(e.id) } });
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ subjectId: firm.legalRepresentativeId, responsibleRole: "法定代表人", subjectKind: "INDIVIDUAL" });
    const r = await hub.query<{ enterprise: { legalRepresentative: { listEntries: Array<{ responsibleRole: string; linkedEntry: { id: string } }> } } }>(
      `{ enterprise(uscc: "${firm.uscc}") { legalRepresentative { listEntries { responsibleRole linkedEntry { id } } } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.enterprise.legalRepresentative.listEntries).toEqual([{ responsibleRole: "法定代表人", linkedEntry: { id: e.id } }]);
  });

  it("walks RECOGNISED → PUBLISHED → UNDER_OBJECTION → RECTIFYING → EXITED, and RECOGNISED → REVOKED", async () => {
    const e = await recognize(firms[4].uscc);
    for (const to of ["PUBLISHED", "UNDER_OBJECTION", "RECTIFYING", "EXITED"]) {
      const r = await move(e.id, to);
      expect(r.errors).toBeUndefined();
      expect(r.data!.transitionListEntry.state).toBe(to);
    }
    const again = await move(e.id, "PUBLISHED");
    expect(again.errors![0].extensions).toMatchObject({ code: "INVALID_TRANSITION", currentState: "EXITED", allowed: [] });
    const w = await recognize(firms[5].uscc);
    expect((await move(w.id, "REVOKED")).data!.transitionListEntry.state).toBe("REVOKED");
    const linked = await hub.store.prisma.listEntry.findMany({ where: { linkedEntryId: Number(w.id) } });
    expect(linked.map((l) => l.state)).toEqual(["REVOKED"]);
  });

  it.each(["RECTIFYING", "REPAIRED", "EXPIRED", "EXITED"])("refuses RECOGNISED → %s with the allowed moves named", async (to) => {
    const e = await recognize(firms[6].uscc, { basis: basis("2026-06-0" + ((seq % 9) + 1)) });
    const r = await move(e.id, to);
    expect(r.errors![0].extensions).toMatchObject({ code: "INVALID_TRANSITION", currentState: "RECOGNISED" });
    expect(r.errors![0].message).toContain("allowed from RECOGNISED: PUBLISHED, REVOKED");
  });

  it("lets only the recognising city move its entries", async () => {
    const e = await recognize(firms[7].uscc);
    const r = await move(e.id, "PUBLISHED", YINCHUAN);
    expect(r.errors![0].extensions?.code).toBe("FORBIDDEN");
    expect(r.errors![0].message).toContain("610800");
    expect((await hub.store.prisma.listEntry.findUniqueOrThrow({ where: { id: Number(e.id) } })).state).toBe("RECOGNISED");
  });

  it("lets exactly one of two concurrent moves of one entry win", async () => {
    const e = await recognize(firms[8].uscc);
    await move(e.id, "PUBLISHED");
    const outbox = await hub.store.prisma.listOutbox.count({ where: { entryId: Number(e.id) } });
    const [a, b] = await Promise.all([move(e.id, "RECTIFYING"), move(e.id, "RECTIFYING")]);
    const wins = [a, b].filter((r) => !r.errors);
    const losses = [a, b].filter((r) => r.errors);
    expect(wins).toHaveLength(1);
    expect(losses[0].errors![0].extensions?.code).toBe("INVALID_TRANSITION");
    expect(await hub.store.prisma.listOutbox.count({ where: { entryId: Number(e.id) } })).toBe(outbox + 1);
  });

  it("serialises two moves of one entry by its row lock: forced to overlap, exactly one wins", async () => {
    const e = await recognize(firms[13].uscc);
    await move(e.id, "PUBLISHED");
    // Each transaction, once it has read the entry, waits for the other to have read it too (at
    // most 1 s): without the row lock both read PUBLISHED and both would move it.
    let arrived = 0;
    let release!: () => void;
    const both = new Promise<void>((r) => (release = r));
    const barrier = async () => {
      if (++arrived === 2) release();
      await Promise.race([both, new Promise((r) => setTimeout(r, 1000))]);
    };
    const prisma = hub.store.prisma;
    const pausing = new Proxy(prisma, {
      get(target, prop, receiver) {
        if (prop !== "$transaction") return Reflect.get(target, prop, receiver);
        return (fn: (tx: typeof prisma) => Promise<unknown>) => target.$transaction((tx) => fn(new Proxy(tx, {
          get(t, p, r) {
            if (p !== "listEntry") return Reflect.get(t, p, r);
            const entries = Reflect.get(t, p, r) as typeof prisma.listEntry;
            return new Proxy(entries, {
              get(l, m, lr) {
                if (m !== "findUniqueOrThrow") return Reflect.get(l, m, lr);
                return async (args: Parameters<typeof prisma.listEntry.findUniqueOrThrow>[0]) => {
                  const row = await l.findUniqueOrThrow(args);
                  await barrier();
                  return row;
                };
              },
            });
          },
        }) as typeof prisma));
      },
    });
    const actor = { sub: "yulin-credit", city: "610800", historyKey: historyKeyFrom(hub.ledgerKey) };
    const results = await Promise.allSettled([1, 2].map((n) => transition(pausing, actor, Number(e.id), "RECTIFYING", `concurrent ${n}`)));
    expect(arrived).toBe(2);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason.extensions?.code).toBe("INVALID_TRANSITION");
    const history = await prisma.listEntryHistory.findMany({ where: { entryId: Number(e.id), toState: "RECTIFYING" } });
    expect(history).toHaveLength(1);
  });

  it("runs an objection from 申请 to 更新, flagging the entry in every city while open", async () => {
    const e = await recognize(firms[9].uscc);
    await move(e.id, "PUBLISHED");
    const sub = await hub.query<{ submitObjection: { id: string; step: string; routedToCity: { code: string } } }>(
      `mutation { submitObjection(entryId: "${e.id}", applicant: "企业法务部", reason: "处罚决定已被复议撤销") { id step routedToCity { code } } }`, undefined, { as: LANZHOU });
    expect(sub.data!.submitObjection).toMatchObject({ step: "SUBMITTED", routedToCity: { code: "610800" } });
    const id = sub.data!.submitObjection.id;
    const adv = (to: string, as: TokenClaims = YULIN) => hub.query<{ advanceObjection: { step: string } }>(`mutation { advanceObjection(id: "${id}", to: ${to}, note: "处理意见") { step } }`, undefined, { as });
    expect((await adv("ACCEPTED", LANZHOU)).errors![0].extensions?.code).toBe("FORBIDDEN");
    expect((await adv("UPHELD")).errors![0].extensions?.code).toBe("INVALID_TRANSITION");
    await adv("ACCEPTED");
    const flagged = await hub.query<{ listEntry: { underObjection: boolean } }>(`{ listEntry(id: "${e.id}") { underObjection } }`, undefined, { as: { city: "150100" } });
    expect(flagged.data!.listEntry.underObjection).toBe(true);
    await adv("VERIFYING");
    await adv("UPHELD");
    await adv("UPDATED");
    const after = await hub.query<{ listEntry: { underObjection: boolean; state: string; objections: Array<{ step: string }> } }>(`{ listEntry(id: "${e.id}") { underObjection state objections { step } } }`);
    expect(after.data!.listEntry).toEqual({ underObjection: false, state: "PUBLISHED", objections: [{ step: "UPDATED" }] });
  });

  it("repairs an entry with a commitment, revokes the repair for fraud and bars a new one for 3 years", async () => {
    const e = await recognize(firms[10].uscc, { basis: basis("2024-01-10"), severity: "GENERAL" });
    await move(e.id, "PUBLISHED");
    const commitment = { text: "本企业承诺已纠正失信行为并消除不良影响，如有虚假愿承担责任。", signatory: "张三", signedOn: "2026-11-01" };
    const submit = () => hub.query<{ submitRepairApplication: { id: string; status: string } }>(
      `mutation($c: CommitmentInput!) { submitRepairApplication(entryId: "${e.id}", commitment: $c) { id status } }`, { c: commitment }, { as: YINCHUAN });
    const app = await submit();
    expect(app.errors).toBeUndefined();
    expect(app.data!.submitRepairApplication.status).toBe("SUBMITTED");
    const rid = app.data!.submitRepairApplication.id;
    // The commitment is one record, kept by the measures subgraph: the application links it, the firm's commitments list it.
    const linked = await hub.query<{ enterprise: { listEntries: Array<{ id: string; repairApplications: Array<{ id: string; commitment: { id: string; type: string; state: string; text: string; signatory: string; issuingCity: { code: string } } }> }>; commitments: Array<{ id: string; type: string }> } }>(
      `query($u: ID!) { enterprise(uscc: $u) { listEntries { id repairApplications { id commitment { id type state text signatory issuingCity { code } } } } commitments { id type } } }`, { u: firms[10].uscc });
    expect(linked.errors).toBeUndefined();
    const filed = linked.data!.enterprise.listEntries.find((x) => x.id === e.id)!.repairApplications.find((r) => r.id === rid)!.commitment;
    expect(filed).toMatchObject({ type: "REPAIR", state: "PENDING", text: commitment.text, signatory: "张三", issuingCity: { code: "610800" } });
    expect(linked.data!.enterprise.commitments).toContainEqual({ id: filed.id, type: "REPAIR" });
    expect(await hub.store.prisma.creditCommitment.count({ where: { subjectId: firms[10].uscc, type: "REPAIR" } })).toBe(1);
    const decide = (d: string, as: TokenClaims = YULIN) => hub.query<{ decideRepairApplication: { status: string } }>(`mutation { decideRepairApplication(id: "${rid}", decision: ${d}, reason: "材料齐全") { status } }`, undefined, { as });
    expect((await decide("CONFIRM")).errors![0].extensions?.code).toBe("INVALID_TRANSITION");
    expect((await decide("ACCEPT", YINCHUAN)).errors![0].extensions?.code).toBe("FORBIDDEN");
    await decide("ACCEPT");
    expect((await decide("CONFIRM")).data!.decideRepairApplication.status).toBe("CONFIRMED");
    expect((await hub.store.prisma.listEntry.findMany({ where: { OR: [{ id: Number(e.id) }, { linkedEntryId: Number(e.id) }] } })).map((x) => x.state)).toEqual(["REPAIRED", "REPAIRED"]);

    const revoke = await hub.query<{ revokeRepair: { status: string } }>(`mutation { revokeRepair(id: "${rid}", reason: "承诺书内容虚假") { status } }`, undefined, { as: YULIN });
    expect(revoke.data!.revokeRepair.status).toBe("REVOKED");
    // The entries extended to its responsible persons (F19) are restored with it.
    const restored = await hub.store.prisma.listEntry.findMany({ where: { OR: [{ id: Number(e.id) }, { linkedEntryId: Number(e.id) }] }, orderBy: { id: "asc" } });
    expect(restored.map((x) => [x.subjectKind, x.state])).toEqual([["ENTERPRISE", "PUBLISHED"], ["INDIVIDUAL", "PUBLISHED"]]);
    const barred = await submit();
    const today = new Date().toISOString().slice(0, 10);
    const possible = `${Number(today.slice(0, 4)) + 3}${today.slice(4)}`;
    expect(barred.errors![0].extensions).toMatchObject({ code: "REPAIR_BARRED", possibleOn: possible });
    expect(barred.errors![0].message).toContain(possible);
  });

  it("refuses a repair before the minimum publicity period has passed, naming the date", async () => {
    const e = await recognize(firms[11].uscc);
    const r = await hub.query(`mutation($c: CommitmentInput!) { submitRepairApplication(entryId: "${e.id}", commitment: $c) { id } }`,
      { c: { text: "本企业承诺已纠正失信行为并消除不良影响。", signatory: "李四", signedOn: "2026-11-01" } }, { as: YULIN });
    expect(r.errors![0].message).toContain("2027-05-10");
  });

  it("reports a person banned in 榆林 who becomes legal representative of a new firm in 银川", async () => {
    const person = firms[12].legalRepresentativeId!;
    const ban = await hub.query<{ recognizeListEntry: { id: string } }>(RECOGNIZE, {
      input: { subject: person, listType: "MARKET_BAN", field: "证券期货", authority: "榆林市市场监督管理局", basis: basis("2026-02-01"), severity: "SERIOUS", banEndsOn: null, banScope: ["担任企业高管"] },
    }, { as: YULIN });
    expect(ban.errors).toBeUndefined();
    const template = await hub.store.prisma.enterprise.findUniqueOrThrow({ where: { uscc: firms[13].uscc } });
    const newFirm = "91640100MA7YRD2N5" + usccCheckChar("91640100MA7YRD2N5");
    await hub.store.prisma.enterprise.create({ data: { ...template, uscc: newFirm, name: "银川新创科技有限公司", registeredCityCode: "640100", legalRepresentativeId: person, createdAt: undefined, updatedAt: undefined } });
    const r = await hub.query<{ marketBanStatus: { banned: boolean; bans: Array<{ issuingCity: { code: string }; banScope: string[]; subject: { idNumber?: string } }> } }>(
      `{ marketBanStatus(subject: "${newFirm}") { banned bans { issuingCity { code } banScope banEndsOn subject { ... on Individual { idNumber } } } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.marketBanStatus.banned).toBe(true);
    expect(r.data!.marketBanStatus.bans).toHaveLength(1);
    expect(r.data!.marketBanStatus.bans[0]).toMatchObject({ issuingCity: { code: "610800" }, banScope: ["担任企业高管"] });
    expect(r.data!.marketBanStatus.bans[0].subject.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    const clean = await hub.query<{ marketBanStatus: { banned: boolean } }>(`{ marketBanStatus(subject: "${firms[14].uscc}") { banned } }`);
    expect(clean.data!.marketBanStatus.banned).toBe(false);
  });

  it("extends an entry to the people who answered for the firm on the decision date, and bans to those answering today, from the graph (F19)", async () => {
    const firm = firms[17].uscc, today = firms[17].legalRepresentativeId!, before = firms[18].legalRepresentativeId!, principal = firms[19].legalRepresentativeId!;
    // The graph's history: `before` was legal representative until 2026-01-01, `today` since; `principal` since 2025.
    await hub.graph.removeEdges({ to: firm, type: "LEGAL_REPRESENTATIVE_OF" });
    await hub.graph.upsertEdges([
      { type: "LEGAL_REPRESENTATIVE_OF", from: before, to: firm, cityCode: "610800", validFrom: "2020-03-01", validTo: "2026-01-01" },
      { type: "LEGAL_REPRESENTATIVE_OF", from: today, to: firm, cityCode: "610800", validFrom: "2026-01-01", validTo: null },
      { type: "PRINCIPAL_OF", from: principal, to: firm, cityCode: "610800", validFrom: "2025-01-01", validTo: null },
    ]);
    const e = await recognize(firm, { basis: basis("2025-06-01") });
    const linked = await hub.store.prisma.listEntry.findMany({ where: { linkedEntryId: Number(e.id) }, orderBy: { subjectId: "asc" } });
    expect(linked.map((x) => [x.subjectId, x.responsibleRole]).sort()).toEqual([[before, "法定代表人"], [principal, "主要负责人"]].sort());
    // A ban on the principal reaches the firm's ban status today, though the records name only the legal representative.
    // Not a firm the principal answers for (its legal representative is `before`, listed but not banned).
    const other = firms[18].uscc;
    const status = async (uscc: string) => (await hub.query<{ marketBanStatus: { banned: boolean } }>(`{ marketBanStatus(subject: "${uscc}") { banned } }`)).data!.marketBanStatus.banned;
    expect(await status(firm)).toBe(false);
    expect(await status(other)).toBe(false);
    await recognize(principal, { listType: "MARKET_BAN", banScope: ["担任企业高管"], banEndsOn: null }, LANZHOU);
    expect(await status(firm)).toBe(true);
    expect(await status(other)).toBe(false);
  });

  it("detects a history row edited in SQL", async () => {
    const e = await recognize(firms[15].uscc);
    await move(e.id, "PUBLISHED");
    const ok = await hub.query<{ verifyHistory: { valid: boolean; records: number } }>(`{ verifyHistory(id: "${e.id}") { valid records } }`);
    expect(ok.data!.verifyHistory).toEqual({ valid: true, records: 2 });
    // As someone with full SQL rights would: past the append-only guard, then the edit.
    await hub.store.prisma.$executeRawUnsafe("ALTER TABLE lists.list_entry_history DISABLE TRIGGER append_only");
    await hub.store.prisma.$executeRawUnsafe(`UPDATE lists.list_entry_history SET reason = 'nothing happened' WHERE entry_id = ${Number(e.id)} AND seq = 1`);
    await hub.store.prisma.$executeRawUnsafe("ALTER TABLE lists.list_entry_history ENABLE TRIGGER append_only");
    const bad = await hub.query<{ verifyHistory: { valid: boolean; brokenAtSeq: number; problem: string } }>(`{ verifyHistory(id: "${e.id}") { valid brokenAtSeq problem } }`);
    expect(bad.data!.verifyHistory).toMatchObject({ valid: false, brokenAtSeq: 1 });
    expect(bad.data!.verifyHistory.problem).toContain("hash");
  });

  it("expires entries whose publicity has ended, once", async () => {
    const e = await recognize(firms[16].uscc, { basis: basis("2021-03-01"), severity: "SERIOUS" });
    expect(e.publicityUntil).toBe("2024-03-01");
    expect(await expireDue(hub.store.prisma, historyKeyFrom(hub.ledgerKey))).toBeGreaterThanOrEqual(1);
    expect((await hub.store.prisma.listEntry.findUniqueOrThrow({ where: { id: Number(e.id) } })).state).toBe("EXPIRED");
    expect(await expireDue(hub.store.prisma, historyKeyFrom(hub.ledgerKey))).toBe(0);
  });

  it("records interviews from the recognising city only", async () => {
    const e = await recognize(firms[17].uscc);
    const q = `mutation { recordInterview(entryId: "${e.id}", interviewedOn: "2026-11-20", interviewee: "法定代表人", notes: "限期整改") { id actorCity { code } } }`;
    expect((await hub.query(q, undefined, { as: YINCHUAN })).errors![0].extensions?.code).toBe("FORBIDDEN");
    const r = await hub.query<{ recordInterview: { actorCity: { code: string } } }>(q, undefined, { as: YULIN });
    expect(r.data!.recordInterview.actorCity.code).toBe("610800");
  });

  it("pages list entries newest first with keyset cursors and filters by city", async () => {
    const q = `query($after: String) { listEntries(filter: { cities: ["610800"] }, first: 5, after: $after) { edges { node { id issuingCity { code } } } pageInfo { hasNextPage endCursor } } }`;
    const ids: number[] = [];
    let after: string | null = null;
    for (;;) {
      const r: { data?: { listEntries: { edges: Array<{ node: { id: string; issuingCity: { code: string } } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } | null } = await hub.query(q, { after });
      for (const edge of r.data!.listEntries.edges) {
        expect(edge.node.issuingCity.code).toBe("610800");
        ids.push(Number(edge.node.id));
      }
      if (!r.data!.listEntries.pageInfo.hasNextPage) break;
      after = r.data!.listEntries.pageInfo.endCursor;
    }
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(ids.length).toBe(await hub.store.prisma.listEntry.count({ where: { issuingCityCode: "610800" } }));
  });

  it("counts entries for the region overview by city and type, month of the basis decision and state, as the entries themselves add up", async () => {
    type Stats = { total: number; byCityAndType: Array<{ city: { code: string }; listType: string; count: number }>; byMonth: Array<{ month: string; listType: string; count: number }>; byState: Array<{ state: string; count: number }> };
    const stats = async (args = "") => (await hub.query<{ listStatistics: Stats }>(`{ listStatistics${args} { total byCityAndType { city { code } listType count } byMonth { month listType count } byState { state count } } }`)).data!.listStatistics;
    const entries: Array<{ issuingCity: { code: string }; listType: string; state: string; basis: { decidedOn: string } }> = [];
    for (let after: string | null = null; ;) {
      const r: { data?: { listEntries: { edges: Array<{ node: (typeof entries)[number] }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } | null } =
        await hub.query(`query($after: String) { listEntries(first: 100, after: $after) { edges { node { issuingCity { code } listType state basis { decidedOn } } } pageInfo { hasNextPage endCursor } } }`, { after });
      entries.push(...r.data!.listEntries.edges.map((e) => e.node));
      if (!r.data!.listEntries.pageInfo.hasNextPage) break;
      after = r.data!.listEntries.pageInfo.endCursor;
    }
    const tally = (key: (e: (typeof entries)[number]) => string) => entries.reduce((m, e) => m.set(key(e), (m.get(key(e)) ?? 0) + 1), new Map<string, number>());
    const all = await stats();
    expect(all.total).toBe(entries.length);
    expect(new Map(all.byCityAndType.map((g) => [`${g.city.code} ${g.listType}`, g.count]))).toEqual(tally((e) => `${e.issuingCity.code} ${e.listType}`));
    expect(new Map(all.byMonth.map((g) => [`${g.month} ${g.listType}`, g.count]))).toEqual(tally((e) => `${e.basis.decidedOn.slice(0, 7)} ${e.listType}`));
    expect(new Map(all.byState.map((g) => [g.state, g.count]))).toEqual(tally((e) => e.state));
    expect(all.byMonth.map((g) => g.month)).toEqual(all.byMonth.map((g) => g.month).sort());

    const yulinLive = await stats(`(cities: ["610800"], states: [PUBLISHED, RECTIFYING])`);
    expect(yulinLive.total).toBe(entries.filter((e) => e.issuingCity.code === "610800" && ["PUBLISHED", "RECTIFYING"].includes(e.state)).length);
    expect(yulinLive.total).toBeGreaterThan(0);
    expect(yulinLive.byCityAndType.every((g) => g.city.code === "610800")).toBe(true);
    const bad = await hub.query(`{ listStatistics(cities: ["999999"]) { total } }`);
    expect(bad.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});
