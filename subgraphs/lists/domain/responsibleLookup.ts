import { callSubgraph } from "../../../lib/service/subgraphClient.js";
import type { ResponsiblePersonsLookup } from "./recognition.js";

/**
 * F19: asks the enterprise subgraph who answers for an enterprise. Roles beyond
 * the legal representative come from the graph.
 */
export function enterpriseResponsibleLookup(url: () => string | undefined, secret: string): ResponsiblePersonsLookup {
  return async (uscc) => {
    const target = url();
    if (!target) return [];
    const data = await callSubgraph<{ _entities: Array<{ responsiblePersonIds: string[] } | null> }>(target, secret, "lists", ["credit:read"],
      "query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketBanStatus { responsiblePersonIds } } }",
      { r: [{ __typename: "MarketBanStatus", subject: uscc }] });
    return (data._entities[0]?.responsiblePersonIds ?? []).map((idNumber) => ({ idNumber, role: "法定代表人" }));
  };
}
