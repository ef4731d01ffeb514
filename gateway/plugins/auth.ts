import type { IncomingMessage } from "node:http";
import { randomUUID } from "node:crypto";
import { hubError, badInput } from "../../lib/errors.js";
import { parseScopes, type Identity } from "../../lib/auth/identity.js";
import { createPartnerTokenVerifier, type PartnerTokenConfig } from "../../lib/auth/partnerToken.js";

export type AuthConfig =
  | { mode: "on"; tokens: PartnerTokenConfig }
  /** Local trials: every request acts as this partner. Refused in production by the config loader. */
  | { mode: "off"; city: string; scopes: string };

const PURPOSE_HEADER = "x-hub-purpose";

function purposeOf(req: IncomingMessage): string | undefined {
  const raw = req.headers[PURPOSE_HEADER];
  if (raw === undefined) return undefined;
  // Headers are Latin-1 on the wire: partners send the purpose percent-encoded (encodeURIComponent).
  let text: string;
  try {
    text = decodeURIComponent(String(raw)).trim();
  } catch {
    throw badInput("X-Hub-Purpose", "encoding", "must be percent-encoded UTF-8 (encodeURIComponent)");
  }
  if (text.length < 2 || text.length > 200) throw badInput("X-Hub-Purpose", "length", "state the purpose in 2 to 200 characters");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) throw badInput("X-Hub-Purpose", "characters", "must not contain control characters");
  return text;
}

/** Turns a request into the verified identity of the calling partner, or a coded error. */
export function createAuthenticator(cfg: AuthConfig): (req: IncomingMessage) => Promise<Identity> {
  const verify = cfg.mode === "on" ? createPartnerTokenVerifier(cfg.tokens) : undefined;
  return async (req) => {
    const requestId = String(req.headers["x-request-id"] ?? randomUUID()).slice(0, 100);
    const purpose = purposeOf(req);
    if (!verify) {
      const off = cfg as Extract<AuthConfig, { mode: "off" }>;
      return { sub: "local-trial", city: off.city, scopes: parseScopes(off.scopes), purpose, requestId };
    }
    const header = req.headers.authorization;
    if (!header) throw hubError("UNAUTHENTICATED", "no token: send 'Authorization: Bearer <token>' (see README: npm run token)", { http: { status: 401 } });
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw hubError("UNAUTHENTICATED", "invalid token: the Authorization header must be 'Bearer <token>'", { http: { status: 401 } });
    const claims = await verify(match[1]);
    return { ...claims, purpose, requestId };
  };
}
