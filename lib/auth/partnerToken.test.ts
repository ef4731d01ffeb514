import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair, type JWK } from "jose";
import { HUB_TOKEN_NAME, createPartnerTokenVerifier, signPartnerToken } from "./partnerToken.js";

const SECRET = "partner-token-test-secret-0123456789abcdef";
const claims = { city: "610800", scopes: ["credit:read"] };

async function rejection(p: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  try {
    await p;
  } catch (err) {
    return { code: (err as { extensions?: { code?: unknown } }).extensions?.code, message: (err as Error).message };
  }
  throw new Error("expected the token to be refused");
}

describe("partner tokens: issuer and audience", () => {
  const verify = createPartnerTokenVerifier({ secret: SECRET });
  const hs = (iss?: string, aud?: string) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject("p").setExpirationTime("5m");
    if (iss) jwt.setIssuer(iss);
    if (aud) jwt.setAudience(aud);
    return jwt.sign(new TextEncoder().encode(SECRET));
  };

  it("accepts the hub's own tokens, issued by and for the hub", async () => {
    const token = await signPartnerToken(SECRET, { sub: "p", ...claims });
    await expect(verify(token)).resolves.toMatchObject({ sub: "p", city: "610800" });
    await expect(verify(await hs(HUB_TOKEN_NAME, HUB_TOKEN_NAME))).resolves.toMatchObject({ sub: "p" });
  });

  it("refuses a token without audience or issuer, or with another one, naming the claim", async () => {
    for (const [token, claim] of [
      [await hs(), "iss"], [await hs(HUB_TOKEN_NAME), "aud"], [await hs(undefined, HUB_TOKEN_NAME), "iss"],
      [await hs("another-platform", HUB_TOKEN_NAME), "iss"], [await hs(HUB_TOKEN_NAME, "another-api"), "aud"],
    ] as const) {
      const r = await rejection(verify(token));
      expect(r.code).toBe("UNAUTHENTICATED");
      expect(r.message).toContain(`claim '${claim}'`);
    }
  });

  it("checks the configured issuer and audience, and none when told so", async () => {
    const idp = createPartnerTokenVerifier({ secret: SECRET, claims: { issuer: "https://idp.yulin.example", audience: "hub" } });
    await expect(idp(await hs("https://idp.yulin.example", "hub"))).resolves.toMatchObject({ sub: "p" });
    expect((await rejection(idp(await signPartnerToken(SECRET, { sub: "p", ...claims })))).code).toBe("UNAUTHENTICATED");
    const loose = createPartnerTokenVerifier({ secret: SECRET, claims: { issuer: null, audience: null } });
    await expect(loose(await hs())).resolves.toMatchObject({ sub: "p" });
  });
});

/** A partner identity provider on loopback: its JWKS at /jwks, keys replaced at will (rotation). */
async function identityProvider() {
  let keys: JWK[] = [];
  let fetches = 0;
  const server = http.createServer((req, res) => {
    fetches++;
    res.writeHead(req.url === "/jwks" ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  const newKey = async (alg: "RS256" | "ES256", kid: string) => {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
  };
  return {
    url, newKey, close: () => new Promise<void>((r) => server.close(() => r())),
    publish: (...jwks: JWK[]) => void (keys = jwks),
    get fetches() {
      return fetches;
    },
    sign: (k: Awaited<ReturnType<typeof newKey>>, extra: { iss?: string; aud?: string } = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg: k.alg, kid: k.kid }).setSubject("yulin-platform")
        .setIssuer(extra.iss ?? "https://idp.yulin.example").setAudience(extra.aud ?? HUB_TOKEN_NAME).setExpirationTime("5m").sign(k.privateKey),
  };
}

describe("partner tokens from an identity provider's JWKS (RS256, ES256)", () => {
  let idp: Awaited<ReturnType<typeof identityProvider>>;
  beforeAll(async () => {
    idp = await identityProvider();
  });
  afterAll(async () => {
    await idp.close();
  });
  const verifier = () => createPartnerTokenVerifier({ jwksUrl: idp.url, jwksCooldownMs: 0, claims: { issuer: "https://idp.yulin.example", audience: HUB_TOKEN_NAME } });

  it("verifies RS256 and ES256 tokens against the published keys, and refuses a forged one", async () => {
    const rsa = await idp.newKey("RS256", "rsa-1");
    const ec = await idp.newKey("ES256", "ec-1");
    idp.publish(rsa.jwk, ec.jwk);
    const verify = verifier();
    await expect(verify(await idp.sign(rsa))).resolves.toMatchObject({ sub: "yulin-platform", city: "610800" });
    await expect(verify(await idp.sign(ec))).resolves.toMatchObject({ sub: "yulin-platform" });
    // Signed by a key of the same kid that the provider never published.
    const impostor = await idp.newKey("RS256", "rsa-1");
    const forged = await rejection(verify(await idp.sign(impostor)));
    expect(forged).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(forged.message).toContain("signature does not verify");
    expect((await rejection(verify(await idp.sign(rsa, { iss: "https://idp.elsewhere.example" })))).message).toContain("claim 'iss'");
  });

  it("follows a key rotation: a new kid is fetched, and the retired key's tokens are refused", async () => {
    const old = await idp.newKey("ES256", "2026-11");
    idp.publish(old.jwk);
    const verify = verifier();
    await expect(verify(await idp.sign(old))).resolves.toMatchObject({ sub: "yulin-platform" });
    const next = await idp.newKey("ES256", "2026-12");
    idp.publish(next.jwk);
    const before = idp.fetches;
    await expect(verify(await idp.sign(next))).resolves.toMatchObject({ sub: "yulin-platform" });
    expect(idp.fetches).toBeGreaterThan(before);
    const retired = await rejection(verify(await idp.sign(old)));
    expect(retired.code).toBe("UNAUTHENTICATED");
  });

  it("refuses a token whose kid no published key has, naming why", async () => {
    const known = await idp.newKey("RS256", "known");
    idp.publish(known.jwk);
    const stranger = await idp.newKey("RS256", "unknown-kid");
    const r = await rejection(verifier()(await idp.sign(stranger)));
    expect(r.code).toBe("UNAUTHENTICATED");
    expect(r.message).toContain("no key in the JWKS matches the token's key id");
  });
});
