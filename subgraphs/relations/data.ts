import { GraphQLError } from "graphql";
import { hubError } from "../../lib/errors.js";
import type { GraphNode } from "../../graph/types.js";

/** The API's SubjectKind for each graph node kind. */
export const KIND = { Enterprise: "ENTERPRISE", Person: "PERSON", PublicBody: "PUBLIC_BODY" } as const;

/** The most affiliates one look-up reads from the graph (the store's own bound): pages are cut from them. */
export const AFFILIATE_LIMIT = 10_000;

/** A graph node as the federated type that owns it: enterprises and people resolve in their own subgraphs. */
export function subjectOf(node: GraphNode | null): Record<string, unknown> | null {
  if (!node) return null;
  if (node.kind === "Enterprise") return { __typename: "Enterprise", uscc: node.id };
  if (node.kind === "Person") return { __typename: "Individual", ref: node.id };
  return { __typename: "PublicBody", code: node.id.replace(/^PB:/, ""), name: node.name };
}

/** The store failing is a coded, partial failure: the rest of the query still answers. */
export async function withGraph<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof GraphQLError) throw err;
    throw hubError("GRAPH_UNAVAILABLE", "the affiliate graph is unavailable; other fields still answer");
  }
}
