import { describe, it, expect } from "@jest/globals";
import { EntityFetcher } from "./entityFetcher.js";

describe("entity fetches for a burst of events", () => {
  it("asks once per caller and selection, with the ids as variables in a reused power-of-two document", async () => {
    const runs: Array<{ query: string; caller: string; variables: Record<string, string> }> = [];
    const fetcher = new EntityFetcher<string>(async (query, caller, variables) => {
      runs.push({ query, caller, variables });
      const data: Record<string, unknown> = {};
      for (const [k, id] of Object.entries(variables)) data[`e${k.slice(1)}`] = id === "bad" ? null : { id, by: caller };
      const errors = Object.entries(variables).filter(([, id]) => id === "bad").map(([k]) => ({ message: "not yours", path: [`e${k.slice(1)}`], extensions: { code: "FORBIDDEN" } }));
      return { data, errors: errors.length ? errors : undefined };
    }, (c) => c);
    const first = await Promise.all(["1", "2", "3"].map((id) => fetcher.load("alice", "listEntry", id, "{ id }")));
    expect(first).toEqual([1, 2, 3].map((n) => ({ id: String(n), by: "alice" })));
    // Three ids: a document for four, the last id repeated.
    expect(runs).toHaveLength(1);
    expect(runs[0].variables).toEqual({ i0: "1", i1: "2", i2: "3", i3: "3" });
    expect(runs[0].query).toContain("$i3: ID!");
    expect(runs[0].query).not.toContain('"1"');
    // Another burst of four ids reuses the same text; another caller asks separately.
    const second = await Promise.all([
      ...["4", "5", "6", "7"].map((id) => fetcher.load("alice", "listEntry", id, "{ id }")),
      fetcher.load("bob", "listEntry", "4", "{ id }"),
    ]);
    expect(second[4]).toEqual({ id: "4", by: "bob" });
    expect(runs).toHaveLength(3);
    expect(runs[1].query).toBe(runs[0].query);
    // An error on one alias fails that entity only.
    const mixed = await Promise.allSettled(["8", "bad"].map((id) => fetcher.load("alice", "listEntry", id, "{ id }")));
    expect(mixed[0]).toEqual({ status: "fulfilled", value: { id: "8", by: "alice" } });
    expect(mixed[1].status).toBe("rejected");
    expect(((mixed[1] as PromiseRejectedResult).reason as { extensions: { code: string } }).extensions.code).toBe("FORBIDDEN");
  });
});
