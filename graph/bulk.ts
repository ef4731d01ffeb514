/**
 * Bulk loading (a first load or a rebuild from scratch): the whole graph streamed in once,
 * every node before any edge, into an empty store. The checks are upsert's (validate.ts);
 * what differs is how a backend writes: kuzu stages CSV files and COPYs them (kuzu/bulk.ts;
 * its per-row MERGE load ran at a few thousand edges/s), Neo4j takes UNWIND batches.
 *
 * A bulk load names each node and each edge once: a repeated node id or edge key
 * (type, from, to, validFrom) is BAD_USER_INPUT rather than a silent "last one wins",
 * because a generator or export that repeats itself has a bug worth hearing about.
 */
import { badInput } from "../lib/errors.js";
import type { StoredEdge } from "./engine.js";
import { keyOf } from "./model.js";
import type { BulkGraph, GraphNode, NodeKind, RelationType, SubjectId } from "./types.js";
import { checkEdge, checkEndpoints, checkNode, showId } from "./validate.js";

/** Rows per statement where a backend bulk-loads through its upserts (Neo4j). */
export const BULK_BATCH = 5000;

/** Where a backend puts what a bulk load streams; nothing need reach the store before `finish`. */
export interface BulkSink {
  node(kind: NodeKind, node: GraphNode): Promise<void> | void;
  /** Every node has been given: edges follow. */
  nodesDone(): Promise<void> | void;
  /** `from` / `to` are stored keys (keyOf). */
  edge(type: RelationType, fromKind: NodeKind, toKind: NodeKind, edge: StoredEdge): Promise<void> | void;
  finish(): Promise<void>;
  /** After a failed load: drop what was staged (what was written stays). */
  abort(): Promise<void>;
}

/**
 * The rows of a stream. A synchronous iterable is read as one, and a sink's answer awaited
 * only when it is a promise: `for await` and `await` on every row cost a microtask each,
 * a fifth of a million-row load's CPU.
 */
async function eachOf<T>(rows: Iterable<T> | AsyncIterable<T>, fn: (row: T) => Promise<void> | void): Promise<void> {
  if (Symbol.iterator in rows) {
    for (const row of rows) {
      const pending = fn(row);
      if (pending) await pending;
    }
  } else {
    for await (const row of rows) await fn(row);
  }
}

/** Checks and streams `graph` into `sink`; returns how many nodes and edges it held. */
export async function feedBulk(graph: BulkGraph, sink: BulkSink): Promise<{ nodes: number; edges: number }> {
  const kinds = new Map<SubjectId, NodeKind>();
  const seen = new Set<string>();
  try {
    await eachOf(graph.nodes, (raw) => {
      const n = checkNode(raw);
      if (kinds.has(n.id)) throw badInput("nodes", "duplicate", `node ${showId(n.id)} is given twice`);
      kinds.set(n.id, n.kind);
      return sink.node(n.kind, n);
    });
    await sink.nodesDone();
    await eachOf(graph.edges, (raw) => {
      const e = checkEdge(raw);
      const fromKind = kinds.get(e.from), toKind = kinds.get(e.to);
      if (!fromKind || !toKind) {
        throw badInput("edge", "unknownNode", `every end must be a node of the load; not given: ${showId(fromKind ? e.to : e.from)}`);
      }
      checkEndpoints(e.type, fromKind, toKind);
      const key = `${e.type}|${e.from}|${e.to}|${e.validFrom}`;
      if (seen.has(key)) throw badInput("edges", "duplicate", `${e.type} ${showId(e.from)} → ${showId(e.to)} from ${e.validFrom} is given twice`);
      seen.add(key);
      return sink.edge(e.type, fromKind, toKind, { ...e, from: keyOf(fromKind, e.from), to: keyOf(toKind, e.to) });
    });
    await sink.finish();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return { nodes: kinds.size, edges: seen.size };
}

/** A bulk load into a store holding `storedNodes` subject nodes: refused unless there are none. */
export async function loadIntoEmpty(storedNodes: number, graph: BulkGraph, sink: () => Promise<BulkSink>): Promise<{ nodes: number; edges: number }> {
  if (storedNodes > 0) throw new Error(`bulkLoad needs a graph without subject nodes; this one has ${storedNodes} (clear it, or upsert)`);
  return feedBulk(graph, await sink());
}

/** A sink over a backend's upsert batches (the Neo4j way: UNWIND, `size` rows a statement). */
export function batchedSink(
  size: number,
  writeNodes: (kind: NodeKind, nodes: GraphNode[]) => Promise<void>,
  writeEdges: (type: RelationType, fromKind: NodeKind, toKind: NodeKind, edges: StoredEdge[]) => Promise<void>,
): BulkSink {
  const nodes = new Map<NodeKind, GraphNode[]>();
  const edges = new Map<string, { type: RelationType; fromKind: NodeKind; toKind: NodeKind; rows: StoredEdge[] }>();
  const flushEdges = async (g: { type: RelationType; fromKind: NodeKind; toKind: NodeKind; rows: StoredEdge[] }) => {
    const rows = g.rows.splice(0);
    if (rows.length > 0) await writeEdges(g.type, g.fromKind, g.toKind, rows);
  };
  return {
    async node(kind, node) {
      const rows = nodes.get(kind) ?? [];
      nodes.set(kind, rows);
      rows.push(node);
      if (rows.length >= size) await writeNodes(kind, rows.splice(0));
    },
    async nodesDone() {
      for (const [kind, rows] of nodes) if (rows.length > 0) await writeNodes(kind, rows.splice(0));
    },
    async edge(type, fromKind, toKind, edge) {
      const key = `${type}|${fromKind}|${toKind}`;
      const g = edges.get(key) ?? { type, fromKind, toKind, rows: [] };
      edges.set(key, g);
      g.rows.push(edge);
      if (g.rows.length >= size) await flushEdges(g);
    },
    async finish() {
      for (const g of edges.values()) await flushEdges(g);
    },
    async abort() {
      nodes.clear();
      edges.clear();
    },
  };
}
