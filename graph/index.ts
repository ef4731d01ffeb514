/**
 * The affiliate graph (关联方图谱): legal representatives, shareholders, actual
 * controllers and affiliates of the partner cities' subjects (F52–F54).
 *
 * One interface (types.ts), two backends: Neo4j in production (neo4j/), kuzu embedded by
 * default (kuzu/). Both run the same Cypher where the engines agree (cypher.ts) and the
 * same TypeScript for every decision taken on the paths they return (base.ts).
 */
import { KuzuGraphStore } from "./kuzu/store.js";
import { Neo4jGraphStore } from "./neo4j/store.js";
import type { GraphStore } from "./types.js";

export type * from "./types.js";
export { KuzuGraphStore } from "./kuzu/store.js";
export { Neo4jGraphStore } from "./neo4j/store.js";
export { RELATION_TYPES, NODE_KINDS, kindsOf, normalizeId } from "./model.js";
export { RISK_FORMULA, SEVERITY, RELATION_WEIGHT, DECAY } from "./risk.js";
export { syncFromRelational, type SyncResult } from "./sync.js";

export interface GraphConfig {
  neo4jUri?: string;
  neo4jUser?: string;
  neo4jPassword?: string;
  /** Added: the Neo4j database name; default the server's home database. */
  neo4jDatabase?: string;
  /** kuzu's directory; undefined = in memory. */
  dataDir?: string;
}

/**
 * Neo4j when a URI is given (user and password then required), else kuzu. Does not
 * contact Neo4j: the schema is created by `init()` or on first use.
 */
export async function openGraphStore(cfg: GraphConfig): Promise<GraphStore> {
  if (cfg.neo4jUri) {
    if (!cfg.neo4jUser || cfg.neo4jPassword === undefined) {
      throw new Error("NEO4J_URI is set: NEO4J_USER and NEO4J_PASSWORD are needed too");
    }
    return new Neo4jGraphStore({ uri: cfg.neo4jUri, user: cfg.neo4jUser, password: cfg.neo4jPassword, database: cfg.neo4jDatabase });
  }
  return new KuzuGraphStore(cfg.dataDir);
}

/**
 * The graph settings from the environment: NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD /
 * NEO4J_DATABASE, else kuzu under `<HUB_DATA_DIR>/graph` (in memory when `dataDir` is
 * not wanted, e.g. tests: pass `{ embeddedDir: undefined }`).
 */
export function graphConfigFromEnv(env: NodeJS.ProcessEnv = process.env, opts: { embeddedDir?: string } = {}): GraphConfig {
  return {
    neo4jUri: env.NEO4J_URI || undefined,
    neo4jUser: env.NEO4J_USER || undefined,
    neo4jPassword: env.NEO4J_PASSWORD,
    neo4jDatabase: env.NEO4J_DATABASE || undefined,
    dataDir: "embeddedDir" in opts ? opts.embeddedDir : `${env.HUB_DATA_DIR ?? ".data"}/graph`,
  };
}
