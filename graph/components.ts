/**
 * Enterprise groups (关联企业群): weakly connected components of the graph of
 * enterprises and people, over the tie relations of model.ts (CLUSTER_TIES: legal
 * representative, principal, actual controller, senior manager, shareholder), valid at
 * `asOf`.
 *
 * Not ties: SUPPLY_CHAIN and MEMBER_OF (trade and membership, not common control), and
 * any edge of a PublicBody: one state-assets commission holding hundreds of SOEs would
 * otherwise fuse them into a single "group". Only enterprises are members and counted
 * in `size`; people only connect them.
 *
 * kuzu computes the components with its built-in algorithm extension; for Neo4j (where
 * GDS may not be installed) the backend reads the tie edges and `unionFind` joins them.
 * Either way `assembleClusters` names, filters and orders them, so the answers agree.
 */
import type { Cluster, GraphNode, SubjectId } from "./types.js";

/** Components of the undirected graph on `nodes` with `edges`; each component listed once. */
export function unionFind(nodes: Iterable<SubjectId>, edges: Iterable<readonly [SubjectId, SubjectId]>): SubjectId[][] {
  const parent = new Map<SubjectId, SubjectId>();
  const find = (x: SubjectId): SubjectId => {
    let root = x;
    for (let p = parent.get(root); p !== undefined && p !== root; p = parent.get(root)) root = p;
    // Path compression keeps later finds near O(1).
    for (let cur = x; cur !== root; ) {
      const next = parent.get(cur)!;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  const add = (x: SubjectId) => {
    if (!parent.has(x)) parent.set(x, x);
  };
  for (const n of nodes) add(n);
  for (const [a, b] of edges) {
    add(a);
    add(b);
    const ra = find(a), rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<SubjectId, SubjectId[]>();
  for (const x of parent.keys()) {
    const r = find(x);
    const g = groups.get(r);
    if (g) g.push(x);
    else groups.set(r, [x]);
  }
  return [...groups.values()];
}

export interface ClusterQuery {
  /** Partner cities (GB/T 2260): a cluster is kept when one of its members is registered in any of them. */
  cities?: readonly string[];
  minSize: number;
  first?: number;
}

/**
 * @param groups enterprise ids per component (people already left out)
 * @param load the stored nodes for a set of enterprise ids
 *
 * A cluster is kept when it has at least `minSize` enterprises and, with `cities`, at
 * least one of them is registered in one of those cities (the other members stay listed: a group
 * that crosses cities is the point). Ordered by size, then id; id = "CL:" + smallest USCC.
 */
export async function assembleClusters(
  groups: readonly SubjectId[][],
  q: ClusterQuery,
  load: (ids: SubjectId[]) => Promise<Map<SubjectId, GraphNode>>,
): Promise<Cluster[]> {
  const candidates = groups
    .filter((g) => g.length >= q.minSize)
    .map((g) => [...g].sort())
    .sort((a, b) => b.length - a.length || (a[0] < b[0] ? -1 : 1));
  const limit = q.first ?? Infinity;
  const out: Cluster[] = [];
  // Load in slices so `first` stops the reading early.
  for (let i = 0; i < candidates.length && out.length < limit; i += 100) {
    const slice = candidates.slice(i, i + 100);
    const nodes = await load(slice.flat());
    for (const ids of slice) {
      const members = ids.map((id) => nodes.get(id)).filter((n): n is GraphNode => n !== undefined);
      if (q.cities?.length && !members.some((m) => m.cityCode !== null && q.cities!.includes(m.cityCode))) continue;
      out.push({ id: `CL:${ids[0]}`, size: members.length, members });
      if (out.length >= limit) break;
    }
  }
  return out;
}
