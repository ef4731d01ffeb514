import { SignJWT, jwtVerify, createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { hubError } from "../errors.js";
import { findCity } from "../cities.js";
import { parseScopes, type Scope } from "./identity.js";
import { findRole, knownRoles, scopesUnder } from "./roles.js";

/** The issuer and audience of the tokens `npm run token` signs (and the defaults the hub expects). */
export const HUB_TOKEN_NAME = "yellow-river-credit-hub";

/** Which tokens are the hub's: `iss` and `aud` must equal these (null: not checked, outside production only). */
export interface TokenClaimChecks {
  issuer: string | null;
  audience: string | null;
}

/** How partner tokens are checked: a shared HS256 secret (default) or a JWKS URL (RS256/ES256, production). */
export type PartnerTokenConfig = (
  | { secret: string; jwksUrl?: undefined }
  /** `jwksCooldownMs`: the least time between two fetches of the key set (a token with an unknown `kid` fetches it again); default 30 s. */
  | { jwksUrl: string; secret?: undefined; jwksCooldownMs?: number }
) & { claims?: TokenClaimChecks };

export interface PartnerClaims {
  sub: string;
  city: string;
  scopes: Set<Scope>;
  expiresAt: number;
  role?: string;
  org?: string;
}

const unauthenticated = (reason: string) => hubError("UNAUTHENTICATED", `invalid token: ${reason}`, { http: { status: 401 } });

function reasonOf(err: unknown): string {
  if (err instanceof errors.JWTExpired) return "expired; ask your platform for a new token";
  if (err instanceof errors.JWSSignatureVerificationFailed) return "signature does not verify (wrong key or tampered token)";
  if (err instanceof errors.JWTClaimValidationFailed) return `claim '${err.claim}' ${err.reason}`;
  if (err instanceof errors.JOSEAlgNotAllowed) return "signing algorithm not accepted";
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return "not a well-formed JWT";
  if (err instanceof errors.JWKSNoMatchingKey) return "no key in the JWKS matches the token's key id";
  return "could not be verified";
}

export function createPartnerTokenVerifier(cfg: PartnerTokenConfig): (token: string) => Promise<PartnerClaims> {
  // Imported once: jose would otherwise import a raw secret into a WebCrypto key on every call.
  const key: Promise<CryptoKey> | JWTVerifyGetKey = cfg.secret !== undefined
    ? crypto.subtle.importKey("raw", new TextEncoder().encode(cfg.secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"])
    : createRemoteJWKSet(new URL(cfg.jwksUrl), { cooldownDuration: cfg.jwksCooldownMs ?? 30_000 });
  const algorithms = cfg.secret !== undefined ? ["HS256"] : ["RS256", "ES256"];
  const claims = cfg.claims ?? { issuer: HUB_TOKEN_NAME, audience: HUB_TOKEN_NAME };
  const checks = { algorithms, requiredClaims: ["sub", "exp"], issuer: claims.issuer ?? undefined, audience: claims.audience ?? undefined };
  return async (token) => {
    let payload: JWTPayload;
    try {
      const k = typeof key === "function" ? key : await key;
      ({ payload } = await jwtVerify(token, k as CryptoKey, checks));
    } catch (err) {
      throw unauthenticated(reasonOf(err));
    }
    const city = typeof payload.city === "string" ? payload.city : "";
    if (!findCity(city)) throw unauthenticated(`city '${city}' is not a partner city of the hub`);
    let scopes = parseScopes(payload.scopes);
    let role: string | undefined;
    if (payload.role !== undefined) {
      const found = typeof payload.role === "string" ? findRole(payload.role) : undefined;
      if (!found) throw unauthenticated(`role '${String(payload.role)}' is not one the hub knows (known: ${knownRoles().map((r) => r.id).join(", ")})`);
      role = found.id;
      scopes = scopesUnder(found, scopes);
    }
    const org = typeof payload.org === "string" && payload.org.trim() ? payload.org.trim().slice(0, 100) : undefined;
    return { sub: String(payload.sub), city, scopes, expiresAt: Number(payload.exp), role, org };
  };
}

/** Issues an HS256 partner token (the `npm run token` command and the tests), issued by and for the hub. */
export function signPartnerToken(secret: string, claims: { sub: string; city: string; scopes: string[]; role?: string; org?: string }, ttl: string | number = "1h"): Promise<string> {
  return new SignJWT({ city: claims.city, scopes: claims.scopes, ...(claims.role ? { role: claims.role } : {}), ...(claims.org ? { org: claims.org } : {}) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(HUB_TOKEN_NAME)
    .setAudience(HUB_TOKEN_NAME)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(new TextEncoder().encode(secret));
}
