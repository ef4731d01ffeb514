import { composeServices } from "@apollo/composition";
import type { DocumentNode } from "graphql";

export interface SubgraphEndpoint {
  name: string;
  url: string;
  typeDefs: DocumentNode;
}

/** Composes a Federation 2 supergraph in-process (no rover); fails with every composition error listed. */
export function composeSupergraph(subgraphs: SubgraphEndpoint[]): string {
  const result = composeServices(subgraphs.map(({ name, url, typeDefs }) => ({ name, url, typeDefs })));
  if (result.errors) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((e) => `- ${e.message}`).join("\n")}`);
  }
  return result.supergraphSdl;
}
