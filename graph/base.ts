/**
 * What both backends share: input checks, id resolution, batching, and every decision
 * taken on the paths the engine returns (paths.ts, ownership.ts, risk.ts,
 * components.ts). A backend supplies only the primitives below: run Cypher, write a
 * batch, enumerate paths, group enterprises. So the contract suite, run on kuzu, also
 * covers all the logic the Neo4j backend uses.
 */
import { badInput } from "../lib/errors.js";
import { today } from "../lib/dates.js";
import { BULK_BATCH, batchedSink, loadIntoEmpty, type BulkSink } from "./bulk.js";
import { assembleClusters } from "./components.js";
import { chunks, nodeFromRow, type NodeRef, type PathQuery, type Row, type StoredEdge } from "./engine.js";
import { CLEAR_QUERIES, COUNT_QUERIES, READ_META, WRITE_META, getEdgesQuery, getNodesQuery, removeEdgesQuery, selections, type EdgeSelection } from "./cypher.js";
import { CONTROL_RELATIONS, NODE_KINDS, RELATION_TYPES, idOf, keyOf, kindsOf, normalizeId } from "./model.js";
import { controllersFrom } from "./ownership.js";
import { byEnd, end, first, isSimple, toSteps, type RawPath } from "./paths.js";
import { DEFAULT_RISK_DEPTH, riskFrom } from "./risk.js";
import type {
  Affiliate, BulkGraph, Cluster, Controller, EdgeFilter, EdgeQuery, GraphEdge, GraphNode, GraphStore, NodeKind, PathStep,
  RelatedPartyRisk, RelationType, SubjectId,
} from "./types.js";
import {
  checkEdge, checkEndpoints, checkNode, requireDate, requireFraction, requireInt, requireTypes, showId,
} from "./validate.js";

const WRITE_BATCH = 500;
export const MAX_PATH_DEPTH = 6;
export const DEFAULT_CONTROL_DEPTH = 8;

export type { Row, NodeRef, PathQuery, StoredEdge } from "./engine.js";
export { nodeFromRow } from "./engine.js";

export abstract class CypherGraphStore implements GraphStore {
  abstract readonly backend: "kuzu" | "neo4j";
  private ready: Promise<void> | undefined;
  private closed = false;

  protected abstract createSchema(): Promise<void>;
  protected abstract read(query: string, params?: Row): Promise<Row[]>;
  protected abstract write(query: string, params?: Row): Promise<Row[]>;
  protected abstract writeNodes(kind: NodeKind, nodes: GraphNode[]): Promise<void>;
  protected abstract writeEdges(type: RelationType, fromKind: NodeKind, toKind: NodeKind, edges: StoredEdge[]): Promise<void>;
  protected abstract findPaths(q: PathQuery): Promise<RawPath[]>;
  /** Enterprise ids per weakly connected component over CLUSTER_TIES valid at asOf. */
  protected abstract enterpriseGroups(asOf: string): Promise<SubjectId[][]>;
  protected abstract checkAlive(): Promise<void>;
  protected abstract release(): Promise<void>;

