import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { STORES, startTestHub, postGraphQL, type TestHub } from "./support.js";
import { checkUscc } from "../lib/ids/index.js";
import { requireServices } from "./services.js";

await requireServices("postgres");

const MASKED_ID = /^\d{6}\*{8}[\dX]{4}$/;
const MASKED_NAME = /^.\*$/u;

interface EnterpriseNode {
  uscc: string;
  name: string;
  status: string;
  registeredCity: { code: string; name: string };
  legalRepresentative: { idNumber: string; name: string } | null;
}
interface EnterprisePage {
  enterprises: { edges: Array<{ cursor: string; node: EnterpriseNode }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** The raw ID number, read from the store as only the hub itself can. */
async function rawRepresentativeId(hub: TestHub, uscc: string): Promise<string> {
  const row = await hub.store.prisma.enterprise.findUniqueOrThrow({ where: { uscc } });
  return row.legalRepresentativeId!;
}

const PAGE = `query Page($filter: EnterpriseFilter, $first: Int, $after: String) {
  enterprises(filter: $filter, first: $first, after: $after) {
    edges { cursor node { uscc name status registeredCity { code name } legalRepresentative { idNumber name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe.each(STORES)("the hub on %s", (kind) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(kind, 25);
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it("lists the six partner cities", async () => {
    const r = await hub.query<{ cities: Array<{ code: string; name: string; province: string }> }>("{ cities { code name province } }");
    expect(r.errors).toBeUndefined();
    expect(r.data!.cities.map((c) => c.code).sort()).toEqual(["150100", "610600", "610800", "620100", "620800", "640100"]);
    expect(r.data!.cities.find((c) => c.code === "610800")).toEqual({ code: "610800", name: "榆林市", province: "陕西省" });
  });

  it("pages through every enterprise in USCC order with keyset cursors", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r: Awaited<ReturnType<typeof hub.query<EnterprisePage>>> = await hub.query<EnterprisePage>(PAGE, { first: 40, after });
      expect(r.errors).toBeUndefined();
      seen.push(...r.data!.enterprises.edges.map((e) => e.node.uscc));
      if (!r.data!.enterprises.pageInfo.hasNextPage) break;
      after = r.data!.enterprises.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(150);
    expect(new Set(seen).size).toBe(150);
    expect([...seen].sort()).toEqual(seen);
    for (const uscc of seen) expect(checkUscc(uscc).ok).toBe(true);
  });

  it("filters by city, status and part of the name", async () => {
    let total = 0;
    for (const code of ["150100", "610600", "610800", "620100", "620800", "640100"]) {
      const r = await hub.query<EnterprisePage>(PAGE, { filter: { cities: [code] }, first: 100 });
      expect(r.data!.enterprises.edges.length).toBeGreaterThan(0);
      for (const e of r.data!.enterprises.edges) expect(e.node.registeredCity.code).toBe(code);
      total += r.data!.enterprises.edges.length;
    }
    expect(total).toBe(150);
    // The deprecated single-city filter still answers the same.
    const byCity = await hub.query<EnterprisePage>(PAGE, { filter: { cityCode: "620100" }, first: 100 });
    for (const e of byCity.data!.enterprises.edges) expect(e.node.registeredCity).toEqual({ code: "620100", name: "兰州市" });
    const two = await hub.query<EnterprisePage>(PAGE, { filter: { cities: ["620100", "640100"] }, first: 100 });
    expect(new Set(two.data!.enterprises.edges.map((e) => e.node.registeredCity.code))).toEqual(new Set(["620100", "640100"]));
    expect(two.data!.enterprises.edges).toHaveLength(byCity.data!.enterprises.edges.length + (await hub.query<EnterprisePage>(PAGE, { filter: { cities: ["640100"] }, first: 100 })).data!.enterprises.edges.length);

    const active = await hub.query<EnterprisePage>(PAGE, { filter: { status: "ACTIVE" }, first: 100 });
    expect(active.data!.enterprises.edges.length).toBeGreaterThan(0);
    for (const e of active.data!.enterprises.edges) expect(e.node.status).toBe("ACTIVE");

    const sample = byCity.data!.enterprises.edges[0].node.name;
    const fragment = Array.from(sample).slice(3, 5).join("");
    const byName = await hub.query<EnterprisePage>(PAGE, { filter: { nameContains: fragment }, first: 100 });
    expect(byName.data!.enterprises.edges.length).toBeGreaterThan(0);
    for (const e of byName.data!.enterprises.edges) expect(e.node.name).toContain(fragment);
  });

  it("treats LIKE wildcards in nameContains as plain text", async () => {
    for (const text of ["%", "_", "\\"]) {
      const r = await hub.query<EnterprisePage>(PAGE, { filter: { nameContains: text }, first: 10 });
      expect(r.errors).toBeUndefined();
      expect(r.data!.enterprises.edges).toHaveLength(0);
    }
  });

  it("assembles one enterprise from both subgraphs with personal data masked", async () => {
    const page = await hub.query<EnterprisePage>(PAGE, { first: 100 });
    const withRep = page.data!.enterprises.edges.find((e) => e.node.legalRepresentative)!.node;
    const r = await hub.query<{ enterprise: Record<string, unknown> & { legalRepresentative: { idNumber: string; name: string; city: { code: string } } } }>(
      `query($u: ID!) { enterprise(uscc: $u) {
        uscc name legalRepresentativeName registeredCapital establishedOn status industryCode address
        registeredCity { code name province }
        administrativeLicenses { decisionNumber licenseName authority decidedOn content issuingCity { code } }
        administrativePenalties(includeExpired: true) { decisionNumber authority decidedOn content publicityUntil issuingCity { code } }
        legalRepresentative { idNumber name city { code } professionalQualifications { title issuingCity { name } } }
      } }`,
      { u: withRep.uscc },
    );
    expect(r.errors).toBeUndefined();
    const e = r.data!.enterprise;
    expect(e.uscc).toBe(withRep.uscc);
    expect(e.registeredCapital).toMatch(/^\d+\.\d{2}$/);
    expect(e.establishedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(e.legalRepresentative.idNumber).toMatch(MASKED_ID);
    expect(e.legalRepresentative.name).toMatch(MASKED_NAME);
    expect(withRep.legalRepresentative!.idNumber).toMatch(MASKED_ID);
  });

  it("masks personal fields under aliases and fragments too", async () => {
    const page = await hub.query<EnterprisePage>(PAGE, { first: 100 });
    const uscc = page.data!.enterprises.edges.find((e) => e.node.legalRepresentative)!.node.uscc;
    const r = await hub.query<{ enterprise: { rep: { a: string; b: string } } }>(
      `query($u: ID!) { enterprise(uscc: $u) { rep: legalRepresentative { ...P } } } fragment P on Individual { a: idNumber b: name }`,
      { u: uscc },
    );
    expect(r.data!.enterprise.rep.a).toMatch(MASKED_ID);
    expect(r.data!.enterprise.rep.b).toMatch(MASKED_NAME);
  });

  it("answers an unknown enterprise with null and no error", async () => {
    const r = await hub.query("{ enterprise(uscc: \"91110000600037341L\") { name } }");
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ enterprise: null });
  });

  it.each([
    ["an invalid USCC check character", `{ enterprise(uscc: "91110000600037341N") { name } }`, "check character expected 'L', got 'N'"],
    ["a USCC with forbidden letters", `{ enterprise(uscc: "9111000060003IOZSV") { name } }`, "not allowed"],
    ["an unknown city", `{ enterprises(filter: { cityCode: "110000" }) { edges { cursor } } }`, "not a partner city"],
    ["an unknown city in cities", `{ enterprises(filter: { cities: ["610800", "110000"] }) { edges { cursor } } }`, "not a partner city"],
    ["a page over the cap", `{ enterprises(first: 1000) { edges { cursor } } }`, "between 1 and 100"],
    ["a forged cursor", `{ enterprises(after: "bm90LWEtdXNjYw") { edges { cursor } } }`, "not a cursor"],
    ["an ID number with a wrong check digit", `{ individual(idNumber: "36042619910102009X", purpose: "贷款审批") { name } }`, "check digit expected"],
    ["an impossible birth date", `{ individual(idNumber: "360426199113010079", purpose: "贷款审批") { name } }`, "real birth date"],
    ["a look-up without a purpose", `{ individual(idNumber: "360426199101010071", purpose: " ") { name } }`, "purpose"],
  ])("rejects %s with BAD_USER_INPUT and an actionable message", async (_label, query, text) => {
    const r = await hub.query(query);
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.errors![0].message).toContain(text);
    expect(JSON.stringify(r.errors)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });

  it("looks up an individual with a purpose, masked", async () => {
    const page = await hub.query<EnterprisePage>(PAGE, { first: 100 });
    const rep = page.data!.enterprises.edges.find((e) => e.node.legalRepresentative)!.node;
    const raw = await rawRepresentativeId(hub, rep.uscc);
    expect(raw).toMatch(/^\d{17}[\dX]$/);
    const r = await hub.query<{ individual: { idNumber: string; name: string; city: { code: string } } }>(
      `query($id: ID!) { individual(idNumber: $id, purpose: "信贷审批") { idNumber name city { code } } }`, { id: raw });
    expect(r.errors).toBeUndefined();
    expect(r.data!.individual.idNumber).toBe(raw.slice(0, 6) + "********" + raw.slice(-4));
    expect(r.data!.individual.name).toMatch(MASKED_NAME);
  });

  it("answers nothing but its SDL when a subgraph is reached directly, not through the gateway", async () => {
    const page = await hub.query<EnterprisePage>(PAGE, { first: 5 });
    const uscc = page.data!.enterprises.edges[0].node.uscc;
    for (const [name, query] of [
      ["enterprise", `{ _entities(representations: [{ __typename: "Enterprise", uscc: "${uscc}" }]) { ... on Enterprise { name legalRepresentative { ref } } } }`],
      ["enterprise", "{ enterprises { edges { cursor } } }"],
      ["individual", `{ individual(idNumber: "360426199101010071", purpose: "贷款审批") { name } }`],
    ] as const) {
      const r = await postGraphQL(hub.subgraphs[name].url, query);
      expect(r.status).toBe(401);
      expect(r.data ?? null).toBeNull();
      expect(r.errors![0].extensions?.code).toBe("UNAUTHENTICATED");
    }
    const sdl = await postGraphQL<{ _service: { sdl: string } }>(hub.subgraphs.individual.url, "{ _service { sdl } }");
    expect(sdl.data!._service.sdl).toContain("type Individual");
  });

  it("costs a constant number of SQL statements however many enterprises a query returns", async () => {
    const q = `query($n: Int) { enterprises(first: $n) { edges { node {
      uscc name registeredCity { name }
      administrativeLicenses { decisionNumber issuingCity { name } }
      administrativePenalties(includeExpired: true) { decisionNumber }
      legalRepresentative { name professionalQualifications { title } }
    } } } }`;
    const count = async (n: number) => {
      const before = hub.store.statements.count;
      const r = await hub.query<EnterprisePage>(q, { n });
      expect(r.errors).toBeUndefined();
      expect(r.data!.enterprises.edges).toHaveLength(n);
      return hub.store.statements.count - before;
    };
    await hub.settle();
    const for10 = await count(10);
    const for100 = await count(100);
    // page + licenses + penalties in the enterprise subgraph; individuals + qualifications in the other.
    expect(for100).toBe(for10);
    expect(for100).toBeLessThanOrEqual(5);
  });

  it("serves /health and /ready on the gateway and every subgraph", async () => {
    for (const url of [hub.url, ...Object.values(hub.subgraphs).map((s) => s.url)]) {
      for (const path of ["/health", "/ready"]) {
        const res = await fetch(url.replace("/graphql", path));
        expect(res.status).toBe(200);
      }
    }
  });

  it("hides introspection by default", async () => {
    const r = await hub.query("{ __schema { types { name } } }");
    expect(r.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});
