/**
 * The user's token: taken from the sign-in form or from the URL fragment (#token=...),
 * kept in memory only (never in storage or cookies), and read for display: the city and
 * scopes it carries. The gateway verifies it; the page only shows what it says.
 */
export interface Claims {
  sub?: string;
  city?: string;
  scopes: string[];
  /** Seconds since the epoch. */
  exp?: number;
}

export interface Session {
  token: string;
  claims: Claims;
  /** The city's name, as the gateway's `cities` query gives it. */
  cityName?: string;
}

function base64UrlJson(part: string): unknown {
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** The claims a partner token carries; throws a message for the sign-in form when it is no JWT. */
export function readClaims(token: string): Claims {
  const parts = token.split(".");
  if (parts.length !== 3) throw new Error("这不是有效的令牌（应为 JWT：三段以“.”分隔）");
  let payload: Record<string, unknown>;
  try {
    payload = base64UrlJson(parts[1]) as Record<string, unknown>;
  } catch {
    throw new Error("令牌内容无法解析");
  }
  const scopes = Array.isArray(payload.scopes) ? payload.scopes.map(String) : typeof payload.scope === "string" ? payload.scope.split(" ") : [];
  return {
    sub: typeof payload.sub === "string" ? payload.sub : undefined,
    city: typeof payload.city === "string" ? payload.city : undefined,
    scopes,
    exp: typeof payload.exp === "number" ? payload.exp : undefined,
  };
}

/**
 * Takes `token=` out of the URL fragment (#token=... or #/page?token=...) and removes it from
 * the address bar and history, so it stays in memory only.
 */
export function takeTokenFromFragment(): string | null {
  const hash = window.location.hash;
  const match = /[#&?]token=([^&]+)/.exec(hash);
  if (!match) return null;
  const rest = hash.replace(/[?&]?token=[^&]+/, "").replace(/^#&/, "#").replace(/^#$/, "");
  history.replaceState(null, "", window.location.pathname + window.location.search + (rest || "#/search"));
  return decodeURIComponent(match[1]);
}
