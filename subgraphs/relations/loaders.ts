import DataLoader from "dataloader";
import type { BaseContext } from "../../lib/service/subgraph.js";
import type { GraphNode, GraphStore } from "../../graph/types.js";
import { normalizeId } from "../../graph/model.js";
import { withGraph } from "./data.js";

/** A request of the relations subgraph (关联关系): the caller and one loader of graph nodes. */
export interface RelationsContext extends BaseContext {
  nodes: DataLoader<string, GraphNode | null>;
}

export function relationsContextFor(store: GraphStore) {
  return (base: BaseContext): RelationsContext => ({
    ...base,
    nodes: new DataLoader(async (ids: readonly string[]) => {
      const found = await withGraph(() => store.getNodes([...ids]));
      return ids.map((id) => found.get(normalizeId(id)) ?? null);
    }),
  });
}
