/**
 * The graph model both backends store: labels, key properties, and which kinds of node
 * each relation may join. Kept as data so the kuzu schema (typed rel tables need their
 * FROM/TO pairs) and the Neo4j checks come from one table.
 */
import { checkIdNumber, checkUscc } from "../lib/ids/index.js";
import type { NodeKind, RelationType, SubjectId } from "./types.js";

export const NODE_KINDS: readonly NodeKind[] = ["Enterprise", "Person", "PublicBody"];

export const RELATION_TYPES: readonly RelationType[] = [
  "LEGAL_REPRESENTATIVE_OF",
  "PRINCIPAL_OF",
  "ACTUAL_CONTROLLER_OF",
  "SENIOR_MANAGER_OF",
  "MEMBER_OF",
  "SUPPLY_CHAIN",
  "SHAREHOLDER_OF",
];

/** The key property per label, named by the domain (Enterprise {uscc}, Person {idNumber}, PublicBody {code}). */
export const KEY_PROPERTY: Readonly<Record<NodeKind, "uscc" | "idNumber" | "code">> = {
  Enterprise: "uscc",
  Person: "idNumber",
  PublicBody: "code",
};

export const PUBLIC_BODY_PREFIX = "PB:";
/** A public body's code: letters, digits, and `-_.` (e.g. "610800-SASAC" or its USCC). */
export const PUBLIC_BODY_CODE = /^[0-9A-Za-z][0-9A-Za-z_.-]{0,63}$/;

/** Allowed (from, to) kinds per relation. */
export const ENDPOINTS: Readonly<Record<RelationType, ReadonlyArray<readonly [NodeKind, NodeKind]>>> = {
  LEGAL_REPRESENTATIVE_OF: [["Person", "Enterprise"], ["Person", "PublicBody"]],
  PRINCIPAL_OF: [["Person", "Enterprise"], ["Person", "PublicBody"]],
  ACTUAL_CONTROLLER_OF: [["Person", "Enterprise"], ["PublicBody", "Enterprise"], ["Enterprise", "Enterprise"]],
  SENIOR_MANAGER_OF: [["Person", "Enterprise"]],
  MEMBER_OF: [["Person", "Enterprise"], ["Enterprise", "Enterprise"], ["Person", "PublicBody"], ["Enterprise", "PublicBody"]],
  SUPPLY_CHAIN: [["Enterprise", "Enterprise"]],
  SHAREHOLDER_OF: [["Person", "Enterprise"], ["Enterprise", "Enterprise"], ["PublicBody", "Enterprise"]],
};

/** Relations that make two enterprises one group (common people or holdings); see components.ts. */
export const CLUSTER_TIES: readonly RelationType[] = [
  "LEGAL_REPRESENTATIVE_OF",
  "PRINCIPAL_OF",
  "ACTUAL_CONTROLLER_OF",
  "SENIOR_MANAGER_OF",
  "SHAREHOLDER_OF",
];

/** Relations ownership and control are read from (ownership.ts). */
export const CONTROL_RELATIONS: readonly RelationType[] = ["SHAREHOLDER_OF", "ACTUAL_CONTROLLER_OF"];

/**
 * Which kinds an id can be: "PB:" → PublicBody; otherwise whichever of the USCC and ID
 * number validators accept it (rarely both: an ID number can pass the MOD 31 check by
 * chance; the store then decides by which node exists).
 */
export function kindsOf(id: SubjectId): NodeKind[] {
  if (id.startsWith(PUBLIC_BODY_PREFIX)) return PUBLIC_BODY_CODE.test(id.slice(PUBLIC_BODY_PREFIX.length)) ? ["PublicBody"] : [];
  const kinds: NodeKind[] = [];
  if (checkUscc(id).ok) kinds.push("Enterprise");
  if (checkIdNumber(id).ok) kinds.push("Person");
  return kinds;
}

/** Upper-cases 18-character codes (a lower-case `x` is valid input); public-body codes are kept as given. */
export function normalizeId(id: SubjectId): SubjectId {
  const t = id.trim();
  return t.startsWith(PUBLIC_BODY_PREFIX) ? t : t.toUpperCase();
}

/** The stored key of a node: the id, without the "PB:" prefix for a public body. */
export function keyOf(kind: NodeKind, id: SubjectId): string {
  return kind === "PublicBody" ? id.slice(PUBLIC_BODY_PREFIX.length) : id;
}

export function idOf(kind: NodeKind, key: string): SubjectId {
  return kind === "PublicBody" ? PUBLIC_BODY_PREFIX + key : key;
}

export function isNodeKind(s: unknown): s is NodeKind {
  return typeof s === "string" && (NODE_KINDS as readonly string[]).includes(s);
}

export function isRelationType(s: unknown): s is RelationType {
  return typeof s === "string" && (RELATION_TYPES as readonly string[]).includes(s);
}
