/**
 * The embedded backend: kuzu 0.11.3 in this process, in memory or in one database file
 * under a data directory. kuzu's project was archived in 2025 and 0.11.3 is final; the
 * engine stays behind GraphStore so it can be swapped (the fork `lbug` has the same API
 * but needs a newer glibc than Debian 12's).
 *
 * Native handles: every QueryResult is closed after reading (closing the connection
 * with a result still open segfaults the process on exit), then the connection, then
 * the database. Queries go one at a time through `exclusive`, so a projected graph
 * (clusters) never meets a concurrent query on the same connection.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import kuzu from "kuzu";
import type { Connection, Database, KuzuValue, QueryResult } from "kuzu";
import { CypherGraphStore } from "../base.js";
import type { BulkSink } from "../bulk.js";
import { nodeFromRow, relFromRow, type PathQuery, type Row, type StoredEdge } from "../engine.js";
import { getNodeQuery, upsertEdgesQuery, upsertNodesQuery } from "../cypher.js";
import { KEY_PROPERTY, isNodeKind, keyOf } from "../model.js";
import type { RawPath } from "../paths.js";
import type { GraphNode, NodeKind, RelationType, SubjectId } from "../types.js";
import { kuzuBulkSink } from "./bulk.js";
import { FLAG_SEPARATOR, SCHEMA, componentsOf, dropProjection, edgeSet, nodeSet, pathQuery, projectTies } from "./cypher.js";

export const KUZU_FILE = "graph.kuzu";

type Params = Record<string, KuzuValue>;

/**
 * Up to this many keys, getNodes looks each up in the primary-key index; above, one scan.
 * kuzu 0.11 answers `WHERE key IN $keys` (and UNWIND … MATCH {key: k}) with a scan of the
 * whole table: 35 ms at 200,000 enterprises, linear in the table, and every query resolves
 * its subject through getNodes first. A lookup is ~0.5 ms, so a scan wins only for batches.
 */
const LOOKUP_MAX = 100;

function plain(v: unknown): unknown {
  return typeof v === "bigint" ? Number(v) : v;
}

/** The last statement's rows; every result closed. */
async function collect(result: QueryResult | QueryResult[]): Promise<Row[]> {
  const results = Array.isArray(result) ? result : [result];
  try {
    const rows = await results[results.length - 1].getAll();
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
  } finally {
    for (const r of results) r.close();
  }
}

interface KuzuNode { _label: string; _id: { table: number; offset: number }; [k: string]: unknown }
interface KuzuRel { _label: string; _src: { table: number; offset: number }; _dst: { table: number; offset: number }; [k: string]: unknown }

function internalId(id: { table: number; offset: number }): string {
  return `${id.table}:${id.offset}`;
}

function decodeNode(v: KuzuNode): GraphNode {
  if (!isNodeKind(v._label)) throw new Error(`unexpected kuzu node table ${v._label}`);
  const kind: NodeKind = v._label;
  return nodeFromRow(kind, { key: v[KEY_PROPERTY[kind]], name: v.name, cityCode: v.cityCode, riskFlags: v.riskFlags });
}

function decodePath(v: { _nodes: KuzuNode[]; _rels: KuzuRel[] }): RawPath {
  const nodes = v._nodes.map(decodeNode);
  const byInternal = new Map<string, SubjectId>(v._nodes.map((n, i) => [internalId(n._id), nodes[i].id]));
  const rels = v._rels.map((r) => relFromRow(r._label, byInternal.get(internalId(r._src))!, byInternal.get(internalId(r._dst))!, r, "kuzu"));
  return { nodes, rels };
}

export class KuzuGraphStore extends CypherGraphStore {
  readonly backend = "kuzu" as const;
  private readonly db: Database;
  private readonly conn: Connection;
  private queue: Promise<unknown> = Promise.resolve();
  private projections = 0;

