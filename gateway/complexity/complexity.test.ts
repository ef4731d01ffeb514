import { describe, it, expect } from "@jest/globals";
import { buildSchema, parse, GraphQLError } from "graphql";
import { analyzeOperation, checkComplexity, saturatingAdd, saturatingMul, type ComplexityLimits } from "./index.js";

const schema = buildSchema(/* GraphQL */ `
  type Query {
    enterprise(uscc: ID!): Enterprise
    enterprises(first: Int, after: String, filter: EnterpriseFilter): EnterpriseConnection!
    cities: [City!]!
  }
  input EnterpriseFilter { cityCode: ID, nameContains: String }
  type EnterpriseConnection { edges: [EnterpriseEdge!]!, pageInfo: PageInfo! }
  type EnterpriseEdge { cursor: String!, node: Enterprise! }
  type PageInfo { hasNextPage: Boolean!, endCursor: String }
  type City { code: ID!, name: String!, province: String! }
  type Individual { idNumber: ID!, name: String }
  type AdministrativePenalty { decisionNumber: String!, authority: String!, issuingCity: City! }
  type Enterprise {
    uscc: ID!
    name: String!
    administrativePenalties: [AdministrativePenalty!]!
    legalRepresentative: Individual
    affiliates(first: Int): [Enterprise!]!
  }
`);

const limits: ComplexityLimits = { maxDepth: 10, maxCost: 5000, defaultListSize: 10 };

const analyze = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  analyzeOperation({ schema, document: parse(query), operationName, variables }, limits);
const check = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  checkComplexity({ schema, document: parse(query), operationName, variables }, limits);

/** The GraphQLError `fn` throws (fails the test when it throws nothing or something else). */
function thrown(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    return err as GraphQLError;
  }
  throw new Error("expected a GraphQLError, nothing was thrown");
}

const CONNECTION_BODY = `edges { cursor node { name } } pageInfo { hasNextPage }`;

