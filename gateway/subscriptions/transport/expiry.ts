import type { Identity } from "../../../lib/auth/identity.js";

/** What a client is told when its token expires under an open subscription, on every transport. */
export const TOKEN_EXPIRED = "token expired: reconnect with a new token";

/**
 * One rule for every transport: a subscription lives no longer than the token it was opened
 * with. Calls `expire` when the token's `exp` passes; returns the cancel for when the client
 * leaves first.
 */
export function atTokenExpiry(identity: Identity, expire: () => void): () => void {
  if (!identity.expiresAt) return () => undefined;
  const timer = setTimeout(expire, Math.max(0, identity.expiresAt * 1000 - Date.now()));
  return () => clearTimeout(timer);
}
