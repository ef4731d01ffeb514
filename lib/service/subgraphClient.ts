import { signIdentity, IDENTITY_HEADER } from "../auth/internalToken.js";
import { parseScopes } from "../auth/identity.js";

const SERVICE_PREFIX = "service:";

/** Whether a caller is the hub's own background work asking a subgraph (see callSubgraph), not a partner. */
export function isServiceIdentity(identity: { sub: string }): boolean {
  return identity.sub.startsWith(SERVICE_PREFIX);
}

/**
 * A subgraph asking another subgraph through its federation contract (never its
 * tables), as a service identity signed with the hub's shared secret. `city` is the city the
 * service acts for, where the answer depends on it (a report issued by 榆林 shows 榆林's
 * inspection rule); "000000" (none) otherwise.
 */
export async function callSubgraph<T>(url: string, secret: string, service: string, scopes: string[], query: string, variables: Record<string, unknown>, city = "000000"): Promise<T> {
  const token = await signIdentity({ sub: `${SERVICE_PREFIX}${service}`, city, scopes: parseScopes(scopes), requestId: `${service}-${Date.now()}` }, secret);
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", [IDENTITY_HEADER]: token },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (!res.ok || body.errors?.length || !body.data) {
    throw new Error(`${service} → ${url}: ${body.errors?.map((e) => e.message).join("; ") ?? res.status}`);
  }
  return body.data;
}
