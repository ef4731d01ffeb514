import { SignJWT, jwtVerify } from "jose";
import { parseScopes, type Identity } from "./identity.js";

/**
 * The gateway forwards the verified identity to subgraphs as a short-lived JWT
 * signed with the secret they share (HUB_GATEWAY_SECRET). A subgraph reached
 * directly, without it, answers nothing but its SDL.
 */
export const IDENTITY_HEADER = "x-hub-identity";
const AUDIENCE = "hub-subgraphs";

// jose imports a raw secret into a WebCrypto key on every call; import it once per secret.
const keys = new Map<string, Promise<CryptoKey>>();
function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

export async function signIdentity(identity: Identity, secret: string): Promise<string> {
  return new SignJWT({ city: identity.city, scopes: [...identity.scopes], purpose: identity.purpose, rid: identity.requestId, role: identity.role, org: identity.org })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(identity.sub)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("2m")
    .sign(await keyOf(secret));
}

/** The identity the gateway vouches for, or null when the header is absent or does not verify. */
export async function verifyIdentity(token: string | undefined, secret: string): Promise<Identity | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, await keyOf(secret), { algorithms: ["HS256"], audience: AUDIENCE });
    return {
      sub: String(payload.sub),
      city: String(payload.city),
      scopes: parseScopes(payload.scopes),
      purpose: typeof payload.purpose === "string" ? payload.purpose : undefined,
      requestId: String(payload.rid ?? ""),
      role: typeof payload.role === "string" ? payload.role : undefined,
      org: typeof payload.org === "string" ? payload.org : undefined,
    };
  } catch {
    return null;
  }
}
