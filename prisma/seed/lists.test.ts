import { describe, it, expect, afterAll } from "@jest/globals";
import { openStore, type Store } from "../store.js";
import { seedListsDemo } from "./lists.js";
import { loadRules } from "../../subgraphs/lists/rules/index.js";
import { verifyChain } from "../../subgraphs/lists/domain/history.js";

const KEY = "history-key-of-the-seed-test";

describe("demo lists", () => {
  let store: Store;
  afterAll(async () => {
    await store?.close();
  });

  it("has every state in every city, work in progress, and valid histories", async () => {
    store = await openStore({ kind: "embedded" });
    const made = await seedListsDemo(store.prisma, loadRules(), { seed: 5, enterprises: 300, historyKey: KEY });
    expect(made).toBe(72);
    const states = await store.prisma.listEntry.groupBy({ by: ["issuingCityCode", "state"], where: { linkedEntryId: null }, _count: true });
    for (const city of ["610800", "610600", "620100", "620800", "640100", "150100"]) {
      const here = new Set(states.filter((s) => s.issuingCityCode === city).map((s) => s.state));
      expect([...here].sort()).toEqual(["EXITED", "EXPIRED", "PUBLISHED", "RECOGNISED", "RECTIFYING", "REPAIRED", "REVOKED", "UNDER_OBJECTION"]);
    }
    expect(await store.prisma.objection.count({ where: { step: "ACCEPTED" } })).toBe(6);
    expect(await store.prisma.repairApplication.count({ where: { status: "SUBMITTED" } })).toBe(6);
    expect(await store.prisma.listEntry.count({ where: { underObjection: true } })).toBeGreaterThanOrEqual(6);
    const some = await store.prisma.listEntryHistory.findMany({ where: { entryId: { in: [1, 5, 9] } }, orderBy: [{ entryId: "asc" }, { seq: "asc" }] });
    for (const id of [1, 5, 9]) expect(verifyChain(some.filter((h) => h.entryId === id), KEY).valid).toBe(true);
    expect(await store.prisma.listOutbox.count()).toBeGreaterThan(made);
  });
});