describe("analyzeOperation: exact cost and depth", () => {
  it("counts one per field on a single object", () => {
    // enterprise 1 + uscc 1 + name 1 = 3; depth: enterprise(1) > uscc(2)
    expect(analyze(`{ enterprise(uscc: "X") { uscc name } }`)).toEqual({ cost: 3, depth: 2 });
  });

  it("multiplies a list without `first` by defaultListSize", () => {
    // cities 1 + 10 × (code 1 + name 1) = 21
    expect(analyze(`{ cities { code name } }`)).toEqual({ cost: 21, depth: 2 });
  });

  it("mixes objects and lists", () => {
    // penalties: 1 + 10 × (decisionNumber 1 + issuingCity (1 + name 1)) = 31
    // legalRepresentative: 1 + idNumber 1 = 2
    // enterprise: 1 + name 1 + 31 + 2 = 35; depth: enterprise > penalties > issuingCity > name = 4
    const q = `{ enterprise(uscc: "X") { name administrativePenalties { decisionNumber issuingCity { name } } legalRepresentative { idNumber } } }`;
    expect(analyze(q)).toEqual({ cost: 35, depth: 4 });
  });

  it("expands named and inline fragments to the same numbers", () => {
    const q = `
      query { enterprise(uscc: "X") { ...E } }
      fragment E on Enterprise { name ... on Enterprise { administrativePenalties { ...P } } legalRepresentative { idNumber } }
      fragment P on AdministrativePenalty { decisionNumber issuingCity { name } }`;
    expect(analyze(q)).toEqual({ cost: 35, depth: 4 });
  });

  it("multiplies a connection at the connection field, not again at edges", () => {
    // edges: 1 + (cursor 1 + node (1 + name 1)) = 4 (not multiplied); pageInfo: 2
    // enterprises: 1 + 5 × (4 + 2) = 31; depth: enterprises > edges > node > name = 4
    expect(analyze(`{ enterprises(first: 5) { ${CONNECTION_BODY} } }`)).toEqual({ cost: 31, depth: 4 });
    // no `first`: 1 + 10 × 6 = 61
    expect(analyze(`{ enterprises { ${CONNECTION_BODY} } }`)).toEqual({ cost: 61, depth: 4 });
  });

  it("takes `first` from variables, the variable's default, else defaultListSize", () => {
    const q = `query Page($n: Int) { enterprises(first: $n) { ${CONNECTION_BODY} } }`;
    expect(analyze(q, { n: 3 }).cost).toBe(1 + 3 * 6); // 19
    expect(analyze(q, {}).cost).toBe(1 + 10 * 6); // 61: unset variable
    expect(analyze(q, undefined).cost).toBe(61);
    const withDefault = `query Page($n: Int = 7) { enterprises(first: $n) { ${CONNECTION_BODY} } }`;
    expect(analyze(withDefault, {}).cost).toBe(1 + 7 * 6); // 43
  });

  it("uses the argument's schema default when `first` is absent", () => {
    const s = buildSchema(`type Query { items(first: Int = 20): [Item!]! } type Item { id: ID! }`);
    // 1 + 20 × 1
    expect(analyzeOperation({ schema: s, document: parse(`{ items { id } }`) }, limits)).toEqual({ cost: 21, depth: 2 });
  });

  it("multiplies nested lists", () => {
    // penalties: 1 + 10 × 1 = 11; affiliates: 1 + 5 × 11 = 56; node: 57; edges: 58
    // enterprises: 1 + 20 × 58 = 1161; depth: enterprises > edges > node > affiliates > penalties > decisionNumber = 6
    const q = `{ enterprises(first: 20) { edges { node { affiliates(first: 5) { administrativePenalties { decisionNumber } } } } } }`;
    expect(analyze(q)).toEqual({ cost: 1161, depth: 6 });
  });

  it("counts __typename at its level and does not walk introspection", () => {
    // __typename 1 + enterprise (1 + __typename 1) = 3
    expect(analyze(`{ __typename enterprise(uscc: "X") { __typename } }`)).toEqual({ cost: 3, depth: 2 });
    expect(analyze(`{ __schema { types { fields { type { fields { name } } } } } }`)).toEqual({ cost: 1, depth: 1 });
  });

  it("honours @skip and @include", () => {
    const q = `query ($s: Boolean!) { cities @skip(if: $s) { name } enterprise(uscc: "X") { name @include(if: false) uscc } }`;
    expect(analyze(q, { s: true }).cost).toBe(2); // enterprise 1 + uscc 1
    expect(analyze(q, { s: false }).cost).toBe(11 + 2); // + cities 1 + 10 × 1
  });

  it("costs an unknown field 1 and does not walk below it", () => {
    // enterprise 1 + bogus 1 = 2
    expect(analyze(`{ enterprise(uscc: "X") { bogus { deeper { x } } } }`)).toEqual({ cost: 2, depth: 2 });
  });

  it("selects the operation by name", () => {
    const doc = `query A { cities { name } } query B { enterprise(uscc: "X") { name } }`;
    expect(analyze(doc, undefined, "A").cost).toBe(11);
    expect(analyze(doc, undefined, "B").cost).toBe(2);
    expect(thrown(() => analyze(doc)).extensions.code).toBe("OPERATION_RESOLUTION_FAILURE");
    expect(thrown(() => analyze(doc, undefined, "C")).extensions.code).toBe("OPERATION_RESOLUTION_FAILURE");
  });
});

