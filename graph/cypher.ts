/**
 * Cypher text both engines accept as is. Labels, property names and relation types come
 * from model.ts (a closed set), never from input; values travel as parameters, except in
 * the engine-specific path queries (kuzu/cypher.ts, neo4j/cypher.ts) where the engines
 * require literals and validate.ts has checked them.
 *
 * What cannot be shared: kuzu's recursive patterns (`* ACYCLIC`, `* ALL SHORTEST`, the
 * `(r, n | WHERE …)` filter) vs Neo4j's quantified relationships and `ALL SHORTEST`;
 * kuzu's `label(r)` vs Neo4j's `type(r)`; and how each takes a batch of rows (see the
 * SET clauses the backends pass to the upsert builders).
 */
import { ENDPOINTS, KEY_PROPERTY, NODE_KINDS, RELATION_TYPES } from "./model.js";
import type { NodeKind, RelationType } from "./types.js";

/** Edge valid at a date: `validFrom <= asOf < validTo`, an open end when validTo is null. */
export function validAt(rel: string, asOf: string): string {
  return `${rel}.validFrom <= ${asOf} AND (${rel}.validTo IS NULL OR ${asOf} < ${rel}.validTo)`;
}

/** `'2026-01-01'` for splicing; only for a value validate.ts accepted as an ISO date. */
export function dateLiteral(isoDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new Error(`not a checked ISO date: ${isoDate}`);
  return `'${isoDate}'`;
}

export function relAlternatives(types: readonly RelationType[]): string {
  for (const t of types) if (!RELATION_TYPES.includes(t)) throw new Error(`not a relation type: ${t}`);
  return types.join("|");
}

export function getNodesQuery(kind: NodeKind): string {
  const k = KEY_PROPERTY[kind];
  return `MATCH (n:${kind}) WHERE n.${k} IN $keys RETURN n.${k} AS key, n.name AS name, n.cityCode AS cityCode, n.riskFlags AS riskFlags`;
}

/** One node by its key (`$key`): an index lookup on both engines. */
export function getNodeQuery(kind: NodeKind): string {
  const k = KEY_PROPERTY[kind];
  return `MATCH (n:${kind} {${k}: $key}) RETURN n.${k} AS key, n.name AS name, n.cityCode AS cityCode, n.riskFlags AS riskFlags`;
}

/** Deletes every node of the graph's labels with its edges (tests; a rebuild from scratch). */
/** The hub's own small values, on nodes of their own label (never a subject). */
export const READ_META = "MATCH (m:HubMeta {key: $key}) RETURN m.value AS value";
export const WRITE_META = "MERGE (m:HubMeta {key: $key}) SET m.value = $value";

export const CLEAR_QUERIES: readonly string[] = NODE_KINDS.map((k) => `MATCH (n:${k}) DETACH DELETE n`);

export const COUNT_QUERIES: readonly string[] = [
  ...NODE_KINDS.map((k) => `MATCH (n:${k}) RETURN count(n) AS n`),
  ...RELATION_TYPES.map((t) => `MATCH ()-[r:${t}]->() RETURN count(r) AS n`),
];

/** Rows `{ key, ... }`; `set` assigns n's properties from `row` in the engine's way. */
export function upsertNodesQuery(kind: NodeKind, set: string): string {
  return `UNWIND $rows AS row MERGE (n:${kind} {${KEY_PROPERTY[kind]}: row.key}) SET ${set}`;
}

/** Rows `{ from, to, validFrom, ... }`; MERGE by (type, from, to, validFrom). */
export function upsertEdgesQuery(type: RelationType, fromKind: NodeKind, toKind: NodeKind, set: string): string {
  return (
    `UNWIND $rows AS row MATCH (a:${fromKind} {${KEY_PROPERTY[fromKind]}: row.from}) ` +
    `MATCH (b:${toKind} {${KEY_PROPERTY[toKind]}: row.to}) ` +
    `MERGE (a)-[r:${type} {validFrom: row.validFrom}]->(b) SET ${set}`
  );
}

export interface EdgeSelection {
  type: RelationType;
  fromKind: NodeKind;
  toKind: NodeKind;
  /** Restrict the ends to the keys in the list parameters `$from` / `$to`. */
  boundFrom: boolean;
  boundTo: boolean;
}

/** Every (type, from kind, to kind) an edge filter can touch. */
export function selections(filter: { type?: RelationType; fromKinds?: NodeKind[]; toKinds?: NodeKind[] }): EdgeSelection[] {
  const out: EdgeSelection[] = [];
  for (const type of filter.type ? [filter.type] : RELATION_TYPES) {
    for (const [fromKind, toKind] of ENDPOINTS[type]) {
      if (filter.fromKinds && !filter.fromKinds.includes(fromKind)) continue;
      if (filter.toKinds && !filter.toKinds.includes(toKind)) continue;
      out.push({ type, fromKind, toKind, boundFrom: filter.fromKinds !== undefined, boundTo: filter.toKinds !== undefined });
    }
  }
  return out;
}

function matchSelection(s: EdgeSelection): string {
  const where: string[] = [];
  if (s.boundFrom) where.push(`a.${KEY_PROPERTY[s.fromKind]} IN $from`);
  if (s.boundTo) where.push(`b.${KEY_PROPERTY[s.toKind]} IN $to`);
  return `MATCH (a:${s.fromKind})-[r:${s.type}]->(b:${s.toKind})${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`;
}

export function getEdgesQuery(s: EdgeSelection): string {
  return (
    `${matchSelection(s)} RETURN a.${KEY_PROPERTY[s.fromKind]} AS from, b.${KEY_PROPERTY[s.toKind]} AS to, ` +
    `r.share AS share, r.cityCode AS cityCode, r.validFrom AS validFrom, r.validTo AS validTo`
  );
}

export function removeEdgesQuery(s: EdgeSelection): string {
  return `${matchSelection(s)} DELETE r RETURN count(*) AS n`;
}

/** Tie edges between non-public-body nodes and enterprises, valid at `asOf` ($asOf). */
export function tieEdgesQueries(ties: readonly RelationType[]): Array<{ fromKind: NodeKind; query: string }> {
  const out: Array<{ fromKind: NodeKind; query: string }> = [];
  for (const type of ties) {
    for (const [fromKind, toKind] of ENDPOINTS[type]) {
      if (fromKind === "PublicBody" || toKind !== "Enterprise") continue;
      const query =
        `MATCH (a:${fromKind})-[r:${type}]->(b:Enterprise) WHERE ${validAt("r", "$asOf")} ` +
        `RETURN a.${KEY_PROPERTY[fromKind]} AS a, b.uscc AS b`;
      out.push({ fromKind, query });
    }
  }
  return out;
}
