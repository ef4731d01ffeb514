/**
 * The Neo4j backend (production), through the official driver. Used when NEO4J_URI,
 * NEO4J_USER and NEO4J_PASSWORD are set. Nothing contacts the server before the first
 * call, so the hub starts while Neo4j is down and `ping()` reports GRAPH_UNAVAILABLE.
 *
 * Components (clusters) run in TypeScript over the tie edges (components.ts): GDS is
 * not assumed to be installed.
 */
import neo4j from "neo4j-driver";
import type { Driver, Node, Path, Relationship } from "neo4j-driver";
import { CypherGraphStore } from "../base.js";
import { nodeFromRow, relFromRow, type PathQuery, type Row, type StoredEdge } from "../engine.js";
import { unionFind } from "../components.js";
import { tieEdgesQueries, upsertEdgesQuery, upsertNodesQuery } from "../cypher.js";
import { CLUSTER_TIES, KEY_PROPERTY, NODE_KINDS, keyOf } from "../model.js";
import type { RawPath } from "../paths.js";
import type { GraphNode, NodeKind, RelationType, SubjectId } from "../types.js";
import { EDGE_SET, MIN_VERSION, NODE_SET, SCHEMA, VERSION_QUERY, pathQuery, versionSupported } from "./cypher.js";

export interface Neo4jOptions {
  uri: string;
  user: string;
  password: string;
  /** Default: the server's home database. */
  database?: string;
  /** Milliseconds to wait for a connection (ping on a dead server fails after this at most). */
  connectionTimeout?: number;
  /**
   * Milliseconds a query keeps retrying transient failures (leader switch, server down);
   * kept short so a request fails fast with GRAPH_UNAVAILABLE rather than hang. Default 2000.
   */
  maxRetryTime?: number;
}

function decodeNode(n: Node): GraphNode {
  const kind = NODE_KINDS.find((k) => n.labels.includes(k));
  if (!kind) throw new Error(`unexpected node labels ${n.labels.join(":")}`);
  const p = n.properties as Record<string, unknown>;
  return nodeFromRow(kind, { key: p[KEY_PROPERTY[kind]], name: p.name, cityCode: p.cityCode, riskFlags: p.riskFlags });
}

function decodePath(p: Path): RawPath {
  const nodes = [decodeNode(p.start), ...p.segments.map((s) => decodeNode(s.end))];
  const byElement = new Map<string, SubjectId>([[p.start.elementId, nodes[0].id]]);
  p.segments.forEach((s, i) => byElement.set(s.end.elementId, nodes[i + 1].id));
  const rels = p.segments.map(({ relationship: r }: { relationship: Relationship }) =>
    relFromRow(r.type, byElement.get(r.startNodeElementId)!, byElement.get(r.endNodeElementId)!, r.properties as Record<string, unknown>, "neo4j"));
  return { nodes, rels };
}

export class Neo4jGraphStore extends CypherGraphStore {
  readonly backend = "neo4j" as const;
  private readonly driver: Driver;
  private readonly database: string | undefined;

  constructor(opts: Neo4jOptions) {
    super();
    this.database = opts.database;
    this.driver = neo4j.driver(opts.uri, neo4j.auth.basic(opts.user, opts.password), {
      // Counts and other integers come back as JS numbers (they stay far below 2^53 here).
      disableLosslessIntegers: true,
      connectionTimeout: opts.connectionTimeout ?? 5_000,
      connectionAcquisitionTimeout: (opts.connectionTimeout ?? 5_000) * 2,
      maxTransactionRetryTime: opts.maxRetryTime ?? 2_000,
      telemetryDisabled: true,
    });
  }

  private async execute(query: string, params: Row, routing: "READ" | "WRITE"): Promise<Row[]> {
    const { records } = await this.driver.executeQuery(query, params, { database: this.database, routing: neo4j.routing[routing] });
    return records.map((r) => r.toObject() as Row);
  }

  protected read(query: string, params: Row = {}): Promise<Row[]> {
    return this.execute(query, params, "READ");
  }

  protected write(query: string, params: Row = {}): Promise<Row[]> {
    return this.execute(query, params, "WRITE");
  }

  protected async createSchema(): Promise<void> {
    const [row] = await this.read(VERSION_QUERY);
    const version = String(row?.version ?? "");
    if (!versionSupported(version)) {
      throw new Error(`Neo4j ${version || "(unknown version)"} is too old for the graph queries: need ${MIN_VERSION.join(".")} or later`);
    }
    for (const ddl of SCHEMA) await this.write(ddl);
  }

  protected async writeNodes(kind: NodeKind, nodes: GraphNode[]): Promise<void> {
    const rows = nodes.map((n) => ({ key: keyOf(kind, n.id), name: n.name, cityCode: n.cityCode, riskFlags: n.riskFlags }));
    await this.write(upsertNodesQuery(kind, NODE_SET), { rows });
  }

  protected async writeEdges(type: RelationType, fromKind: NodeKind, toKind: NodeKind, edges: StoredEdge[]): Promise<void> {
    const rows = edges.map((e) => ({ from: e.from, to: e.to, validFrom: e.validFrom, share: e.share, cityCode: e.cityCode, validTo: e.validTo }));
    await this.write(upsertEdgesQuery(type, fromKind, toKind, EDGE_SET), { rows });
  }

  protected async findPaths(q: PathQuery): Promise<RawPath[]> {
    const params: Row = { startKey: q.start.key, asOf: q.asOf };
    if (q.end) params.endKey = q.end.key;
    const { records } = await this.driver.executeQuery(pathQuery(q), params, { database: this.database, routing: neo4j.routing.READ });
    return records.map((r) => decodePath(r.get("p") as Path));
  }

  protected async enterpriseGroups(asOf: string): Promise<SubjectId[][]> {
    // Kinds prefix the ids so an ID number that happens to pass the USCC check stays a person.
    const enterprises = (await this.read("MATCH (e:Enterprise) RETURN e.uscc AS id")).map((r) => `Enterprise:${String(r.id)}`);
    const edges: Array<[string, string]> = [];
    for (const { fromKind, query } of tieEdgesQueries(CLUSTER_TIES)) {
      for (const r of await this.read(query, { asOf })) edges.push([`${fromKind}:${String(r.a)}`, `Enterprise:${String(r.b)}`]);
    }
    return unionFind(enterprises, edges)
      .map((g) => g.filter((id) => id.startsWith("Enterprise:")).map((id) => id.slice("Enterprise:".length)))
      .filter((g) => g.length > 0);
  }

  protected async checkAlive(): Promise<void> {
    await this.driver.verifyConnectivity({ database: this.database });
  }

  protected async release(): Promise<void> {
    await this.driver.close();
  }
}
