/** What a partner's credentials may allow (分级授权: graded authorisation). */
/**
 * `personal:read`: personal data on a statutory basis (public bodies); `personal:granted`: only
 * where the person granted it to the caller's organisation (授权查询, F48); `grants:write`:
 * record and revoke such grants.
 */
export const SCOPES = ["credit:read", "personal:read", "personal:granted", "grants:write", "lists:write", "ratings:write", "measures:write", "reports:write", "reports:keys", "graph:read", "audit:read", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(s: string): s is Scope {
  return (SCOPES as readonly string[]).includes(s);
}

/** The calling partner system, as verified by the gateway and forwarded to subgraphs. */
export interface Identity {
  /** The calling system (JWT `sub`). */
  sub: string;
  /** GB/T 2260 code of the partner city the caller acts for. */
  city: string;
  scopes: ReadonlySet<Scope>;
  /** 查询目的 stated for this request (X-Hub-Purpose), needed to unmask personal data reached by reference. */
  purpose?: string;
  requestId: string;
  /** When the partner's token expires (epoch seconds); long-lived connections close then. */
  expiresAt?: number;
  /** The caller's role (lib/auth/roles.json), when its token names one. */
  role?: string;
  /** The organisation the caller acts for (token `org`; the calling system when absent): grants are given to it. */
  org?: string;
}

/** Reads the `scopes` claim: a JSON array or a space/comma separated string; unknown scopes are dropped. */
export function parseScopes(claim: unknown): Set<Scope> {
  const list = Array.isArray(claim) ? claim : typeof claim === "string" ? claim.split(/[\s,]+/) : [];
  return new Set(list.filter((s): s is Scope => typeof s === "string" && isScope(s)));
}