  /** @param dataDir directory for the database file; undefined = in memory. */
  constructor(dataDir?: string) {
    super();
    let path = ":memory:";
    if (dataDir !== undefined) {
      mkdirSync(resolve(dataDir), { recursive: true });
      path = join(resolve(dataDir), KUZU_FILE);
    }
    this.db = new kuzu.Database(path);
    this.conn = new kuzu.Connection(this.db);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Unlocked: callers hold `exclusive`. */
  private async run(query: string, params?: Params): Promise<Row[]> {
    let result: QueryResult | QueryResult[];
    if (params && Object.keys(params).length > 0) {
      const stmt = await this.conn.prepare(query);
      if (!stmt.isSuccess()) throw new Error(`kuzu: ${stmt.getErrorMessage()}`);
      result = await this.conn.execute(stmt, params);
    } else {
      result = await this.conn.query(query);
    }
    return collect(result);
  }

  protected read(query: string, params?: Row): Promise<Row[]> {
    return this.exclusive(() => this.run(query, params as Params | undefined));
  }

  protected write(query: string, params?: Row): Promise<Row[]> {
    return this.read(query, params);
  }

  protected createSchema(): Promise<void> {
    return this.exclusive(async () => {
      for (const ddl of SCHEMA) await this.run(ddl);
    });
  }

  protected async writeNodes(kind: NodeKind, nodes: GraphNode[]): Promise<void> {
    for (const hasCity of [true, false]) {
      const rows = nodes
        .filter((n) => (n.cityCode !== null) === hasCity)
        .map((n) => ({ key: keyOf(n.kind, n.id), name: n.name, cityCode: n.cityCode ?? "", flags: n.riskFlags.join(FLAG_SEPARATOR) }));
      if (rows.length > 0) await this.write(upsertNodesQuery(kind, nodeSet(hasCity)), { rows });
    }
  }

  protected async writeEdges(type: RelationType, fromKind: NodeKind, toKind: NodeKind, edges: StoredEdge[]): Promise<void> {
    for (const hasShare of [true, false]) {
      for (const hasValidTo of [true, false]) {
        const rows = edges
          .filter((e) => (e.share !== null) === hasShare && (e.validTo !== null) === hasValidTo)
          .map((e) => ({ from: e.from, to: e.to, validFrom: e.validFrom, cityCode: e.cityCode, share: String(e.share ?? ""), validTo: e.validTo ?? "" }));
        if (rows.length > 0) await this.write(upsertEdgesQuery(type, fromKind, toKind, edgeSet(hasShare, hasValidTo)), { rows });
      }
    }
  }

  /** CSV files and COPY (kuzu/bulk.ts) instead of MERGE batches. */
  protected override bulkSink(): Promise<BulkSink> {
    return kuzuBulkSink((n) => keyOf(n.kind, n.id), async (statement) => {
      await this.read(statement);
    });
  }

  protected override readNodes(kind: NodeKind, keys: string[]): Promise<Row[]> {
    if (keys.length > LOOKUP_MAX) return super.readNodes(kind, keys);
    return this.exclusive(async () => {
      const stmt = await this.conn.prepare(getNodeQuery(kind));
      if (!stmt.isSuccess()) throw new Error(`kuzu: ${stmt.getErrorMessage()}`);
      const rows: Row[] = [];
      for (const key of keys) {
        rows.push(...(await collect(await this.conn.execute(stmt, { key }))));
      }
      return rows;
    });
  }

  protected async findPaths(q: PathQuery): Promise<RawPath[]> {
    const params: Params = { startKey: q.start.key };
    if (q.end) params.endKey = q.end.key;
    const rows = await this.read(pathQuery(q), params);
    return rows.map((r) => decodePath(r.p as { _nodes: KuzuNode[]; _rels: KuzuRel[] }));
  }

  protected enterpriseGroups(asOf: string): Promise<SubjectId[][]> {
    return this.exclusive(async () => {
      const name = `ties_${++this.projections}`;
      await this.run(projectTies(name, asOf));
      try {
        const rows = await this.run(componentsOf(name));
        return rows.map((r) => (r.members as string[]).slice());
      } finally {
        await this.run(dropProjection(name));
      }
    });
  }

  protected async checkAlive(): Promise<void> {
    await this.read("RETURN 1 AS one");
  }

  protected async release(): Promise<void> {
    // Wait for queries in flight: their results must be closed before the connection.
    await this.exclusive(async () => {
      await this.conn.close();
      await this.db.close();
    });
  }
}
