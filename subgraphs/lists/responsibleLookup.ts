import { signIdentity, IDENTITY_HEADER } from "../../lib/auth/internalToken.js";
import { hubError } from "../../lib/errors.js";
import type { ResponsiblePersonsLookup } from "./recognition.js";

/**
 * F19: asks the enterprise subgraph (its federation contract, not its tables)
 * who answers for an enterprise, as a service identity signed with the hub's
 * shared secret. Roles beyond the legal representative come from the graph.
 */
export function enterpriseResponsibleLookup(url: () => string | undefined, secret: string): ResponsiblePersonsLookup {
  return async (uscc) => {
    const target = url();
    if (!target) return [];
    const token = await signIdentity({ sub: "service:lists", city: "000000", scopes: new Set(["credit:read"]), requestId: `lists-f19-${uscc}` }, secret);
    const res = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json", [IDENTITY_HEADER]: token },
      body: JSON.stringify({
        query: "query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketBanStatus { responsiblePersonIds } } }",
        variables: { r: [{ __typename: "MarketBanStatus", subject: uscc }] },
      }),
    });
    const body = (await res.json()) as { data?: { _entities: Array<{ responsiblePersonIds: string[] } | null> }; errors?: unknown[] };
    if (!res.ok || body.errors) throw hubError("INTERNAL_SERVER_ERROR", "the enterprise records could not be asked for the responsible persons");
    return (body.data?._entities[0]?.responsiblePersonIds ?? []).map((idNumber) => ({ idNumber, role: "法定代表人" }));
  };
}
