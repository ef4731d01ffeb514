import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestHub, postGraphQL, tokenFor, type TestHub } from "./support.js";
import { loadConfig } from "../lib/config.js";
import { requireServices } from "./services.js";

await requireServices("postgres");

const RAW_ID = /\b\d{17}[\dX]\b/;
const MASKED_ID = /^\d{6}\*{8}[\dX]{4}$/;

describe("partner access control and query registration", () => {
  let hub: TestHub;
  let person: { idNumber: string; name: string; cityCode: string };
  let usccWithRep: string;

  beforeAll(async () => {
    hub = await startTestHub("postgres", 8, 11);
    const e = await hub.store.prisma.enterprise.findFirstOrThrow({ where: { legalRepresentativeId: { not: null } }, orderBy: { uscc: "asc" } });
    usccWithRep = e.uscc;
    person = await hub.store.prisma.individual.findUniqueOrThrow({ where: { idNumber: e.legalRepresentativeId! } });
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  const lookUp = (purpose = "贷款审批") => `{ individual(idNumber: "${person.idNumber}", purpose: "${purpose}") { idNumber name city { code } } }`;

  it("answers nothing without a token but /health", async () => {
    const r = await hub.query("{ cities { code } }", undefined, { as: null });
    expect(r.status).toBe(401);
    expect(r.errors![0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(r.errors![0].message).toContain("Authorization: Bearer");
    expect(r.data ?? null).toBeNull();
    expect((await fetch(hub.url.replace("/graphql", "/health"))).status).toBe(200);
  });

  it("refuses a field whose scope the token lacks, naming the scope", async () => {
    const r = await hub.query("{ enterprises(first: 1) { edges { cursor } } }", undefined, { as: { scopes: ["graph:read"] } });
    expect(r.errors![0].extensions?.code).toBe("FORBIDDEN");
    expect(r.errors![0].message).toContain("credit:read");
    expect(r.data ?? null).toBeNull();
  });

  it("shows personal fields unmasked only with personal:read, registering each look-up", async () => {
    const before = await hub.store.prisma.queryRegistration.count({ where: { subjectId: person.idNumber } });
    const masked = await hub.query<{ individual: { idNumber: string; name: string } }>(lookUp());
    expect(masked.data!.individual.idNumber).toMatch(MASKED_ID);
    const full = await hub.query<{ individual: { idNumber: string; name: string } }>(lookUp("信贷审批核查"), undefined, { as: { city: "620100", sub: "lanzhou-bank", scopes: ["credit:read", "personal:read"] } });
    expect(full.errors).toBeUndefined();
    expect(full.data!.individual).toMatchObject({ idNumber: person.idNumber, name: person.name });
    const rows = await hub.store.prisma.queryRegistration.findMany({ where: { subjectId: person.idNumber }, orderBy: { id: "asc" } });
    expect(rows.length - before).toBe(2);
    expect(rows.at(-1)).toMatchObject({ callerSub: "lanzhou-bank", callerCityCode: "620100", purpose: "信贷审批核查", unmasked: true, fields: ["city", "idNumber", "name"], field: "Query.individual", result: "FOUND" });
    expect(rows.at(-2)).toMatchObject({ callerSub: "test-partner", unmasked: false });
  });

  it("lets the person's home city read the registrations with audit:read, and no other city", async () => {
    await hub.query(lookUp("招投标资格审查"), undefined, { as: { city: "640100", sub: "yinchuan-bidding" } });
    const q = `{ queryRegistrations(subject: "${person.idNumber}", first: 50) { edges { node { caller callerCity { code } purpose fields unmasked at } } pageInfo { hasNextPage } } }`;
    const home = await hub.query<{ queryRegistrations: { edges: Array<{ node: { caller: string; callerCity: { code: string }; purpose: string } }> } }>(q, undefined, { as: { city: person.cityCode, scopes: ["audit:read"] } });
    expect(home.errors).toBeUndefined();
    expect(home.data!.queryRegistrations.edges[0].node).toMatchObject({ caller: "yinchuan-bidding", callerCity: { code: "640100" }, purpose: "招投标资格审查" });
    const otherCity = person.cityCode === "620800" ? "640100" : "620800";
    const other = await hub.query(q, undefined, { as: { city: otherCity, scopes: ["audit:read"] } });
    expect(other.errors![0].extensions?.code).toBe("FORBIDDEN");
    expect(other.errors![0].message).toContain(person.cityCode);
    const noScope = await hub.query(q, undefined, { as: { city: person.cityCode, scopes: ["credit:read"] } });
    expect(noScope.errors![0].extensions?.code).toBe("FORBIDDEN");
    expect(noScope.errors![0].message).toContain("audit:read");
  });

  it("needs a stated purpose to unmask a person reached through another record", async () => {
    // Only the ID number: it must still come from the individual subgraph, which registers it.
    const q = `{ enterprise(uscc: "${usccWithRep}") { name legalRepresentative { idNumber } } }`;
    const as = { city: "610600", sub: "yanan-tax", scopes: ["credit:read", "personal:read"] };
    const without = await hub.query<{ enterprise: { name: string; legalRepresentative: unknown } }>(q, undefined, { as });
    expect(without.errors![0].extensions?.code).toBe("FORBIDDEN");
    expect(without.errors![0].message).toContain("X-Hub-Purpose");
    expect(without.data!.enterprise.name).toBeTruthy();
    expect(without.data!.enterprise.legalRepresentative).toBeNull();
    expect(JSON.stringify(without)).not.toMatch(RAW_ID);

    const withPurpose = await hub.query<{ enterprise: { legalRepresentative: { idNumber: string } } }>(q, undefined, { as, headers: { "x-hub-purpose": encodeURIComponent("税务稽查") } });
    expect(withPurpose.errors).toBeUndefined();
    expect(withPurpose.data!.enterprise.legalRepresentative.idNumber).toBe(person.idNumber);
    const last = await hub.store.prisma.queryRegistration.findFirstOrThrow({ where: { callerSub: "yanan-tax" }, orderBy: { id: "desc" } });
    expect(last).toMatchObject({ subjectId: person.idNumber, purpose: "税务稽查", unmasked: true });
  });

  it("returns no personal data when the registration cannot be written", async () => {
    await hub.store.prisma.$executeRawUnsafe(`ALTER TABLE audit.query_registration RENAME TO query_registration_offline`);
    try {
      const r = await hub.query<{ individual: unknown }>(lookUp(), undefined, { as: { scopes: ["credit:read", "personal:read"] } });
      expect(r.errors?.[0].extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      expect(r.data?.individual ?? null).toBeNull();
      expect(JSON.stringify(r)).not.toContain(person.idNumber);
      expect(JSON.stringify(r)).not.toContain(person.name);
    } finally {
      await hub.store.prisma.$executeRawUnsafe(`ALTER TABLE audit.query_registration_offline RENAME TO query_registration`);
    }
  });

  it("lets a role narrow a token's scopes and refuse its denied fields before anything runs (F49)", async () => {
    const hotline = { sub: "hotline-yulin", city: "610800", role: "hotline-12345", scopes: ["credit:read", "personal:read", "graph:read"] };
    const name = await hub.query<{ enterprise: { name: string } }>(`{ enterprise(uscc: "${usccWithRep}") { name registeredCity { name } } }`, undefined, { as: hotline });
    expect({ status: name.status, errors: name.errors }).toEqual({ status: 200, errors: undefined });
    expect(name.data!.enterprise.name).toBeTruthy();
    const before = hub.store.statements.count;
    const person = await hub.query(`{ enterprise(uscc: "${usccWithRep}") { name legalRepresentative { name } } }`, undefined, { as: hotline });
    expect({ status: person.status, code: person.errors?.[0].extensions?.code }).toEqual({ status: 403, code: "FORBIDDEN" });
    expect(person.errors![0].message).toContain("Enterprise.legalRepresentative");
    expect(person.errors![0].extensions?.deniedFields).toEqual(["Individual.name", "Enterprise.legalRepresentative"]);
    expect(person.data ?? null).toBeNull();
    expect(hub.store.statements.count).toBe(before);
    // The token said personal:read and graph:read, the role allows neither.
    const graph = await hub.query(`{ enterprise(uscc: "${usccWithRep}") { relatedPartyRisk { score } } }`, undefined, { as: hotline });
    expect(graph.errors![0].extensions?.code).toBe("FORBIDDEN");
    expect(graph.errors![0].message).toContain("graph:read");
    const direct = await hub.query(lookUp(), undefined, { as: hotline });
    expect(direct.errors![0].extensions?.code).toBe("FORBIDDEN");
    expect(direct.errors![0].extensions?.deniedFields).toEqual(["Individual.idNumber", "Individual.name"]);
  });

  it("refuses a token naming a role the hub does not know", async () => {
    const r = await hub.query("{ cities { code } }", undefined, { as: { role: "superuser", scopes: ["admin"] } });
    expect({ status: r.status, code: r.errors?.[0].extensions?.code }).toEqual({ status: 401, code: "UNAUTHENTICATED" });
    expect(r.errors![0].message).toContain("role 'superuser'");
  });

  it("registers every look-up that names a subject, with role, organisation, city, purpose, basis, fields and result (F47)", async () => {
    const as = { city: "620100", sub: "lanzhou-court", role: "court", org: "兰州市中级人民法院", scopes: ["credit:read", "personal:read", "graph:read"] };
    const headers = { "x-hub-purpose": encodeURIComponent("执行案件财产调查") };
    const ask = (q: string) => hub.query(q, undefined, { as, headers });
    const since = (await hub.store.prisma.queryRegistration.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    for (const q of [
      `{ enterprise(uscc: "${usccWithRep}") { name administrativePenalties { decisionNumber } } }`,
      `{ marketBanStatus(subject: "${person.idNumber}") { banned } }`,
      `{ listEntries(filter: { subject: "${person.idNumber}" }) { edges { node { id } } } }`,
      `{ relationPath(from: "${person.idNumber}", to: "${usccWithRep}") { length } }`,
      `{ individual(idNumber: "${person.idNumber}", purpose: "执行案件财产调查") { name affiliates { totalCount } } }`,
    ]) expect((await ask(q)).errors).toBeUndefined();
    const rows = await hub.store.prisma.queryRegistration.findMany({ where: { id: { gt: since }, callerSub: "lanzhou-court" }, orderBy: { id: "asc" } });
    const seen = rows.map((r) => [r.field, r.subjectKind, r.subjectId, r.result]);
    expect(seen).toEqual(expect.arrayContaining([
      ["Query.enterprise", "ENTERPRISE", usccWithRep, "FOUND"],
      ["Query.marketBanStatus", "INDIVIDUAL", person.idNumber, "FOUND"],
      ["Query.listEntries", "INDIVIDUAL", person.idNumber, "NOT_FOUND"],
      ["Query.relationPath", "INDIVIDUAL", person.idNumber, expect.any(String)],
      ["Query.relationPath", "ENTERPRISE", usccWithRep, expect.any(String)],
      ["Query.individual", "INDIVIDUAL", person.idNumber, "FOUND"],
      ["Individual.affiliates", "INDIVIDUAL", person.idNumber, expect.any(String)],
    ]));
    for (const r of rows) expect(r).toMatchObject({ callerRole: "court", callerOrg: "兰州市中级人民法院", callerCityCode: "620100", purpose: "执行案件财产调查" });
    expect(rows.find((r) => r.field === "Query.enterprise")!.fields).toEqual(["administrativePenalties", "name"]);
    expect(rows.find((r) => r.field === "Query.individual")).toMatchObject({ basis: "personal:read (statutory)", unmasked: true, grantId: null });
    // Refused look-ups are kept too.
    const refused = await hub.query(`{ relationPath(from: "${person.idNumber}", to: "${usccWithRep}") { length } }`, undefined, { as: { ...as, scopes: ["credit:read"] }, headers });
    expect(refused.errors![0].extensions?.code).toBe("FORBIDDEN");
    const last = await hub.store.prisma.queryRegistration.findFirstOrThrow({ where: { callerSub: "lanzhou-court", field: "Query.relationPath" }, orderBy: { id: "desc" } });
    expect(last.result).toBe("REFUSED");
  });

  it("gives no answer from any subgraph when its registration cannot be written", async () => {
    await hub.store.prisma.$executeRawUnsafe(`ALTER TABLE audit.query_registration RENAME TO query_registration_offline`);
    try {
      for (const q of [`{ marketBanStatus(subject: "${person.idNumber}") { banned } }`, `{ enterprise(uscc: "${usccWithRep}") { name } }`]) {
        const r = await hub.query<Record<string, unknown>>(q, undefined, { as: { scopes: ["credit:read"] } });
        expect(r.errors?.[0].extensions?.code).toBe("INTERNAL_SERVER_ERROR");
        expect(Object.values(r.data ?? {}).every((v) => v === null)).toBe(true);
      }
    } finally {
      await hub.store.prisma.$executeRawUnsafe(`ALTER TABLE audit.query_registration_offline RENAME TO query_registration`);
    }
  });

  it("shows a person's fields to an institution only under the person's grant, and refuses at once after revocation (F48)", async () => {
    const bank = { city: "620100", sub: "lanzhou-bank-credit", role: "financial-institution", org: "兰州银行", scopes: ["credit:read", "personal:granted"] };
    const office = { city: person.cityCode, sub: "credit-office", role: "credit-office", scopes: ["credit:read", "grants:write", "audit:read"] };
    const look = () => hub.query<{ individual: { idNumber: string; name: string } | null }>(lookUp("贷款审批"), undefined, { as: bank });
    const before = await look();
    expect(before.errors![0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "GRANT_REQUIRED", grantee: "兰州银行" });
    expect(before.errors![0].message).toContain("grantPersonalAccess");
    expect(JSON.stringify(before)).not.toContain(person.idNumber);
    const grant = await hub.query<{ grantPersonalAccess: { id: string; inForce: boolean } }>(
      `mutation($i: AccessGrantInput!) { grantPersonalAccess(input: $i) { id inForce } }`,
      { i: { subject: person.idNumber, organisation: "兰州银行", purpose: "贷款审批", validFrom: "2026-01-01", validTo: "2099-12-31", evidence: "授权书-2026-0042" } }, { as: office });
    expect(grant.errors).toBeUndefined();
    expect(grant.data!.grantPersonalAccess.inForce).toBe(true);
    const granted = await look();
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.individual).toMatchObject({ idNumber: person.idNumber, name: person.name });
    const reg = await hub.store.prisma.queryRegistration.findFirstOrThrow({ where: { callerSub: "lanzhou-bank-credit", result: "FOUND" }, orderBy: { id: "desc" } });
    expect(reg).toMatchObject({ grantId: BigInt(grant.data!.grantPersonalAccess.id), basis: null, unmasked: true, callerOrg: "兰州银行" });
    // Another purpose is not covered by the grant.
    const other = await hub.query(lookUp("营销推广"), undefined, { as: bank });
    expect(other.errors![0].extensions?.reason).toBe("GRANT_REQUIRED");
    const revoked = await hub.query(`mutation { revokePersonalAccess(id: "${grant.data!.grantPersonalAccess.id}", reason: "本人撤回授权") { inForce revokedAt } }`, undefined, { as: office });
    expect(revoked.errors).toBeUndefined();
    const after = await look();
    expect(after.errors![0].extensions?.reason).toBe("GRANT_REQUIRED");
    expect(JSON.stringify(after)).not.toContain(person.idNumber);
    const refusedReg = await hub.store.prisma.queryRegistration.findFirstOrThrow({ where: { callerSub: "lanzhou-bank-credit" }, orderBy: { id: "desc" } });
    expect(refusedReg.result).toBe("REFUSED");
  });

  it("refuses an operation whose computed cost is over the limit, before execution", async () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: enterprises(first: 100) { edges { node { administrativeLicenses { decisionNumber } } } }`).join(" ");
    const r = await hub.query(`{ ${aliases} }`);
    expect(r.errors![0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", maxCost: 25000 });
    expect(r.errors![0].message).toMatch(/cost \d+ exceeds the limit 25000/);
  });

  it("runs automatic persisted queries", async () => {
    const query = "{ cities { code } }";
    const ext = { persistedQuery: { version: 1, sha256Hash: createHash("sha256").update(query).digest("hex") } };
    const headers = { "content-type": "application/json", authorization: `Bearer ${await tokenFor()}` };
    const send = (body: object) => fetch(hub.url, { method: "POST", headers, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ data?: unknown; errors?: Array<{ extensions?: { code?: string } }> }>);
    expect((await send({ extensions: ext })).errors![0].extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect((await send({ query, extensions: ext })).data).toBeTruthy();
    expect((await send({ extensions: ext })).data).toEqual({ cities: expect.arrayContaining([{ code: "610800" }]) });
  });

  it("refuses HUB_AUTH=off in production", () => {
    expect(() => loadConfig({ HUB_AUTH: "off", NODE_ENV: "production", HUB_JWT_SECRET: "x".repeat(40) })).toThrow(/HUB_AUTH=off is refused/);
    expect(loadConfig({ HUB_AUTH: "off" }).HUB_AUTH).toBe("off");
  });
});

describe("trusted documents mode", () => {
  let hub: TestHub;
  const trusted = "query Cities { cities { code name } }";
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "hub-trusted-"));
    const file = join(dir, "manifest.json");
    writeFileSync(file, JSON.stringify({ format: "apollo-persisted-query-manifest", version: 1, operations: [{ id: "cities", name: "Cities", type: "query", body: trusted }] }));
    hub = await startTestHub("embedded", 0, 1, { HUB_TRUSTED_DOCUMENTS: file });
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it("runs a registered operation, in full or by hash, and nothing else", async () => {
    expect((await hub.query(trusted)).data).toBeTruthy();
    const hash = createHash("sha256").update(trusted).digest("hex");
    const r = await postGraphQL(hub.url, "", undefined, { authorization: `Bearer ${await tokenFor()}` });
    expect(r.status).toBeGreaterThanOrEqual(400);
    const byHash = await fetch(hub.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await tokenFor()}` },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    }).then((x) => x.json() as Promise<{ data?: { cities: unknown[] } }>);
    expect(byHash.data?.cities).toHaveLength(6);
    const other = await hub.query("{ cities { code } }");
    expect(other.errors![0].extensions?.code).toBe("OPERATION_NOT_TRUSTED");
  });
});
