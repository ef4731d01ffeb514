/**
 * The affiliate graph's public surface (关联方图谱). The `relations` subgraph is written
 * against these names and shapes; both backends (kuzu embedded, Neo4j) implement them.
 */

/** USCC (18 chars), resident ID number (18 chars), or "PB:<code>" for a public body. */
export type SubjectId = string;

export type RelationType =
  | "LEGAL_REPRESENTATIVE_OF" // 法定代表人
  | "PRINCIPAL_OF" // 主要负责人
  | "ACTUAL_CONTROLLER_OF" // 实际控制人
  | "SENIOR_MANAGER_OF" // 高级管理人员
  | "MEMBER_OF" // 成员 (合作社社员, 协会会员…)
  | "SUPPLY_CHAIN" // 供应链上下游
  | "SHAREHOLDER_OF"; // 股东, with `share` in [0, 1]

export type NodeKind = "Enterprise" | "Person" | "PublicBody";

export interface GraphNode {
  id: SubjectId;
  kind: NodeKind;
  name: string;
  cityCode: string | null;
  /** e.g. SERIOUS_DISHONESTY, KEY_ATTENTION, LOW_RATING (see risk.ts for the severities). */
  riskFlags: string[];
}

export interface GraphEdge {
  type: RelationType;
  from: SubjectId;
  to: SubjectId;
  /** SHAREHOLDER_OF only. */
  share?: number | null;
  /** The partner city whose 数据清单 the edge came from. */
  cityCode: string;
  /** YYYY-MM-DD, inclusive. */
  validFrom: string;
  /** YYYY-MM-DD, exclusive; null = still valid. */
  validTo?: string | null;
}

export interface PathStep {
  from: SubjectId;
  to: SubjectId;
  type: RelationType;
  share: number | null;
}

/** `path` is a shortest path from the subject (ties broken by smallest node ids, so both backends agree). */
export interface Affiliate {
  node: GraphNode;
  distance: number;
  path: PathStep[];
}

export interface Controller {
  node: GraphNode;
  /** Sum over acyclic SHAREHOLDER_OF paths of the product of the shares. */
  effectiveShare: number;
  /** A path on which every hop is > 50% or an ACTUAL_CONTROLLER_OF edge. */
  controls: boolean;
  /** The ownership and control paths, controller first. */
  paths: PathStep[][];
}

export interface RiskContribution {
  node: GraphNode;
  flags: string[];
  distance: number;
  weight: number;
  contribution: number;
  path: PathStep[];
}

export interface RelatedPartyRisk {
  /** In [0, 1]. */
  score: number;
  contributions: RiskContribution[];
  formula: string;
}

export interface Cluster {
  id: string;
  size: number;
  members: GraphNode[];
}

export interface EdgeFilter {
  from?: SubjectId;
  to?: SubjectId;
  type?: RelationType;
}

/** Added: getEdges also takes lists of ends (any of them). */
export interface EdgeQuery {
  from?: SubjectId | SubjectId[];
  to?: SubjectId | SubjectId[];
  type?: RelationType;
}

/** Added: a whole graph for `bulkLoad`, streamed (every node is read before the first edge). */
export interface BulkGraph {
  nodes: Iterable<GraphNode> | AsyncIterable<GraphNode>;
  edges: Iterable<GraphEdge> | AsyncIterable<GraphEdge>;
}

export interface GraphStore {
  readonly backend: "kuzu" | "neo4j";
  /** Schema, constraints and indexes; idempotent. Every other method also runs it once when needed. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** Throws when the store is unreachable or closed (the subgraph reports GRAPH_UNAVAILABLE). */
  ping(): Promise<void>;
  /** MERGE by id; sets name, cityCode and riskFlags. Idempotent. */
  upsertNodes(nodes: GraphNode[]): Promise<void>;
  /** MERGE by (type, from, to, validFrom); sets share, cityCode, validTo. Both ends must exist. Idempotent. */
  upsertEdges(edges: GraphEdge[]): Promise<void>;
  /**
   * Added: loads a graph into a store without subject nodes (a first load, a rebuild after
   * clear): the result upsertNodes then upsertEdges would give, at bulk speed. Each node and
   * edge is given once; every edge's ends are nodes of the load. Throws on a non-empty store.
   */
  bulkLoad(graph: BulkGraph): Promise<{ nodes: number; edges: number }>;
  /** Deletes the matching edges (at least one filter field); returns how many. */
  removeEdges(filter: EdgeFilter): Promise<number>;
  /** Keyed by the normalised id (18-character codes upper-cased); unknown ids are absent. */
  getNodes(ids: SubjectId[]): Promise<Map<SubjectId, GraphNode>>;
  /** A small value the graph keeps for the hub (e.g. how far an event consumer that writes the graph has read); null when unset. */
  readMeta(key: string): Promise<string | null>;
  writeMeta(key: string, value: string): Promise<void>;
  /** Added: the stored edges matching a filter (at least one field), ordered by type, from, to, validFrom. */
  getEdges(filter: EdgeQuery): Promise<GraphEdge[]>;
  counts(): Promise<{ nodes: number; edges: number }>;
  /** Undirected, nearest first (then by id), excluding the subject; depth 1..4; [] for an unknown subject. */
  affiliates(
    subject: SubjectId,
    opts: { depth: number; relationTypes?: RelationType[]; first: number; asOf: string },
  ): Promise<Affiliate[]>;
  /** Natural persons and public bodies above `uscc`; see ownership.ts. */
  ultimateControllers(uscc: string, opts: { threshold: number; asOf: string; maxDepth?: number }): Promise<Controller[]>;
  /** Shortest undirected path, null when none within maxDepth (1..6). */
  relationPath(from: SubjectId, to: SubjectId, opts: { maxDepth: number; asOf: string }): Promise<PathStep[] | null>;
  /** See risk.ts for the formula. */
  relatedPartyRisk(uscc: string, opts: { asOf: string; depth?: number }): Promise<RelatedPartyRisk>;
  /**
   * Weakly connected groups of enterprises tied by common people or holdings, largest first.
   * `asOf` (added) defaults to today (UTC); see components.ts for what counts as a tie.
   */
  clusters(opts: { cities?: readonly string[]; minSize: number; first?: number; asOf?: string }): Promise<Cluster[]>;
}
