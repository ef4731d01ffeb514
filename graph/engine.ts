/** What a graph backend (kuzu, Neo4j) deals in: rows, node references, path queries, stored edges. */
import type { GraphEdge, GraphNode, NodeKind, RelationType, SubjectId } from "./types.js";
import { idOf, isRelationType } from "./model.js";
import type { RawRel } from "./paths.js";

export type Row = Record<string, unknown>;

export interface NodeRef {
  kind: NodeKind;
  key: string;
}

/** One path enumeration, in the terms both engines can express. */
export interface PathQuery {
  /** All shortest paths to each end node, or all (near-)simple paths up to maxHops. */
  mode: "allShortest" | "acyclic";
  start: NodeRef;
  end?: NodeRef;
  /** "in": follow edges backwards (from an enterprise up to its owners). */
  direction: "both" | "in";
  types: readonly RelationType[];
  maxHops: number;
  /** Checked ISO date; every edge of the path must be valid at it. */
  asOf: string;
  endKinds?: readonly NodeKind[];
  /** Only paths ending at a node with at least one risk flag. */
  endFlagged?: boolean;
}

export type StoredEdge = Required<GraphEdge>;

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function nodeFromRow(kind: NodeKind, row: Row): GraphNode {
  return {
    id: idOf(kind, String(row.key)),
    kind,
    name: String(row.name ?? ""),
    cityCode: (row.cityCode as string | null | undefined) ?? null,
    riskFlags: [...((row.riskFlags as string[] | null | undefined) ?? [])],
  };
}

/** A relationship as both engines return it: its type, its ends (already resolved to subject ids) and its properties. */
export function relFromRow(type: string, from: SubjectId, to: SubjectId, props: Record<string, unknown>, engine: string): RawRel {
  if (!isRelationType(type)) throw new Error(`unexpected ${engine} relationship type ${type}`);
  return {
    type, from, to,
    share: (props.share as number | null | undefined) ?? null,
    cityCode: String(props.cityCode),
    validFrom: String(props.validFrom),
    validTo: (props.validTo as string | null | undefined) ?? null,
  };
}
