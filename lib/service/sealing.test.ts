/**
 * `sealNow` seals every row there is, even while other transactions of the same database are
 * open: on a busy machine the hub's own background work (risk engine, relays) often keeps one
 * open across two sealing rounds, and the rows a caller just wrote stayed unsealed (the
 * tamper test then saw a deleted, "sealed" record pass).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openStore, type Store } from "../../prisma/store.js";
import { freshDatabase } from "../../test/support.js";
import { requireServices } from "../../test/services.js";
import { createLogger } from "../logger.js";
import { Ledger } from "./ledger.js";
import { startSealing } from "./sealing.js";

await requireServices("postgres");

describe("sealing now", () => {
  let store: Store;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const dir = mkdtempSync(join(tmpdir(), "seal-test-"));
  beforeAll(async () => {
    db = await freshDatabase();
    store = await openStore({ kind: "postgres", url: db.url, poolSize: 2 });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("waits for the transactions open at the call, then seals every row written before it", async () => {
    const table = { table: "audit.query_registration" };
    const ledger = new Ledger(store.jobs, { key: "k".repeat(32), anchorFile: join(dir, "anchor.log") });
    const sealing = startSealing(ledger, [table], 3600, createLogger("test", "silent"));
    const row = () => store.prisma.queryRegistration.create({ data: { requestId: "r", callerSub: "s", callerCityCode: "610800", subjectKind: "ENTERPRISE", subjectId: "91610800MA703Q5X4L", field: "Query.enterprise", fields: [], result: "FOUND", unmasked: false } });
    await row();
    await row();
    // Another client of the same database holds a transaction (with an xid) open for a while.
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT txid_current()");
      const ending = new Promise((r) => setTimeout(r, 400)).then(() => other.query("COMMIT"));
      const sealed = await sealing.now();
      await ending;
      expect(sealed).toBe(2);
      expect((await ledger.verify(table)).sealedRows).toBe(2);
    } finally {
      await other.end();
      await sealing.stop();
    }
  });
});
