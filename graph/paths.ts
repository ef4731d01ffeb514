/**
 * Paths as both backends hand them over, and the choices made on them in TypeScript so
 * the two engines give the same answer: simple-path filtering (kuzu's `* ACYCLIC` can
 * return a path that comes back to its start; Neo4j's default mode only keeps
 * relationships distinct) and a total order to break ties between equal-length paths
 * (each engine returns tied shortest paths in its own order).
 */
import type { GraphNode, PathStep, RelationType, SubjectId } from "./types.js";

export interface RawRel {
  type: RelationType;
  from: SubjectId;
  to: SubjectId;
  share: number | null;
  cityCode: string;
  validFrom: string;
  validTo: string | null;
}

/** `rels[i]` joins `nodes[i]` and `nodes[i + 1]`, in either direction; `nodes[0]` is where the query started. */
export interface RawPath {
  nodes: GraphNode[];
  rels: RawRel[];
}

/**
 * Reported figures are rounded to 12 decimals (0.7 × 0.4 shows as 0.28, not
 * 0.27999999999999997); the arithmetic before it is exact double precision, in one
 * fixed order, so both backends round the same number.
 */
export function round12(x: number): number {
  return Math.round(x * 1e12) / 1e12;
}

export function toSteps(p: RawPath): PathStep[] {
  return p.rels.map((r) => ({ from: r.from, to: r.to, type: r.type, share: r.share }));
}

export function length(p: RawPath): number {
  return p.rels.length;
}

export function end(p: RawPath): GraphNode {
  return p.nodes[p.nodes.length - 1];
}

/** No node twice: the start and the end included. */
export function isSimple(p: RawPath): boolean {
  return new Set(p.nodes.map((n) => n.id)).size === p.nodes.length;
}

export function reversed(p: RawPath): RawPath {
  return { nodes: [...p.nodes].reverse(), rels: [...p.rels].reverse() };
}

function compareStrings(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

/** Shorter first, then by the node ids along the path, then by relation type and start date. */
export function comparePaths(a: RawPath, b: RawPath): number {
  return (
    a.rels.length - b.rels.length ||
    compareStrings(a.nodes.map((n) => n.id), b.nodes.map((n) => n.id)) ||
    compareStrings(a.rels.map((r) => r.type), b.rels.map((r) => r.type)) ||
    compareStrings(a.rels.map((r) => r.validFrom), b.rels.map((r) => r.validFrom))
  );
}

/** Groups paths by their last node. */
export function byEnd(paths: readonly RawPath[]): Map<SubjectId, RawPath[]> {
  const groups = new Map<SubjectId, RawPath[]>();
  for (const p of paths) {
    const id = end(p).id;
    const list = groups.get(id);
    if (list) list.push(p);
    else groups.set(id, [p]);
  }
  return groups;
}

/** The first path in `comparePaths` order. */
export function first(paths: readonly RawPath[]): RawPath | undefined {
  let best: RawPath | undefined;
  for (const p of paths) if (!best || comparePaths(p, best) < 0) best = p;
  return best;
}
