/**
 * Credit reports through the gateway (F38–F40): issuing a signed snapshot, verifying it (authentic,
 * a forged byte, a wrong key, a revoked key, a status changed since issue), key rotation, and
 * recognition by a partner city with and without an agreement, with the events of both. The
 * public page and the PDF are in reportPages.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import WebSocket from "ws";
import { createClient } from "graphql-ws/client";
import canonicalize from "canonicalize";
import { startTestHub, tokenFor, type TestHub, type TokenClaims } from "./support.js";
import { until } from "./until.js";
import { HOHHOT, ISSUE, LANZHOU, READER, RECOGNIZE, VERIFY, YANAN, YINCHUAN, YULIN, issueAs, type Verified } from "./reportsSupport.js";

describe("credit reports, verification and recognition", () => {
  let hub: TestHub;
  let firms: string[];
  const issue = (as: TokenClaims, subject: string, template?: string) => issueAs(hub, as, subject, template);
  const check = async (id: string, hash: string, as: TokenClaims = READER) => {
    const r = await hub.query<{ verifyCreditReport: Verified }>(VERIFY, { id, h: hash }, { as });
    expect(r.errors).toBeUndefined();
    return r.data!.verifyCreditReport;
  };

  beforeAll(async () => {
    hub = await startTestHub("embedded", 10, 73);
    const rated = new Set((await hub.store.prisma.creditRating.findMany({ select: { subjectId: true } })).map((r) => r.subjectId));
    // Enterprises no city has rated or listed: their status changes only when a test changes it.
    const listed = new Set((await hub.store.prisma.listEntry.findMany({ select: { subjectId: true } })).map((e) => e.subjectId));
    firms = (await hub.store.prisma.enterprise.findMany({ orderBy: { uscc: "asc" } })).map((e) => e.uscc).filter((u) => !rated.has(u) && !listed.has(u));
    expect(firms.length).toBeGreaterThanOrEqual(4);
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it("issues a signed snapshot of every city's records: hash over canonical JSON, Ed25519 by the issuing city's published key, the look-up registered", async () => {
    const listed = await hub.store.prisma.listEntry.findFirstOrThrow({ where: { subjectKind: "ENTERPRISE", issuingCityCode: { not: "610800" }, listType: "SERIOUS_DISHONESTY", state: { in: ["RECOGNISED", "PUBLISHED"] } } });
    const r = await issue(YULIN, listed.subjectId);
    expect(r.template).toBe("standard");
    expect(r.issuingCity.code).toBe("610800");
    // The content is canonical JSON (RFC 8785) and the hash is its SHA-256.
    expect(canonicalize(JSON.parse(r.content))).toBe(r.content);
    expect(r.hash).toBe(createHash("sha256").update(r.content, "utf8").digest("hex"));
    // Anyone with the published key verifies the signature without the hub.
    const keys = await hub.query<{ reportSigningKeys: Array<{ keyId: string; publicKey: string; algorithm: string; validTo: string | null }> }>(`{ reportSigningKeys(cities: ["610800"]) { keyId publicKey algorithm validTo } }`, undefined, { as: READER });
    const published = keys.data!.reportSigningKeys.find((k) => k.keyId === r.keyId)!;
    expect(published).toMatchObject({ algorithm: "Ed25519", validTo: null });
    expect(verify(null, Buffer.from(r.content, "utf8"), createPublicKey(published.publicKey), Buffer.from(r.signature, "base64url"))).toBe(true);
    const content = JSON.parse(r.content);
    expect(content).toMatchObject({ code: r.code, keyId: r.keyId, subject: { uscc: listed.subjectId }, issuingCity: { code: "610800", name: "榆林市" }, template: { id: "standard" }, validUntil: r.validUntil });
    const firm = await hub.store.prisma.enterprise.findUniqueOrThrow({ where: { uscc: listed.subjectId } });
    expect(content.sections.registration).toMatchObject({ uscc: firm.uscc, name: firm.name });
    // List entries of every city, as the lists subgraph has them.
    const entries = await hub.store.prisma.listEntry.findMany({ where: { subjectId: listed.subjectId } });
    expect(content.sections.lists.map((e: { id: string }) => e.id).sort()).toEqual(entries.map((e) => String(e.id)).sort());
    expect(content.sections.lists.some((e: { issuingCity: { code: string } }) => e.issuingCity.code === listed.issuingCityCode)).toBe(true);
    expect(content.sections).toHaveProperty("supervisionTier.tier");
    // The measures in force, as the measures subgraph judges them (every matter, every city's catalogue).
    const inForce = await hub.query<{ enterprise: { measuresInForce: Array<{ measure: { code: string }; trigger: { id: string } }> } }>(
      `query($u: ID!) { enterprise(uscc: $u) { measuresInForce { measure { code } trigger { id } } } }`, { u: listed.subjectId }, { as: READER });
    const key = (code: string, id: string) => `${code}@${id}`;
    expect(content.sections.measuresInForce.some((m: { code: string; trigger: { id: string } }) => key(m.code, m.trigger.id) === key("N-P-TENDER", String(listed.id)))).toBe(true);
    expect(content.sections.measuresInForce.map((m: { code: string; trigger: { id: string } }) => key(m.code, m.trigger.id)))
      .toEqual(inForce.data!.enterprise.measuresInForce.map((m) => key(m.measure.code, m.trigger.id)));
    // The related-party risk as the relations subgraph scores it, without the related parties' identities.
    expect(content.sections.relatedPartyRisk).toMatchObject({ available: true, score: expect.any(Number) });
    expect(content.sections.relatedPartyRisk.score).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(content.sections.relatedPartyRisk)).not.toMatch(/"subject"|"uscc"|"idNumber"/);
    const reg = await hub.store.prisma.queryRegistration.findFirst({ where: { subjectId: listed.subjectId, field: "Mutation.issueCreditReport", callerSub: YULIN.sub } });
    expect(reg?.result).toBe("FOUND");
  });

  it("refuses a caller without reports:write, an unknown template, a malformed USCC and a blank purpose, with stable codes", async () => {
    const none = await hub.query(ISSUE, { s: firms[0], p: "x" }, { as: READER });
    expect(none.errors![0].extensions?.code).toBe("FORBIDDEN");
    const tpl = await hub.query(ISSUE, { s: firms[0], t: "gold", p: "x" }, { as: YULIN });
    expect(tpl.errors![0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "template" } });
    expect(tpl.errors![0].message).toContain("standard");
    const bad = await hub.query(ISSUE, { s: "91610800MA703Q5X4X", p: "x" }, { as: YULIN });
    expect(bad.errors![0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "subject" } });
    const blank = await hub.query(ISSUE, { s: firms[0], p: "  " }, { as: YULIN });
    expect(blank.errors![0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "purpose" } });
    expect(JSON.stringify([none, tpl, bad, blank])).not.toMatch(/at .*\.ts:\d+/);
  });

  it("verifies an authentic report, and refuses a hash with one byte forged", async () => {
    const r = await issue(YULIN, firms[0]);
    expect(await check(r.id, r.hash)).toEqual({ authentic: true, statusChanged: false, expired: false, keyId: r.keyId, issuingCity: { code: "610800" }, problems: [], changes: [] });
    const forged = (r.hash[0] === "a" ? "b" : "a") + r.hash.slice(1);
    const v = await check(r.id, forged);
    expect(v.authentic).toBe(false);
    expect(v.problems.map((p) => p.code)).toEqual(["HASH_MISMATCH"]);
    // Verification tells the caller the subject's status today: registered as a look-up (F47).
    expect(await hub.store.prisma.queryRegistration.count({ where: { subjectId: firms[0], field: "Query.verifyCreditReport", callerSub: READER.sub } })).toBe(2);
    const malformed = await hub.query(VERIFY, { id: r.id, h: r.hash.slice(2) }, { as: READER });
    expect(malformed.errors![0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "hash" } });
    const read = await hub.query<{ creditReport: { hash: string } }>(`query($id: ID!) { creditReport(id: $id) { hash } }`, { id: r.id }, { as: READER });
    expect(read.data!.creditReport.hash).toBe(r.hash);
    expect(await hub.store.prisma.queryRegistration.count({ where: { subjectId: firms[0], field: "Query.creditReport", callerSub: READER.sub } })).toBe(1);
    const unknown = await hub.query(VERIFY, { id: "999999", h: r.hash }, { as: READER });
    expect(unknown.errors![0].extensions?.code).toBe("NOT_FOUND");
  });

  it("finds a report signed with another key than the one it names, and one naming another city's key", async () => {
    const r = await issue(YULIN, firms[1]);
    const yinchuan = await issue(YINCHUAN, (await hub.store.prisma.enterprise.findFirstOrThrow({ where: { registeredCityCode: "640100" } })).uscc);
    const forge = async (keyId: string, signWith: Parameters<typeof sign>[2]) => {
      const content = JSON.parse(r.content);
      content.code = `FORGED${keyId.length}${Math.random().toString(36).slice(2, 6)}`.toUpperCase().slice(0, 12);
      content.keyId = keyId;
      const text = canonicalize(content)!;
      const row = await hub.store.prisma.creditReport.create({ data: {
        code: content.code, subjectId: content.subject.uscc, template: "standard", purpose: content.purpose, issuingCityCode: "610800", issuedBy: "forger",
        issuedAt: new Date(content.issuedAt), validUntil: new Date(content.validUntil), content: text, hash: createHash("sha256").update(text).digest("hex"), keyId,
        signature: sign(null, Buffer.from(text), signWith).toString("base64url"),
      } });
      return check(String(row.id), row.hash);
    };
    const wrong = await forge(r.keyId, generateKeyPairSync("ed25519").privateKey);
    expect(wrong.authentic).toBe(false);
    expect(wrong.problems.map((p) => p.code)).toEqual(["SIGNATURE_INVALID"]);
    const foreign = await forge(yinchuan.keyId, generateKeyPairSync("ed25519").privateKey);
    // 银川's key is not 榆林's, did not exist when the copied report was issued, and did not sign it.
    expect(foreign.problems.map((p) => p.code)).toEqual(["KEY_NOT_ISSUERS", "KEY_NOT_VALID_AT_ISSUE", "SIGNATURE_INVALID"]);
    expect(foreign.problems[0].message).toContain("640100");
  });

  it("rotates and revokes keys: reports of a rotated key still verify, those of a revoked key do not", async () => {
    const firm = (await hub.store.prisma.enterprise.findFirstOrThrow({ where: { registeredCityCode: "610600" } })).uscc;
    const before = await issue(YANAN, firm);
    const rotated = await hub.query<{ rotateReportSigningKey: { keyId: string; validTo: string | null } }>(`mutation { rotateReportSigningKey { keyId validTo } }`, undefined, { as: YANAN });
    expect(rotated.errors).toBeUndefined();
    const newKey = rotated.data!.rotateReportSigningKey.keyId;
    expect(newKey).not.toBe(before.keyId);
    const after = await issue(YANAN, firm);
    expect(after.keyId).toBe(newKey);
    expect((await check(before.id, before.hash)).authentic).toBe(true);

    const foreign = await hub.query(`mutation($k: ID!) { revokeReportSigningKey(keyId: $k, reason: "x") { keyId } }`, { k: before.keyId }, { as: { ...YANAN, city: "610800" } });
    expect(foreign.errors![0].extensions?.code).toBe("FORBIDDEN");
    const noScope = await hub.query(`mutation($k: ID!) { revokeReportSigningKey(keyId: $k, reason: "x") { keyId } }`, { k: before.keyId }, { as: YINCHUAN });
    expect(noScope.errors![0].extensions?.code).toBe("FORBIDDEN");
    const revoked = await hub.query<{ revokeReportSigningKey: { revokedAt: string | null; revocationReason: string } }>(
      `mutation($k: ID!) { revokeReportSigningKey(keyId: $k, reason: "密钥泄露") { revokedAt revocationReason } }`, { k: before.keyId }, { as: YANAN });
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data!.revokeReportSigningKey).toMatchObject({ revocationReason: "密钥泄露" });
    const v = await check(before.id, before.hash);
    expect(v.authentic).toBe(false);
    expect(v.problems.map((p) => p.code)).toEqual(["KEY_REVOKED"]);
    expect(v.problems[0].message).toContain("密钥泄露");
    expect((await check(after.id, after.hash)).authentic).toBe(true);
    const keys = await hub.query<{ reportSigningKeys: Array<{ keyId: string; validTo: string | null; revokedAt: string | null }> }>(`{ reportSigningKeys(cities: ["610600"]) { keyId validTo revokedAt } }`, undefined, { as: READER });
    expect(keys.data!.reportSigningKeys.map((k) => [k.keyId, k.validTo !== null, k.revokedAt !== null])).toEqual([[newKey, false, false], [before.keyId, true, true]]);
  });

  it("reports a status changed since issue: a new rating and the tier change it caused", async () => {
    const r = await issue(YULIN, firms[2]);
    expect(JSON.parse(r.content).sections.supervisionTier.tier).toBe("NORMAL");
    const rated = await hub.query<{ recordCreditRating: { id: string } }>(`mutation($i: CreditRatingInput!) { recordCreditRating(input: $i) { id } }`,
      { i: { subject: firms[2], scale: "610800-PUBLIC", grade: "C", evaluator: "榆林市发展改革委", modelVersion: "M-2026", ratedOn: "2026-10-01", validUntil: "2028-09-30" } }, { as: YULIN });
    expect(rated.errors).toBeUndefined();
    const v = await check(r.id, r.hash);
    expect(v.authentic).toBe(true);
    expect(v.statusChanged).toBe(true);
    expect(v.changes).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: "NEW_RATING", ratingId: rated.data!.recordCreditRating.id, toTier: "HIGH_RISK" }),
      expect.objectContaining({ kind: "TIER_CHANGED", fromTier: "NORMAL", toTier: "HIGH_RISK" }),
    ]));
    expect(v.changes).toHaveLength(2);
  });

  it("reports a list entry's exit since issue, naming the entry and both states", async () => {
    const entry = await hub.store.prisma.listEntry.findFirstOrThrow({ where: { subjectKind: "ENTERPRISE", state: "PUBLISHED" }, orderBy: { id: "asc" } });
    const r = await issue(YULIN, entry.subjectId);
    expect((await check(r.id, r.hash)).statusChanged).toBe(false);
    const moved = await hub.query(`mutation($id: ID!) { transitionListEntry(id: $id, to: EXITED, reason: "信用修复后移出") { state } }`, { id: String(entry.id) }, { as: { city: entry.issuingCityCode, sub: "lists-office", scopes: ["credit:read", "lists:write"] } });
    expect(moved.errors).toBeUndefined();
    const v = await check(r.id, r.hash);
    expect(v).toMatchObject({ authentic: true, statusChanged: true });
    expect(v.changes).toEqual([expect.objectContaining({ kind: "LIST_ENTRY_STATE_CHANGED", listEntryId: String(entry.id), fromState: "PUBLISHED", toState: "EXITED", city: { code: entry.issuingCityCode } })]);
  });

  it("records a partner city's recognition under an agreement, refuses it without one (FORBIDDEN naming it), and shows decisions to both cities only", async () => {
    const client = createClient({ url: hub.url.replace("http", "ws"), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0,
      connectionParams: async () => ({ authorization: `Bearer ${await tokenFor(YINCHUAN)}` }) });
    const seen: Array<{ use: string; recognition: { id: string; recognisingCity: { code: string } } }> = [];
    const issued: Array<{ template: string; report: { id: string; hash: string } }> = [];
    client.subscribe<{ reportRecognised: (typeof seen)[number] }>({ query: `subscription { reportRecognised { use recognition { id recognisingCity { code } } } }` },
      { next: (m) => m.data && seen.push(m.data.reportRecognised), error: () => undefined, complete: () => undefined });
    client.subscribe<{ reportIssued: (typeof issued)[number] }>({ query: `subscription { reportIssued { template report { id hash } } }` },
      { next: (m) => m.data && issued.push(m.data.reportIssued), error: () => undefined, complete: () => undefined });
    await hub.untilSubscribers(2);
    try {
      const r = await issue(YULIN, firms[3]);
      const ok = await hub.query<{ recognizeCreditReport: { id: string; agreement: { id: string }; recognisingCity: { code: string }; statusChanged: boolean } }>(RECOGNIZE, { id: r.id, u: "procurement" }, { as: YINCHUAN });
      expect(ok.errors).toBeUndefined();
      expect(ok.data!.recognizeCreditReport).toMatchObject({ agreement: { id: "YRC-2026-001" }, recognisingCity: { code: "640100" }, statusChanged: false });

      const none = await hub.query(RECOGNIZE, { id: r.id, u: "procurement" }, { as: HOHHOT });
      expect(none.errors![0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "NO_AGREEMENT", missingAgreement: { cities: ["610800", "150100"], template: "standard", use: "procurement" } });
      expect(none.errors![0].message).toContain("no recognition agreement between 榆林市 (610800) and 呼和浩特市 (150100)");
      const otherUse = await hub.query(RECOGNIZE, { id: r.id, u: "procurement" }, { as: LANZHOU });
      expect(otherUse.errors![0].extensions?.code).toBe("FORBIDDEN");
      expect(otherUse.errors![0].message).toContain("YRC-2026-003");
      const own = await hub.query(RECOGNIZE, { id: r.id, u: "procurement" }, { as: YULIN });
      expect(own.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
      const badUse = await hub.query(RECOGNIZE, { id: r.id, u: "shopping" }, { as: YINCHUAN });
      expect(badUse.errors![0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "use" } });
      expect(badUse.errors![0].message).toContain("market-entry");
      expect(await hub.store.prisma.reportRecognition.count({ where: { reportId: Number(r.id) } })).toBe(1);

      const decisions = (as: TokenClaims) => hub.query<{ reportRecognitions: { edges: Array<{ node: { id: string; use: string } }> } }>(
        `query($r: ID) { reportRecognitions(report: $r) { edges { node { id use } } } }`, { r: r.id }, { as });
      const id = ok.data!.recognizeCreditReport.id;
      expect((await decisions(YINCHUAN)).data!.reportRecognitions.edges.map((e) => e.node)).toEqual([{ id, use: "procurement" }]);
      expect((await decisions(YULIN)).data!.reportRecognitions.edges.map((e) => e.node)).toEqual([{ id, use: "procurement" }]);
      expect((await decisions(HOHHOT)).data!.reportRecognitions.edges).toEqual([]);

      await until(() => seen.some((s) => s.recognition.id === id) && issued.some((i) => i.report.id === r.id), "the reportRecognised and reportIssued events", 30_000);
      expect(seen.filter((s) => s.recognition.id === id)).toEqual([{ use: "procurement", recognition: { id, recognisingCity: { code: "640100" } } }]);
      expect(issued.find((i) => i.report.id === r.id)).toEqual({ template: "standard", report: { id: r.id, hash: r.hash } });
    } finally {
      await client.dispose();
    }
  }, 60_000);
});
