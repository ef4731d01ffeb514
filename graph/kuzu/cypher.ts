/**
 * kuzu 0.11.3's dialect, where it differs from what cypher.ts shares.
 *
 * Batches: kuzu infers the type of a list-of-structs parameter from the JS values, and
 * gets it wrong when a field is null in some rows (STRING assumed, or "vector with ANY
 * type") or when a number field mixes integers and fractions (1 is read as INT64, and
 * 0.3 in the next row then comes back as garbage). So every row field is a non-null
 * string: shares travel as `String(x)` and are `CAST(... AS DOUBLE)` (exact: JS prints
 * the shortest round-tripping decimal), risk flags as one comma-joined string, and rows
 * whose optional fields are null go in a separate statement that SETs a NULL literal.
 *
 * Paths: `* ACYCLIC` (not the walk semantics of a bare `*1..n`) and `* ALL SHORTEST`,
 * with the validity filter inside the recursive pattern; kuzu refuses parameters there,
 * so `asOf` is a literal (validate.ts checked it).
 */
import { dateLiteral, relAlternatives, validAt } from "../cypher.js";
import { CLUSTER_TIES, ENDPOINTS, KEY_PROPERTY, NODE_KINDS, RELATION_TYPES } from "../model.js";
import type { PathQuery } from "../base.js";

export const SCHEMA: readonly string[] = [
  "CREATE NODE TABLE IF NOT EXISTS HubMeta(key STRING PRIMARY KEY, value STRING)",
  ...NODE_KINDS.map((k) => `CREATE NODE TABLE IF NOT EXISTS ${k}(${KEY_PROPERTY[k]} STRING PRIMARY KEY, name STRING, cityCode STRING, riskFlags STRING[])`),
  ...RELATION_TYPES.map((t) => {
    const pairs = ENDPOINTS[t].map(([f, to]) => `FROM ${f} TO ${to}`).join(", ");
    return `CREATE REL TABLE IF NOT EXISTS ${t}(${pairs}, share DOUBLE, cityCode STRING, validFrom STRING, validTo STRING, MANY_MANY)`;
  }),
];

export const FLAG_SEPARATOR = ",";

export function nodeSet(hasCity: boolean): string {
  return (
    `n.name = row.name, n.cityCode = ${hasCity ? "row.cityCode" : "NULL"}, ` +
    `n.riskFlags = list_filter(string_split(row.flags, '${FLAG_SEPARATOR}'), x -> x <> '')`
  );
}

export function edgeSet(hasShare: boolean, hasValidTo: boolean): string {
  return (
    `r.share = ${hasShare ? "CAST(row.share AS DOUBLE)" : "NULL"}, r.cityCode = row.cityCode, ` +
    `r.validTo = ${hasValidTo ? "row.validTo" : "NULL"}`
  );
}

/**
 * kuzu's ACYCLIC keeps the inner nodes distinct but lets the ends reappear among them
 * (tried: the start comes back, G ← H ← G ← P); paths.ts drops those paths. The start is
 * not kept out by a node predicate in the pattern: kuzu 0.11 evaluates a recursive
 * pattern's node predicate on every node of the graph before it walks (measured: 15–50 ms
 * at 500,000 nodes, growing with the graph, for any predicate on `m`), while the paths
 * through the start it would prune are few (ACYCLIC meets the start at most once more).
 */
export function pathQuery(q: PathQuery): string {
  const mode = q.mode === "allShortest" ? "ALL SHORTEST" : "ACYCLIC";
  const types = q.types.length === RELATION_TYPES.length ? "" : `:${relAlternatives(q.types)}`;
  const rel = `[r${types}* ${mode} 1..${q.maxHops} (e, m | WHERE ${validAt("e", dateLiteral(q.asOf))})]`;
  const hop = q.direction === "in" ? `<-${rel}-` : `-${rel}-`;
  // kuzu reads `(t:A:B)` as "in table A or B".
  const target = q.end
    ? `t:${q.end.kind} {${KEY_PROPERTY[q.end.kind]}: $endKey}`
    : q.endKinds ? `t:${q.endKinds.join(":")}` : "t";
  const where = ["id(t) <> id(s)"];
  if (q.endFlagged) where.push("t.riskFlags IS NOT NULL AND size(t.riskFlags) > 0");
  return `MATCH p = (s:${q.start.kind} {${KEY_PROPERTY[q.start.kind]}: $startKey})${hop}(${target}) WHERE ${where.join(" AND ")} RETURN p`;
}

/**
 * The algorithm extension's weakly connected components over a projected graph of the
 * tie relations valid at `asOf`. Public bodies are projected (kuzu wants every table a
 * projected relation touches) but filtered out, so their edges tie nothing.
 */
export function projectTies(name: string, asOf: string): string {
  const valid = validAt("r", dateLiteral(asOf));
  const nodes = NODE_KINDS.map((k) => `'${k}': '${k === "PublicBody" ? "n.code IS NULL" : ""}'`).join(", ");
  const rels = CLUSTER_TIES.map((t) => `'${t}': "${valid}"`).join(", ");
  return `CALL project_graph('${name}', {${nodes}}, {${rels}})`;
}

export function componentsOf(name: string): string {
  return (
    `CALL weakly_connected_components('${name}') WITH node, group_id WHERE label(node) = 'Enterprise' ` +
    `RETURN group_id, collect(node.uscc) AS members`
  );
}

export function dropProjection(name: string): string {
  return `CALL drop_projected_graph('${name}')`;
}
