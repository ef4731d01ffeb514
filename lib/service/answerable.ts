/**
 * Who answers for an enterprise on a date (F19, 防易地开张), asked of the relations subgraph's
 * contract (the affiliate graph keeps every edge with its validity): the people and firms with a
 * legal-representative, principal or actual-controller edge into it valid on that date, and, when
 * asked, the ultimate controllers of its ownership chain. One call, each party with its path.
 */
import { callSubgraph } from "./subgraphClient.js";
import { hubError } from "../errors.js";

export const ANSWERING_ROLES = ["LEGAL_REPRESENTATIVE_OF", "PRINCIPAL_OF", "ACTUAL_CONTROLLER_OF"] as const;
export type AnsweringRole = (typeof ANSWERING_ROLES)[number];

/** The role names the list entries use (法定代表人, 主要负责人, 实际控制人). */
export const ROLE_NAME: Record<AnsweringRole, string> = { LEGAL_REPRESENTATIVE_OF: "法定代表人", PRINCIPAL_OF: "主要负责人", ACTUAL_CONTROLLER_OF: "实际控制人" };

export interface PathStep { from: string; to: string; type: string }
export interface AnsweringParty {
  /** USCC or ID number. */
  id: string;
  kind: "ENTERPRISE" | "INDIVIDUAL";
  role: AnsweringRole;
  /** From the party to the enterprise, each edge in its own direction. */
  path: PathStep[];
}

type Ref = { uscc?: string; ref?: string; code?: string } | null;
type StepRow = { type: string; from: Ref; to: Ref };
interface Row {
  affiliates: { edges: Array<{ node: { kind: string; subject: Ref; path: StepRow[] } }> };
  ultimateControllers?: Array<{ kind: string; controls: boolean; subject: Ref; paths: Array<{ steps: StepRow[] }> }>;
}

const SUBJECT = "... on Enterprise { uscc } ... on Individual { ref } ... on PublicBody { code }";
const STEP = `type from { ${SUBJECT} } to { ${SUBJECT} }`;
const idOf = (s: Ref) => s?.uscc ?? s?.ref ?? (s?.code ? `PB:${s.code}` : null);
const pathOf = (steps: StepRow[]): PathStep[] => steps.map((s) => ({ from: idOf(s.from) ?? "?", to: idOf(s.to) ?? "?", type: s.type }));

/**
 * The parties answering for `uscc` on `asOf` (YYYY-MM-DD); with `controllers`, also those that
 * control it through ownership (role ACTUAL_CONTROLLER_OF). Public bodies are left out: no list
 * holds them. GRAPH_UNAVAILABLE when the relations subgraph does not run or does not answer.
 */
export async function answeringParties(url: string | undefined, secret: string, service: string, uscc: string, asOf: string, controllers = false): Promise<AnsweringParty[]> {
  if (!url) throw hubError("GRAPH_UNAVAILABLE", "the relations subgraph (affiliate graph) is not running; who answers for an enterprise cannot be told");
  let row: Row | null | undefined;
  try {
    const data = await callSubgraph<{ _entities: Array<Row | null> }>(url, secret, service, ["graph:read"],
      `query($r: [_Any!]!, $asOf: Date!) { _entities(representations: $r) { ... on Enterprise {
        affiliates(depth: 1, relationTypes: [${ANSWERING_ROLES.join(", ")}], first: 100, asOf: $asOf) { edges { node { kind subject { ${SUBJECT} } path { ${STEP} } } } }
        ${controllers ? `ultimateControllers(asOf: $asOf) { kind controls subject { ${SUBJECT} } paths { steps { ${STEP} } } }` : ""} } } }`,
      { r: [{ __typename: "Enterprise", uscc }], asOf });
    row = data._entities[0];
  } catch {
    throw hubError("GRAPH_UNAVAILABLE", "the affiliate graph did not answer who answers for the enterprise; try again shortly");
  }
  const parties = new Map<string, AnsweringParty>();
  const add = (id: string | null, kind: string, role: AnsweringRole, path: PathStep[]) => {
    if (!id || id === uscc || (kind !== "ENTERPRISE" && kind !== "PERSON")) return;
    const key = `${id}|${role}`;
    if (!parties.has(key)) parties.set(key, { id, kind: kind === "PERSON" ? "INDIVIDUAL" : "ENTERPRISE", role, path });
  };
  for (const { node } of row?.affiliates.edges ?? []) {
    const path = pathOf(node.path);
    // Only edges into the enterprise: a party that answers for it, not a firm it answers for.
    if (path[0]?.to === uscc && (ANSWERING_ROLES as readonly string[]).includes(path[0].type)) add(idOf(node.subject), node.kind, path[0].type as AnsweringRole, path);
  }
  for (const ctl of row?.ultimateControllers ?? []) {
    if (ctl.controls) add(idOf(ctl.subject), ctl.kind, "ACTUAL_CONTROLLER_OF", pathOf(ctl.paths[0]?.steps ?? []));
  }
  return [...parties.values()];
}
