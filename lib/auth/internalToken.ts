import { SignJWT, jwtVerify } from "jose";
import { parseScopes, type Identity } from "./identity.js";

/**
 * The gateway forwards the verified identity to subgraphs as a short-lived JWT
 * signed with the secret they share (HUB_GATEWAY_SECRET). A subgraph reached
 * directly, without it, answers nothing but its SDL.
 */
export const IDENTITY_HEADER = "x-hub-identity";
const AUDIENCE = "hub-subgraphs";

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export function signIdentity(identity: Identity, secret: string): Promise<string> {
  return new SignJWT({ city: identity.city, scopes: [...identity.scopes], purpose: identity.purpose, rid: identity.requestId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(identity.sub)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("2m")
    .sign(keyOf(secret));
}

/** The identity the gateway vouches for, or null when the header is absent or does not verify. */
export async function verifyIdentity(token: string | undefined, secret: string): Promise<Identity | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), { algorithms: ["HS256"], audience: AUDIENCE });
    return {
      sub: String(payload.sub),
      city: String(payload.city),
      scopes: parseScopes(payload.scopes),
      purpose: typeof payload.purpose === "string" ? payload.purpose : undefined,
      requestId: String(payload.rid ?? ""),
    };
  } catch {
    return null;
  }
}
