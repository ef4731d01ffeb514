import { defineSubgraph, type SubgraphModule } from "../../lib/service/subgraph.js";
import { createIndividualContext, type IndividualContext } from "./loaders.js";
import { createResolvers } from "./resolvers.js";
import { individualEvents } from "./events.js";

/** Individual credit records (自然人), keyed by ID number. Sensitive personal data. */
export function individualSubgraph(_opts: { maxPageSize: number }): SubgraphModule<IndividualContext> {
  return defineSubgraph(import.meta.url, { name: "individual", resolvers: createResolvers(), createContext: createIndividualContext, events: individualEvents });
}
