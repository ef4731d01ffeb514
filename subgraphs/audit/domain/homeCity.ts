import { callSubgraph } from "../../../lib/service/subgraphClient.js";

type Url = () => string | undefined;

/** Where the audit subgraph asks who a subject's home city is: the subgraphs that hold them, through their contracts. */
export interface HomeCityLinks {
  enterprise: Url;
  individual: Url;
  secret: string;
}

/**
 * A subject's home city: the city holding the person's record, or where the enterprise is
 * registered; for a subject no city holds, the city part of its identifier (the ID number's
 * address code, the USCC's registration-authority code).
 */
export async function homeCityOf(subject: string, kind: "INDIVIDUAL" | "ENTERPRISE", links: HomeCityLinks | undefined): Promise<string> {
  const enterprise = kind === "ENTERPRISE";
  const fallback = enterprise ? `${subject.slice(2, 6)}00` : `${subject.slice(0, 4)}00`;
  const url = enterprise ? links?.enterprise() : links?.individual();
  if (!links || !url) return fallback;
  const selection = enterprise ? "... on Enterprise { registeredCity { code } }" : "... on Individual { city { code } }";
  const representation = enterprise ? { __typename: "Enterprise", uscc: subject } : { __typename: "Individual", idNumber: subject };
  const data = await callSubgraph<{ _entities: Array<{ registeredCity?: { code: string }; city?: { code: string } } | null> }>(
    url, links.secret, "audit", ["credit:read"], `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, { r: [representation] });
  const found = data._entities[0];
  return found?.registeredCity?.code ?? found?.city?.code ?? fallback;
}
