/**
 * Neo4j's dialect, where it differs from what cypher.ts shares. Needs Neo4j 5.21 or later
 * (`ALL SHORTEST` with quantified relationships; checked in init()).
 *
 * Paths: a quantified relationship with the validity predicate inline
 * (`-[r:T WHERE …]-{1,n}`), so the predicate prunes the search instead of filtering
 * afterwards. Neo4j's default match mode keeps relationships distinct, not nodes; the
 * shared code (paths.ts) drops paths that meet a node twice, as it does for kuzu.
 */
import { relAlternatives, validAt } from "../cypher.js";
import { KEY_PROPERTY } from "../model.js";
import type { PathQuery } from "../base.js";

export const MIN_VERSION: readonly [number, number] = [5, 21];

export const SCHEMA: readonly string[] = [
  "CREATE CONSTRAINT graph_enterprise_uscc IF NOT EXISTS FOR (n:Enterprise) REQUIRE n.uscc IS UNIQUE",
  "CREATE CONSTRAINT graph_person_id_number IF NOT EXISTS FOR (n:Person) REQUIRE n.idNumber IS UNIQUE",
  "CREATE CONSTRAINT graph_public_body_code IF NOT EXISTS FOR (n:PublicBody) REQUIRE n.code IS UNIQUE",
  "CREATE INDEX graph_enterprise_city IF NOT EXISTS FOR (n:Enterprise) ON (n.cityCode)",
  "CREATE CONSTRAINT graph_hub_meta_key IF NOT EXISTS FOR (m:HubMeta) REQUIRE m.key IS UNIQUE",
];

export const VERSION_QUERY = "CALL dbms.components() YIELD name, versions WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version";

export const NODE_SET = "n.name = row.name, n.cityCode = row.cityCode, n.riskFlags = row.riskFlags";
export const EDGE_SET = "r.share = row.share, r.cityCode = row.cityCode, r.validTo = row.validTo";

export function pathQuery(q: PathQuery): string {
  const rel = `[r:${relAlternatives(q.types)} WHERE ${validAt("r", "$asOf")}]`;
  const hop = q.direction === "in" ? `<-${rel}-{1,${q.maxHops}}` : `-${rel}-{1,${q.maxHops}}`;
  const target = q.end
    ? `t:${q.end.kind} {${KEY_PROPERTY[q.end.kind]}: $endKey}`
    : q.endKinds ? `t:${q.endKinds.join("|")}` : "t";
  const selector = q.mode === "allShortest" ? "ALL SHORTEST " : "";
  const where = ["t <> s"];
  if (q.endFlagged) where.push("size(coalesce(t.riskFlags, [])) > 0");
  return `MATCH p = ${selector}(s:${q.start.kind} {${KEY_PROPERTY[q.start.kind]}: $startKey})${hop}(${target}) WHERE ${where.join(" AND ")} RETURN p`;
}

/** "5.26.0" or calendar "2025.01.0" → at least MIN_VERSION? */
export function versionSupported(version: string): boolean {
  const [major, minor] = version.split(".").map((x) => Number.parseInt(x, 10));
  if (!Number.isFinite(major)) return false;
  return major > MIN_VERSION[0] || (major === MIN_VERSION[0] && (minor ?? 0) >= MIN_VERSION[1]);
}