describe("checkComplexity", () => {
  it("accepts a normal query: 20 enterprises with their penalties", () => {
    // penalties: 1 + 10 × (decisionNumber 1 + authority 1 + issuingCity 2) = 41
    // node: 1 + (uscc 1 + name 1 + legalRepresentative 2 + 41) = 46; edges: 1 + (cursor 1 + 46) = 48
    // pageInfo: 3; enterprises: 1 + 20 × (48 + 3) = 1021
    // depth: enterprises > edges > node > penalties > issuingCity > name = 6
    const q = `query Normal($city: ID) {
      enterprises(first: 20, filter: { cityCode: $city }) {
        edges { cursor node { uscc name legalRepresentative { idNumber }
          administrativePenalties { decisionNumber authority issuingCity { name } } } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    expect(check(q, { city: "610800" })).toEqual({ cost: 1021, depth: 6 });
  });

  it("reports and rejects a deep query (affiliates inside affiliates × 15)", () => {
    const nested = `${"affiliates(first: 1) { ".repeat(15)}name${" }".repeat(15)}`;
    const q = `{ enterprise(uscc: "X") { ${nested} } }`;
    // depth: enterprise 1 + 15 affiliates + name = 17; cost: 17 fields × 1 each (first: 1)
    expect(analyze(q)).toEqual({ depth: 17, cost: 17 });
    const err = thrown(() => check(q));
    expect(err.extensions).toEqual({ code: "QUERY_TOO_COMPLEX", depth: 17, cost: 17, maxDepth: 10, maxCost: 5000 });
    expect(err.message).toMatch(/^query depth 17 exceeds the limit 10/);
  });

  it("rejects an alias bomb of 500 aliases", () => {
    const aliases = Array.from({ length: 500 }, (_, i) => `e${i}: enterprise(uscc: "X") { administrativePenalties { decisionNumber } }`);
    // each: enterprise 1 + penalties (1 + 10 × 1) = 12; 500 × 12 = 6000
    const err = thrown(() => check(`{ ${aliases.join(" ")} }`));
    expect(err.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", cost: 6000, depth: 3 });
    expect(err.message).toBe("query cost 6000 exceeds the limit 5000: ask for fewer items (first) or fewer nested lists");
  });

  it("counts every alias: 1000 aliased fields cost at least 1000", () => {
    const fields = Array.from({ length: 1000 }, (_, i) => `n${i}: name`).join(" ");
    expect(analyze(`{ enterprise(uscc: "X") { ${fields} } }`).cost).toBe(1001);
  });

  it("rejects a fragment cycle (A spreads B spreads A) quickly", () => {
    const q = `
      query { enterprise(uscc: "X") { ...A } }
      fragment A on Enterprise { name affiliates { ...B } }
      fragment B on Enterprise { uscc affiliates { ...A } }`;
    const started = Date.now();
    const err = thrown(() => check(q));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(err.message).toContain("A -> B -> A");
    // a fragment spreading itself through an inline fragment
    const self = `{ enterprise(uscc: "X") { ...S } } fragment S on Enterprise { ... on Enterprise { ...S } }`;
    expect(thrown(() => analyze(self)).extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("rejects first: 2147483647 without overflow", () => {
    // 1 + 2147483647 × (edges 1 + node 1 + name 1) = 6442450942, exact
    const one = `{ enterprises(first: 2147483647) { edges { node { name } } } }`;
    expect(analyze(one).cost).toBe(6442450942);
    const nested = `{ enterprises(first: 2147483647) { edges { node {
      affiliates(first: 2147483647) { affiliates(first: 2147483647) { name } } } } } }`;
    const err = thrown(() => check(nested));
    expect(err.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", cost: Number.MAX_SAFE_INTEGER });
    // the same huge size from a variable
    const fromVar = `query ($n: Int) { cities { name } enterprises(first: $n) { edges { node { affiliates(first: $n) { affiliates(first: $n) { name } } } } } }`;
    expect(analyze(fromVar, { n: 2147483647 }).cost).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("analyses a fragment bomb (exponential expansion) in linear time, cost saturated", () => {
    const n = 60;
    const frags = Array.from({ length: n }, (_, i) =>
      `fragment F${i} on Enterprise { a: affiliates(first: 2) { ...F${i + 1} } b: affiliates(first: 2) { ...F${i + 1} } }`);
    const q = `{ enterprise(uscc: "X") { ...F0 } } ${frags.join("\n")} fragment F${n} on Enterprise { name }`;
    const started = Date.now();
    // depth: enterprise 1 + 60 affiliates + name
    expect(analyze(q)).toEqual({ depth: n + 2, cost: Number.MAX_SAFE_INTEGER });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("walks a 20,000-fragment chain without overflowing the stack", () => {
    const n = 20000;
    const frags = Array.from({ length: n }, (_, i) => `fragment F${i} on Enterprise { affiliates(first: 1) { ...F${i + 1} } }`);
    const q = `{ enterprise(uscc: "X") { ...F0 } } ${frags.join("\n")} fragment F${n} on Enterprise { name }`;
    const doc = parse(q);
    // enterprise + 20000 affiliates + name, each 1
    expect(analyzeOperation({ schema, document: doc }, limits)).toEqual({ depth: n + 2, cost: n + 2 });
    expect(thrown(() => checkComplexity({ schema, document: doc }, limits)).extensions.code).toBe("QUERY_TOO_COMPLEX");
  });
});

describe("saturating arithmetic", () => {
  it("caps at Number.MAX_SAFE_INTEGER", () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(saturatingAdd(max, 1)).toBe(max);
    expect(saturatingMul(max, 2)).toBe(max);
    expect(saturatingMul(2147483647, 2147483647)).toBe(max);
    expect(saturatingMul(0, max)).toBe(0);
    expect(saturatingMul(3, 7)).toBe(21);
  });
});
