import { callSubgraph } from "../../../lib/service/subgraphClient.js";
import { answeringParties, ROLE_NAME } from "../../../lib/service/answerable.js";
import type { ResponsiblePersonsLookup } from "./recognition.js";

export interface ResponsibleSources {
  /** The enterprise subgraph: today's legal representative in the enterprise records. */
  enterprise: () => string | undefined;
  /** The relations subgraph: everyone answering for the enterprise on a date, from the graph (undefined: records only). */
  relations?: () => string | undefined;
  secret: string;
}

/** The records' legal representative of an enterprise (today's), through the enterprise subgraph's contract. */
async function recordedRepresentative(url: string | undefined, secret: string, uscc: string): Promise<string[]> {
  if (!url) return [];
  const data = await callSubgraph<{ _entities: Array<{ responsiblePersonIds: string[] } | null> }>(url, secret, "lists", ["credit:read"],
    "query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketBanStatus { responsiblePersonIds } } }",
    { r: [{ __typename: "MarketBanStatus", subject: uscc }] });
  return data._entities[0]?.responsiblePersonIds ?? [];
}

/**
 * F19: the people who answered for an enterprise on a date (the act's decision date, or today):
 * legal representative, principals and actual controllers valid on that date in the affiliate
 * graph. The records' legal representative joins them when the graph holds no legal
 * representative for that date (a firm registered since the last graph sync).
 */
export function responsiblePersonsLookup(src: ResponsibleSources): ResponsiblePersonsLookup {
  return async (uscc, onDate) => {
    const graph = src.relations ? (await answeringParties(src.relations(), src.secret, "lists", uscc, onDate)).filter((p) => p.kind === "INDIVIDUAL") : [];
    const persons = graph.map((p) => ({ idNumber: p.id, role: ROLE_NAME[p.role] }));
    if (!graph.some((p) => p.role === "LEGAL_REPRESENTATIVE_OF")) {
      for (const idNumber of await recordedRepresentative(src.enterprise(), src.secret, uscc)) persons.push({ idNumber, role: ROLE_NAME.LEGAL_REPRESENTATIVE_OF });
    }
    // One linked entry per person: the first role found names it.
    return persons.filter((p, i) => persons.findIndex((q) => q.idNumber === p.idNumber) === i);
  };
}
