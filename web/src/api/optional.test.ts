import { describe, it, expect, afterEach } from "@jest/globals";
import { buildSchema, graphqlSync, parse, validate } from "graphql";
import { optionalQuery, printSelection, prune, type Selection } from "./optional.js";

/** A gateway whose schema has ratings but not yet a portrait, and a tier that is a plain enum. */
const schema = buildSchema(`
  enum Tier { LOW_RISK NORMAL HIGH_RISK }
  type Rating { grade: String! score: Float! }
  type Enterprise { uscc: ID! ratings: [Rating!]! supervisionTier: Tier }
  type Query { enterprise(uscc: ID!): Enterprise }
`);
const root = { enterprise: ({ uscc }: { uscc: string }) => ({ uscc, ratings: [{ grade: "A", score: 92 }], supervisionTier: "LOW_RISK" }) };
const realFetch = globalThis.fetch;
const sent: string[] = [];

/** Answers as the gateway does: validation failures with their locations, no data. */
function fakeGateway() {
  globalThis.fetch = (async (_url: string, init: { body: string }) => {
    const { query, variables } = JSON.parse(init.body);
    sent.push(query);
    const errors = validate(schema, parse(query));
    const body = errors.length
      ? { errors: errors.map((e) => ({ message: e.message, locations: e.locations, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } })) }
      : graphqlSync({ schema, source: query, rootValue: root, variableValues: variables });
    return new Response(JSON.stringify(body), { status: errors.length ? 400 : 200, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
}

const EXTRAS: Selection[] = [{ name: "enterprise", args: "(uscc: $u)", sub: [
  "uscc",
  { name: "ratings", sub: [{ name: "grade" }, { name: "scale" }] },
  { name: "supervisionTier", alias: "tierValue" },
  { name: "supervisionTier", alias: "tierDetail", sub: ["__typename", { name: "tier" }] },
  { name: "portrait", sub: ["__typename", { name: "trend" }] },
] }];

describe("optional parts of a query", () => {
  afterEach(() => { globalThis.fetch = realFetch; sent.length = 0; });

  it("prints a selection on one line and knows where each field is", () => {
    const { text, spans } = printSelection([{ name: "a", sub: [{ name: "b", alias: "x" }, "__typename"] }], 4);
    expect(text).toBe("a { x: b __typename }");
    expect(spans.map((s) => [s.field.name, text.slice(s.start - 4, s.end - 4)])).toEqual([["b", "x: b"], ["a", "a { x: b __typename }"]]);
    expect(prune([{ name: "a", sub: [{ name: "b" }] }], new Set())).toEqual([{ name: "a", sub: [{ name: "b" }] }]);
  });

  it("drops exactly the fields the schema lacks or has in another shape, and keeps what exists", async () => {
    fakeGateway();
    const r = await optionalQuery<{ enterprise: Record<string, unknown> }>("t", "test-extras", "query($u: ID!)", EXTRAS, { u: "91610822MA28QNPT9B" });
    expect(r!.data!.enterprise).toEqual({ uscc: "91610822MA28QNPT9B", ratings: [{ grade: "A" }], tierValue: "LOW_RISK" });
    expect(sent).toHaveLength(2);
    // Remembered for the session: the next subject asks the settled query at once.
    await optionalQuery("t", "test-extras", "query($u: ID!)", EXTRAS, { u: "91610822MA28QNPT9B" });
    expect(sent).toHaveLength(3);
    expect(sent[2]).toBe(sent[1]);
  });

  it("gives null when nothing asked for exists", async () => {
    fakeGateway();
    const r = await optionalQuery("t", "test-quality", "query($c: ID!)", [{ name: "dataQuality", args: "(city: $c)", sub: ["__typename"] }], { c: "610800" });
    expect(r).toBeNull();
  });
});
