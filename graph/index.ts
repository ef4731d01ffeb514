/**
 * The affiliate graph (关联方图谱): legal representatives, shareholders, actual
 * controllers and affiliates. One interface, two backends (Neo4j in production,
 * an embedded Cypher engine by default); the backends arrive with the graph issue.
 */
export type RelationType =
  | "LEGAL_REPRESENTATIVE_OF"
  | "PRINCIPAL_OF"
  | "ACTUAL_CONTROLLER_OF"
  | "SENIOR_MANAGER_OF"
  | "MEMBER_OF"
  | "SUPPLY_CHAIN"
  | "SHAREHOLDER_OF";

export interface GraphStore {
  /** Creates constraints and indexes; idempotent. */
  init(): Promise<void>;
  close(): Promise<void>;
}
