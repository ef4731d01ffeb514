import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { openStore, type Store } from "./store.js";
import { statementsOf } from "./guards.js";
import { freshDatabase } from "../test/support.js";
import { requireServices } from "../test/services.js";

await requireServices("postgres");

describe("guard scripts", () => {
  it("split into statements at a semicolon that ends a paragraph, keeping function bodies whole", () => {
    const script = "-- a comment\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND\n$$;\n\nDROP TRIGGER t ON x;\n\nCREATE TRIGGER t BEFORE DELETE ON x FOR EACH STATEMENT EXECUTE FUNCTION f();\n";
    expect(statementsOf(script)).toEqual([
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND\n$$;",
      "DROP TRIGGER t ON x;",
      "CREATE TRIGGER t BEFORE DELETE ON x FOR EACH STATEMENT EXECUTE FUNCTION f();",
    ]);
  });
});

describe.each(["embedded", "postgres"] as const)("append-only tables on the %s store", (kind) => {
  let store: Store;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (kind === "postgres") {
      const db = await freshDatabase();
      drop = db.drop;
      store = await openStore({ kind, url: db.url, poolSize: 2 });
    } else {
      store = await openStore({ kind });
    }
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it("take new query registrations and refuse to change, delete or truncate them", async () => {
    const row = await store.prisma.queryRegistration.create({
      data: { requestId: "r1", callerSub: "s", callerCityCode: "610800", subjectKind: "INDIVIDUAL", subjectId: "610802199001011234", field: "Query.individual", fields: ["name"], result: "FOUND", unmasked: false },
    });
    await expect(store.prisma.queryRegistration.update({ where: { id: row.id }, data: { result: "NOT_FOUND" } })).rejects.toThrow(/append-only/);
    await expect(store.prisma.queryRegistration.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
    await expect(store.prisma.$executeRawUnsafe("TRUNCATE audit.query_registration")).rejects.toThrow(/append-only/);
    expect(await store.prisma.queryRegistration.findUnique({ where: { id: row.id } })).toMatchObject({ result: "FOUND" });
  });

  it("keep issued credit reports and recognition decisions as they were written", async () => {
    const report = await store.prisma.creditReport.create({
      data: { code: "GUARD0000001", subjectId: "91610800MA703Q5X4L", template: "standard", purpose: "p", issuingCityCode: "610800", issuedBy: "s", issuedAt: new Date(), validUntil: new Date(), content: "{}", hash: "0".repeat(64), keyId: "k", signature: "s" },
    });
    await expect(store.prisma.creditReport.update({ where: { id: report.id }, data: { content: '{"forged":true}' } })).rejects.toThrow(/append-only/);
    await expect(store.prisma.creditReport.delete({ where: { id: report.id } })).rejects.toThrow(/append-only/);
    await expect(store.prisma.$executeRawUnsafe("UPDATE reports.report_recognition SET use = 'x'")).rejects.toThrow(/append-only/);
    expect((await store.prisma.creditReport.findUniqueOrThrow({ where: { id: report.id } })).content).toBe("{}");
  });

  it("refuse to change a list entry's history", async () => {
    await expect(store.prisma.$executeRawUnsafe("UPDATE lists.list_entry_history SET reason = 'x'")).rejects.toThrow(/append-only/);
    await expect(store.prisma.$executeRawUnsafe("DELETE FROM lists.list_entry_history")).rejects.toThrow(/append-only/);
  });
});
