import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { openStore, type Store } from "./store.js";
import { sqlScope } from "./statementCounter.js";

describe("the statement counter", () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ kind: "embedded" });
  }, 60_000);
  afterAll(async () => {
    await store.close();
  });

  it("counts the partners' statements and leaves out the hub's background work and its jobs client", async () => {
    const before = store.statements.count;
    await store.prisma.enterprise.count();
    expect(store.statements.count).toBe(before + 1);
    await sqlScope.run({ background: false }, () => store.prisma.enterprise.count());
    expect(store.statements.count).toBe(before + 2);
    await sqlScope.run({ background: true }, async () => {
      await store.prisma.enterprise.count();
      await new Promise((r) => setTimeout(r, 5));
      await store.prisma.individual.count();
    });
    await store.jobs.enterprise.count();
    expect(store.statements.count).toBe(before + 2);
  });
});
