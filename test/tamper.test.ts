/**
 * Tamper evidence that holds (F62) against someone with full SQL rights, who can pass the
 * append-only guard: an edited row, an inserted row, a chain recomputed without the hub's key,
 * a deleted tail and deleted seals are each seen, in the list history and in the registrations.
 * Each attack works on rows made after the previous one, so its evidence is its own.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createHash } from "node:crypto";
import { startTestHub, type TestHub, type TokenClaims } from "./support.js";
import { requireServices } from "./services.js";

await requireServices("postgres");

const WRITER: TokenClaims = { city: "610800", sub: "yulin-credit", scopes: ["credit:read", "lists:write"] };
const AUDITOR: TokenClaims = { city: "610800", sub: "yulin-audit", scopes: ["credit:read", "audit:read"] };

interface Verdict { valid: boolean; records: number; brokenAtSeq: number | null; problem: string | null; sealedRecords: number }

describe("tamper evidence", () => {
  let hub: TestHub;
  let firms: string[];
  let next = 0;

  beforeAll(async () => {
    hub = await startTestHub("postgres", 4, 61);
    firms = (await hub.store.prisma.enterprise.findMany({ orderBy: { uscc: "desc" }, take: 12, select: { uscc: true } })).map((e) => e.uscc);
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  /** As someone with full SQL rights: past the append-only guards, the statements, the guards back. */
  async function attack(...statements: string[]): Promise<void> {
    const db = hub.store.jobs;
    for (const t of ["lists.list_entry_history", "audit.query_registration", "audit.seal"]) await db.$executeRawUnsafe(`ALTER TABLE ${t} DISABLE TRIGGER append_only`);
    try {
      for (const sql of statements) await db.$executeRawUnsafe(sql);
    } finally {
      for (const t of ["lists.list_entry_history", "audit.query_registration", "audit.seal"]) await db.$executeRawUnsafe(`ALTER TABLE ${t} ENABLE TRIGGER append_only`);
    }
  }

  /** A fresh entry with three history records (recognised, published, rectifying), sealed. */
  async function entry(): Promise<number> {
    const r = await hub.query<{ recognizeListEntry: { id: string } }>(`mutation($i: RecognizeListEntryInput!) { recognizeListEntry(input: $i) { id } }`, {
      i: { subject: firms[next++], listType: "SERIOUS_DISHONESTY", field: "税务", authority: "榆林市税务局", severity: "SERIOUS", responsiblePersons: [], basis: { type: "ADMINISTRATIVE_PENALTY", referenceNumber: `TAMPER-${next}`, decidedOn: "2026-06-01" } },
    }, { as: WRITER });
    expect(r.errors).toBeUndefined();
    const id = r.data!.recognizeListEntry.id;
    for (const to of ["PUBLISHED", "RECTIFYING"]) {
      const m = await hub.query(`mutation { transitionListEntry(id: "${id}", to: ${to}, reason: "整改") { id } }`, undefined, { as: WRITER });
      expect(m.errors).toBeUndefined();
    }
    await hub.sealNow();
    return Number(id);
  }

  const verify = async (id: number) => (await hub.query<{ verifyHistory: Verdict }>(`{ verifyHistory(id: "${id}") { valid records brokenAtSeq problem sealedRecords } }`)).data!.verifyHistory;
  const ledger = async (table: string) => hub.query<{ verifyLedger: { valid: boolean; sealedRows: number; problems: string[] } }>(`{ verifyLedger(table: "${table}") { valid sealedRows problems } }`, undefined, { as: AUDITOR });

  it("vouches for an untouched, sealed history", async () => {
    const id = await entry();
    expect(await verify(id)).toEqual({ valid: true, records: 3, brokenAtSeq: null, problem: null, sealedRecords: 3 });
    const report = await ledger("lists.list_entry_history");
    expect(report.data!.verifyLedger).toMatchObject({ valid: true, problems: [] });
    expect(report.data!.verifyLedger.sealedRows).toBeGreaterThanOrEqual(3);
  });

  it("sees an edited record", async () => {
    const id = await entry();
    await attack(`UPDATE lists.list_entry_history SET reason = '未发生' WHERE entry_id = ${id} AND seq = 2`);
    const v = await verify(id);
    expect(v).toMatchObject({ valid: false, brokenAtSeq: 2 });
    expect(v.problem).toContain("keyed hash");
  });

  it("sees a chain recomputed without the hub's key (plain SHA-256, as the code once did)", async () => {
    const id = await entry();
    const rows = await hub.store.jobs.listEntryHistory.findMany({ where: { entryId: id }, orderBy: { seq: "asc" } });
    let prev = "0".repeat(64);
    const updates = rows.map((r) => {
      const reason = r.seq === 2 ? "未发生" : r.reason;
      const hash = createHash("sha256").update(JSON.stringify([r.entryId, r.seq, r.action, r.fromState ?? "", r.toState ?? "", r.actorSub, r.actorCity, reason, r.at.toISOString(), prev])).digest("hex");
      const sql = `UPDATE lists.list_entry_history SET reason = '${reason}', prev_hash = '${prev}', hash = '${hash}' WHERE id = ${r.id}`;
      prev = hash;
      return sql;
    });
    await attack(...updates);
    const v = await verify(id);
    expect(v).toMatchObject({ valid: false, brokenAtSeq: 1 });
  });

  it("sees a record inserted at the end of a history", async () => {
    const id = await entry();
    const last = await hub.store.jobs.listEntryHistory.findFirstOrThrow({ where: { entryId: id }, orderBy: { seq: "desc" } });
    await attack(`INSERT INTO lists.list_entry_history (entry_id, seq, action, from_state, to_state, actor_sub, actor_city, reason, at, prev_hash, hash)
      VALUES (${id}, 4, 'STATE_EXITED', 'RECTIFYING', 'EXITED', 'yulin-credit', '610800', '修复完成', now(), '${last.hash}', '${"f".repeat(64)}')`);
    const v = await verify(id);
    expect(v).toMatchObject({ valid: false, brokenAtSeq: 4 });
  });

  it("sees the newest records deleted, once they were sealed", async () => {
    const id = await entry();
    await attack(`DELETE FROM lists.list_entry_history WHERE entry_id = ${id} AND seq = 3`);
    const v = await verify(id);
    expect(v.valid).toBe(false);
    expect(v.records).toBe(2);
    expect(v.problem).toContain("changed since they were sealed");
  });

  it("sees a registration deleted after it was sealed", async () => {
    const subject = firms[0];
    await hub.query(`{ enterprise(uscc: "${subject}") { name } }`, undefined, { as: { sub: "quiet-reader" } });
    await hub.sealNow();
    expect((await ledger("audit.query_registration")).data!.verifyLedger.valid).toBe(true);
    await attack("DELETE FROM audit.query_registration WHERE caller_sub = 'quiet-reader'");
    const report = (await ledger("audit.query_registration")).data!.verifyLedger;
    expect(report.valid).toBe(false);
    expect(report.problems.join(" ")).toContain("changed since they were sealed");
  });

  it("sees the newest seals deleted with the records they covered (the anchor outside the database)", async () => {
    const id = await entry();
    const seals = await hub.store.jobs.seal.findMany({ where: { tableName: "lists.list_entry_history" }, orderBy: { toId: "desc" }, take: 1 });
    await attack(`DELETE FROM lists.list_entry_history WHERE entry_id = ${id}`, `DELETE FROM audit.seal WHERE id = ${seals[0].id}`);
    const report = (await ledger("lists.list_entry_history")).data!.verifyLedger;
    expect(report.valid).toBe(false);
    expect(report.problems.join(" ")).toContain("the newest seals are gone");
  });

  it("answers verifyLedger only for its tamper-evident tables, naming them", async () => {
    const r = await ledger("enterprise.enterprise");
    expect(r.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.errors![0].message).toContain("lists.list_entry_history");
  });
});
