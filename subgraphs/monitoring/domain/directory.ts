import { callSubgraph } from "../../../lib/service/subgraphClient.js";
import type { Directory } from "./engine.js";

type Url = () => string | undefined;
const LIVE = "[RECOGNISED, PUBLISHED, UNDER_OBJECTION, RECTIFYING]";

/** The engine's look-ups, each through the owning subgraph's federation contract. */
export function contractDirectory(urls: { enterprise: Url; lists: Url; relations: Url }, secret: string): Directory {
  const ask = async <T>(url: Url, scopes: string[], selection: string, uscc: string): Promise<T | null> => {
    const target = url();
    if (!target) return null;
    const data = await callSubgraph<{ _entities: Array<T | null> }>(target, secret, "monitoring", scopes,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { ${selection} } } }`, { r: [{ __typename: "Enterprise", uscc }] });
    return data._entities[0];
  };
  return {
    async enterprise(uscc) {
      const e = await ask<{ industryCode: string; registeredCity: { code: string }; administrativePenalties: Array<{ decidedOn: string }> } | null>(
        urls.enterprise, ["credit:read"], "industryCode registeredCity { code } administrativePenalties(includeExpired: true) { decidedOn }", uscc);
      return e ? { cityCode: e.registeredCity.code, industryCode: e.industryCode, penaltyDates: e.administrativePenalties.map((p) => p.decidedOn) } : null;
    },
    async listedCities(uscc) {
      const e = await ask<{ listEntries: Array<{ issuingCity: { code: string } }> }>(urls.lists, ["credit:read"], `listEntries(states: ${LIVE}) { issuingCity { code } }`, uscc);
      return (e?.listEntries ?? []).map((x) => x.issuingCity.code);
    },
    async affiliatedEnterprises(uscc, depth) {
      const e = await ask<{ affiliates: { edges: Array<{ node: { kind: string; subject: { uscc?: string } | null } }> } }>(
        urls.relations, ["graph:read"], `affiliates(depth: ${depth}, first: 100) { edges { node { kind subject { ... on Enterprise { uscc } } } } }`, uscc);
      return (e?.affiliates.edges ?? []).map((x) => x.node).filter((x) => x.kind === "ENTERPRISE" && x.subject?.uscc).map((x) => x.subject!.uscc!);
    },
  };
}