  init(): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.backend} graph store is closed`));
    this.ready ??= this.createSchema().catch((e: unknown) => {
      this.ready = undefined; // a later call tries again (e.g. Neo4j came up)
      throw e;
    });
    return this.ready;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.release();
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error(`${this.backend} graph store is closed`);
    await this.checkAlive();
  }

  /** Added (not in GraphStore): deletes all graph nodes and edges. For tests and rebuilds from scratch. */
  async clear(): Promise<void> {
    await this.init();
    for (const q of CLEAR_QUERIES) await this.write(q);
  }

  async upsertNodes(nodes: GraphNode[]): Promise<void> {
    await this.init();
    const byKind = new Map<NodeKind, Map<SubjectId, GraphNode>>();
    for (const raw of nodes) {
      const n = checkNode(raw);
      if (!byKind.has(n.kind)) byKind.set(n.kind, new Map());
      byKind.get(n.kind)!.set(n.id, n); // the last one of a batch wins, as a second MERGE would
    }
    for (const [kind, map] of byKind) {
      for (const batch of chunks([...map.values()], WRITE_BATCH)) await this.writeNodes(kind, batch);
    }
  }

  async upsertEdges(edges: GraphEdge[]): Promise<void> {
    await this.init();
    const checked = edges.map(checkEdge);
    const ends = await this.getNodes([...new Set(checked.flatMap((e) => [e.from, e.to]))]);
    const missing = [...new Set(checked.flatMap((e) => [e.from, e.to]).filter((id) => !ends.has(id)))];
    if (missing.length > 0) {
      const shown = missing.slice(0, 5).map(showId).join(", ");
      throw badInput("edge", "unknownNode", `upsert the nodes first; not in the graph: ${shown}${missing.length > 5 ? ` and ${missing.length - 5} more` : ""}`);
    }
    const groups = new Map<string, { type: RelationType; fromKind: NodeKind; toKind: NodeKind; rows: Map<string, StoredEdge> }>();
    for (const e of checked) {
      const fromKind = ends.get(e.from)!.kind, toKind = ends.get(e.to)!.kind;
      checkEndpoints(e.type, fromKind, toKind);
      const g = `${e.type}|${fromKind}|${toKind}`;
      if (!groups.has(g)) groups.set(g, { type: e.type, fromKind, toKind, rows: new Map() });
      groups.get(g)!.rows.set(`${e.from}|${e.to}|${e.validFrom}`, e);
    }
    for (const { type, fromKind, toKind, rows } of groups.values()) {
      const stored = [...rows.values()].map((e) => ({ ...e, from: keyOf(fromKind, e.from), to: keyOf(toKind, e.to) }));
      for (const batch of chunks(stored, WRITE_BATCH)) await this.writeEdges(type, fromKind, toKind, batch);
    }
  }

  async bulkLoad(graph: BulkGraph): Promise<{ nodes: number; edges: number }> {
    await this.init();
    return loadIntoEmpty((await this.counts()).nodes, graph, () => this.bulkSink());
  }

  /** Rows `{ key, name, cityCode, riskFlags }` of the stored nodes of one kind among `keys` (at most 1000). */
  protected readNodes(kind: NodeKind, keys: string[]): Promise<Row[]> {
    return this.read(getNodesQuery(kind), { keys });
  }

  /** How this backend takes a bulk load; by default the upsert statements in larger batches. */
  protected async bulkSink(): Promise<BulkSink> {
    return batchedSink(BULK_BATCH, (kind, nodes) => this.writeNodes(kind, nodes), (type, f, t, edges) => this.writeEdges(type, f, t, edges));
  }

  /** The (type, kinds) combinations a filter touches, with the keys per kind of each end. */
  private edgeSelections(filter: EdgeQuery): Array<{ s: EdgeSelection; params: Row }> {
    if (filter.from === undefined && filter.to === undefined && filter.type === undefined) {
      throw badInput("filter", "empty", "give at least one of from, to, type");
    }
    const type = filter.type === undefined ? undefined : requireTypes([filter.type], "filter.type")![0];
    const keysByKind = (ids: SubjectId | SubjectId[] | undefined) => {
      if (ids === undefined) return undefined;
      const out = new Map<NodeKind, string[]>();
      for (const id of (Array.isArray(ids) ? ids : [ids]).map(normalizeId)) {
        for (const kind of kindsOf(id)) out.set(kind, [...(out.get(kind) ?? []), keyOf(kind, id)]);
      }
      return out;
    };
    const from = keysByKind(filter.from), to = keysByKind(filter.to);
    return selections({ type, fromKinds: from && [...from.keys()], toKinds: to && [...to.keys()] }).map((s) => ({
      s,
      params: { ...(from ? { from: from.get(s.fromKind) } : {}), ...(to ? { to: to.get(s.toKind) } : {}) },
    }));
  }

  async removeEdges(filter: EdgeFilter): Promise<number> {
    await this.init();
    let n = 0;
    for (const { s, params } of this.edgeSelections({ from: filter.from, to: filter.to, type: filter.type })) {
      const rows = await this.write(removeEdgesQuery(s), params);
      n += Number(rows[0]?.n ?? 0);
    }
    return n;
  }

  async getEdges(filter: EdgeQuery): Promise<GraphEdge[]> {
    await this.init();
    const out: GraphEdge[] = [];
    for (const { s, params } of this.edgeSelections(filter)) {
      for (const r of await this.read(getEdgesQuery(s), params)) {
        out.push({
          type: s.type,
          from: idOf(s.fromKind, String(r.from)),
          to: idOf(s.toKind, String(r.to)),
          share: (r.share as number | null | undefined) ?? null,
          cityCode: String(r.cityCode),
          validFrom: String(r.validFrom),
          validTo: (r.validTo as string | null | undefined) ?? null,
        });
      }
    }
    const key = (e: GraphEdge) => `${e.type}|${e.from}|${e.to}|${e.validFrom}`;
    return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  async readMeta(key: string): Promise<string | null> {
    await this.init();
    const [row] = await this.read(READ_META, { key });
    return row ? String(row.value) : null;
  }

  async writeMeta(key: string, value: string): Promise<void> {
    await this.init();
    await this.write(WRITE_META, { key, value });
  }

  async getNodes(ids: SubjectId[]): Promise<Map<SubjectId, GraphNode>> {
    await this.init();
    const keysByKind = new Map<NodeKind, Set<string>>();
    for (const raw of ids) {
      const id = normalizeId(raw);
      for (const kind of kindsOf(id)) {
        if (!keysByKind.has(kind)) keysByKind.set(kind, new Set());
        keysByKind.get(kind)!.add(keyOf(kind, id));
      }
    }
    const out = new Map<SubjectId, GraphNode>();
    // NODE_KINDS order: an id valid as both USCC and ID number resolves to the Enterprise when both exist.
    for (const kind of NODE_KINDS) {
      const keys = keysByKind.get(kind);
      if (!keys) continue;
      for (const batch of chunks([...keys], 1000)) {
        for (const row of await this.readNodes(kind, batch)) {
          const node = nodeFromRow(kind, row);
          if (!out.has(node.id)) out.set(node.id, node);
        }
      }
    }
    return out;
  }

  async counts(): Promise<{ nodes: number; edges: number }> {
    await this.init();
    const n = await Promise.all(COUNT_QUERIES.map(async (q) => Number((await this.read(q))[0]?.n ?? 0)));
    const nodes = n.slice(0, NODE_KINDS.length).reduce((a, b) => a + b, 0);
    return { nodes, edges: n.slice(NODE_KINDS.length).reduce((a, b) => a + b, 0) };
  }

  /** The stored node for an id, or undefined. */
  private async resolve(id: SubjectId): Promise<GraphNode | undefined> {
    return (await this.getNodes([id])).get(normalizeId(id));
  }

  private ref(n: GraphNode): NodeRef {
    return { kind: n.kind, key: keyOf(n.kind, n.id) };
  }

  async affiliates(
    subject: SubjectId,
    opts: { depth: number; relationTypes?: RelationType[]; first: number; asOf: string },
  ): Promise<Affiliate[]> {
    const depth = requireInt(opts.depth, "depth", 1, 4);
    const firstN = requireInt(opts.first, "first", 0, 10_000);
    const asOf = requireDate(opts.asOf, "asOf");
    const types = requireTypes(opts.relationTypes, "relationTypes") ?? [...RELATION_TYPES];
    const s = await this.resolve(subject);
    if (!s || types.length === 0 || firstN === 0) return [];
    const paths = await this.findPaths({ mode: "allShortest", start: this.ref(s), direction: "both", types, maxHops: depth, asOf });
    const out: Affiliate[] = [];
    for (const [id, candidates] of byEnd(paths.filter(isSimple))) {
      if (id === s.id) continue;
      const p = first(candidates)!;
      out.push({ node: end(p), distance: p.rels.length, path: toSteps(p) });
    }
    out.sort((a, b) => a.distance - b.distance || (a.node.id < b.node.id ? -1 : 1));
    return out.slice(0, firstN);
  }

  async ultimateControllers(uscc: string, opts: { threshold: number; asOf: string; maxDepth?: number }): Promise<Controller[]> {
    const threshold = requireFraction(opts.threshold, "threshold");
    const asOf = requireDate(opts.asOf, "asOf");
    const maxHops = requireInt(opts.maxDepth ?? DEFAULT_CONTROL_DEPTH, "maxDepth", 1, 12);
    const s = await this.resolve(uscc);
    if (!s || s.kind !== "Enterprise") return [];
    const paths = await this.findPaths({
      mode: "acyclic", start: this.ref(s), direction: "in", types: CONTROL_RELATIONS, maxHops, asOf, endKinds: ["Person", "PublicBody"],
    });
    return controllersFrom(paths, threshold);
  }

  async relationPath(from: SubjectId, to: SubjectId, opts: { maxDepth: number; asOf: string }): Promise<PathStep[] | null> {
    const maxHops = requireInt(opts.maxDepth, "maxDepth", 1, MAX_PATH_DEPTH);
    const asOf = requireDate(opts.asOf, "asOf");
    const [a, b] = [await this.resolve(from), await this.resolve(to)];
    if (!a || !b) return null;
    if (a.id === b.id) return [];
    const paths = await this.findPaths({
      mode: "allShortest", start: this.ref(a), end: this.ref(b), direction: "both", types: RELATION_TYPES, maxHops, asOf,
    });
    const p = first(paths.filter(isSimple));
    return p ? toSteps(p) : null;
  }

  async relatedPartyRisk(uscc: string, opts: { asOf: string; depth?: number }): Promise<RelatedPartyRisk> {
    const asOf = requireDate(opts.asOf, "asOf");
    const depth = requireInt(opts.depth ?? DEFAULT_RISK_DEPTH, "depth", 1, 4);
    const s = await this.resolve(uscc);
    if (!s) return riskFrom([]);
    const paths = await this.findPaths({
      mode: "acyclic", start: this.ref(s), direction: "both", types: RELATION_TYPES, maxHops: depth, asOf, endFlagged: true,
    });
    return riskFrom(paths.filter((p) => end(p).id !== s.id));
  }

  async clusters(opts: { cities?: readonly string[]; minSize: number; first?: number; asOf?: string }): Promise<Cluster[]> {
    const minSize = requireInt(opts.minSize, "minSize", 1, 1_000_000);
    const firstN = opts.first === undefined ? undefined : requireInt(opts.first, "first", 0, 10_000);
    const asOf = requireDate(opts.asOf ?? today(), "asOf");
    for (const c of opts.cities ?? []) {
      if (!/^\d{6}$/.test(c)) throw badInput("cities", "format", `must be six-digit GB/T 2260 codes, got '${c}'`);
    }
    await this.init();
    const groups = await this.enterpriseGroups(asOf);
    return assembleClusters(groups, { cities: opts.cities, minSize, first: firstN }, (ids) => this.getNodes(ids));
  }
}
