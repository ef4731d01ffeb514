import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { SignJWT } from "jose";
import { startHub, type RunningHub } from "../hub/start.js";
import { gatewayLimitsFromConfig } from "../gateway/index.js";
import { loadConfig } from "../lib/config.js";
import { createLogger, type Logger } from "../lib/logger.js";
import { TEST_JWT_SECRET, tokenFor, postGraphQL, type TokenClaims } from "./support.js";

/**
 * No personal data and no credentials in the logs: a hub whose logger (the
 * product's own, from createLogger, with its redaction) writes to memory is
 * sent tokens, raw ID numbers and requests that fail, and its log is searched.
 */

/** A raw resident ID number (18 characters, not part of a longer code). */
const RAW_ID = /(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])/g;
const JWT = /eyJ[\w-]{4,}\.[\w-]{4,}/;

/**
 * The product's own logger (createLogger, with its redaction) writing to memory:
 * what is captured is byte for byte what the product would write; child loggers
 * (gateway, subgraphs) inherit the destination.
 */
function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger("logs-test", "debug", { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

describe("the hub's logs", () => {
  let hub: RunningHub;
  let lines: string[];
  const sentIds = new Set<string>();
  const sentTokens = new Set<string>();

  const as = async (claims: TokenClaims) => {
    const token = await tokenFor(claims);
    sentTokens.add(token);
    return { authorization: `Bearer ${token}` };
  };
  const ask = async (query: string, variables: Record<string, unknown> | undefined, claims: TokenClaims, headers: Record<string, string> = {}) =>
    postGraphQL<Record<string, unknown>>(hub.url, query, variables, { ...(await as(claims)), ...headers });

  beforeAll(async () => {
    const capture = capturingLogger();
    lines = capture.lines;
    hub = await startHub({
      store: { kind: "embedded" }, port: 0, host: "127.0.0.1", seedPerCity: 5, seed: 5, maxPageSize: 100, logger: capture.logger,
      auth: { mode: "on", tokens: { secret: TEST_JWT_SECRET } },
      limits: gatewayLimitsFromConfig(loadConfig({})),
    });
    const people = await hub.store.prisma.individual.findMany({ take: 4, orderBy: { idNumber: "asc" } });
    expect(people.length).toBe(4);
    const reader = { sub: "log-reader", scopes: ["credit:read"] };
    const unmasking = { sub: "log-unmasker", scopes: ["credit:read", "personal:read", "audit:read", "admin"] };
    const lookUp = "query($id: ID!, $p: String!) { individual(idNumber: $id, purpose: $p) { idNumber name city { code } } }";

    for (const p of people) {
      sentIds.add(p.idNumber);
      // Look-ups by raw ID number, in variables and in the query text, masked and unmasked.
      expect((await ask(lookUp, { id: p.idNumber, p: "贷款审批" }, reader)).errors).toBeUndefined();
      expect((await ask(`{ individual(idNumber: "${p.idNumber}", purpose: "贷款审批") { idNumber name } }`, undefined, unmasking)).errors).toBeUndefined();
      // Bad ID numbers: a wrong check digit and a wrong date, built from the real ones.
      const wrongCheck = p.idNumber.slice(0, 17) + (p.idNumber[17] === "1" ? "2" : "1");
      const wrongDate = p.idNumber.slice(0, 10) + "13" + p.idNumber.slice(12);
      for (const bad of [wrongCheck, wrongDate]) {
        sentIds.add(bad);
        expect((await ask(lookUp, { id: bad, p: "贷款审批" }, reader)).errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      }
      // Input the store rejects (a NUL in the purpose, an out-of-range cursor): errors, whatever their code.
      await ask(lookUp, { id: p.idNumber, p: "贷款\u0000审批" }, unmasking);
      await ask(`query($s: ID!, $a: String) { queryRegistrations(subject: $s, after: $a) { edges { node { purpose } } } }`,
        { s: p.idNumber, a: Buffer.from("9999999999999999999").toString("base64url") }, unmasking);
    }
    // Personal data reached through an enterprise, with a purpose, unmasked.
    expect((await ask("{ enterprises(first: 50) { edges { node { legalRepresentative { idNumber name } } } } }", undefined, unmasking, { "x-hub-purpose": encodeURIComponent("税务稽查") })).errors).toBeUndefined();
    // A token in a variable and as a purpose; refused tokens; a forged identity straight to a subgraph.
    const stray = await tokenFor({ sub: "stray" });
    sentTokens.add(stray);
    await ask(lookUp, { id: people[0].idNumber, p: stray.slice(0, 200) }, reader);
    const forged = await new SignJWT({ city: "610800", scopes: ["admin"] }).setProtectedHeader({ alg: "HS256" }).setSubject("forger").setExpirationTime("5m").sign(new TextEncoder().encode("a-wrong-secret-a-wrong-secret-0123"));
    sentTokens.add(forged);
    expect((await postGraphQL(hub.url, "{ cities { code } }", undefined, { authorization: `Bearer ${forged}` })).status).toBe(401);
    expect((await postGraphQL(hub.url, "{ cities { code } }", undefined, { authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." })).status).toBe(401);
    expect((await postGraphQL(hub.subgraphs.individual.url, lookUp, { id: people[1].idNumber, p: "x" }, { "x-hub-identity": forged })).status).toBe(401);

    // A guaranteed internal error on a look-up: the registration cannot be written, so the resolver fails and is logged.
    await hub.store.prisma.$executeRawUnsafe("ALTER TABLE audit.query_registration RENAME TO query_registration_offline");
    try {
      const r = await ask(lookUp, { id: people[2].idNumber, p: "贷款审批" }, unmasking);
      expect(r.errors?.[0].extensions?.code).toBe("INTERNAL_SERVER_ERROR");
    } finally {
      await hub.store.prisma.$executeRawUnsafe("ALTER TABLE audit.query_registration_offline RENAME TO query_registration");
    }
  }, 120_000);

  afterAll(async () => {
    await hub?.close();
  });

  it("were written, as one JSON object a line, startup and the internal errors included", () => {
    const entries = lines.join("").split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(entries.length).toBeGreaterThan(0);
    const messages = entries.map((e) => e.msg);
    expect(messages).toContain("gateway listening");
    expect(messages.filter((m) => m === "subgraph listening")).toHaveLength(Object.keys(hub.subgraphs).length);
    // The failed look-up was logged (so the error path, where leaks happen, is covered).
    expect(entries.some((e) => e.level >= 50 && e.msg === "unexpected error in resolver")).toBe(true);
  });

  it("contain no ID number sent or stored, raw", async () => {
    const text = lines.join("");
    const usccs = new Set((await hub.store.prisma.enterprise.findMany({ select: { uscc: true } })).map((e) => e.uscc));
    const stored = (await hub.store.prisma.individual.findMany({ select: { idNumber: true } })).map((i) => i.idNumber);
    expect(stored.length).toBeGreaterThan(0);
    const ids = [...stored, ...sentIds];
    expect(lines.filter((line) => ids.some((id) => line.includes(id)))).toEqual([]);
    // Nor anything shaped like one (an all-digit USCC is not an ID number).
    expect((text.match(RAW_ID) ?? []).filter((m) => !usccs.has(m))).toEqual([]);
  });

  it("contain no token, no Authorization header and no secret", () => {
    const signatures = [...sentTokens].map((t) => t.split(".")[2]);
    const leaks = lines.filter((line) => /Bearer/i.test(line) || JWT.test(line) || line.includes(TEST_JWT_SECRET) || signatures.some((s) => line.includes(s)));
    expect(leaks).toEqual([]);
  });
});
