/**
 * Checks on what reaches the graph. Depths, dates and relation types are spliced into
 * Cypher text where the engines take no parameters (kuzu's variable-length bounds and
 * recursive-pattern predicates, label alternatives), so everything spliced is checked
 * against a strict form here first.
 */
import { badInput } from "../lib/errors.js";
import { maskIdNumber } from "../lib/ids/index.js";
import { ENDPOINTS, isNodeKind, isRelationType, kindsOf, normalizeId } from "./model.js";
import type { GraphEdge, GraphNode, NodeKind, RelationType, SubjectId } from "./types.js";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const FLAG = /^[A-Z][A-Z0-9_]*$/;
const CITY = /^\d{6}$/;

/** Dates already checked: a bulk load checks millions of edges over a few thousand distinct dates. */
const checkedDates = new Set<string>();

export function isIsoDate(s: unknown): s is string {
  if (typeof s !== "string") return false;
  if (checkedDates.has(s)) return true;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== s) return false;
  if (checkedDates.size >= 100_000) checkedDates.clear();
  checkedDates.add(s);
  return true;
}

export function requireDate(s: unknown, field: string): string {
  if (!isIsoDate(s)) throw badInput(field, "date", `must be a date YYYY-MM-DD, got '${String(s)}'`);
  return s;
}

export function requireInt(n: unknown, field: string, min: number, max: number): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
    throw badInput(field, "range", `must be an integer in ${min}..${max}, got ${String(n)}`);
  }
  return n;
}

export function requireFraction(n: unknown, field: string): number {
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0 || n > 1) {
    throw badInput(field, "range", `must be a number in [0, 1], got ${String(n)}`);
  }
  return n;
}

export function requireTypes(types: readonly unknown[] | undefined, field: string): RelationType[] | undefined {
  if (types === undefined) return undefined;
  for (const t of types) if (!isRelationType(t)) throw badInput(field, "relationType", `unknown relation type '${String(t)}'`);
  return [...new Set(types as RelationType[])];
}

/** An id as it may appear in a message: ID numbers masked (DOMAIN.md: never log unmasked values). */
export function showId(id: SubjectId): string {
  return kindsOf(id).includes("Person") ? maskIdNumber(id) : id;
}

export function checkNode(raw: GraphNode): GraphNode {
  if (!isNodeKind(raw.kind)) throw badInput("node.kind", "kind", `unknown node kind '${String(raw.kind)}'`);
  const id = normalizeId(raw.id);
  if (!kindsOf(id).includes(raw.kind)) {
    throw badInput("node.id", raw.kind, `'${showId(id)}' is not a valid ${raw.kind} id (USCC, ID number, or "PB:" + code)`);
  }
  if (typeof raw.name !== "string") throw badInput("node.name", "type", "must be a string");
  if (raw.cityCode !== null && !CITY.test(raw.cityCode)) {
    throw badInput("node.cityCode", "format", `must be a six-digit GB/T 2260 code or null, got '${raw.cityCode}'`);
  }
  for (const f of raw.riskFlags) if (!FLAG.test(f)) throw badInput("node.riskFlags", "format", `flag '${f}' must be UPPER_SNAKE_CASE`);
  return { id, kind: raw.kind, name: raw.name, cityCode: raw.cityCode, riskFlags: [...new Set(raw.riskFlags)].sort() };
}

/** Checks an edge's own fields; the endpoint kinds are checked against the stored nodes by the store. */
export function checkEdge(raw: GraphEdge): Required<GraphEdge> {
  if (!isRelationType(raw.type)) throw badInput("edge.type", "relationType", `unknown relation type '${String(raw.type)}'`);
  const validFrom = requireDate(raw.validFrom, "edge.validFrom");
  const validTo = raw.validTo ?? null;
  if (validTo !== null && requireDate(validTo, "edge.validTo") <= validFrom) {
    throw badInput("edge.validTo", "order", `must be after validFrom (${validFrom}), got ${validTo}`);
  }
  if (!CITY.test(raw.cityCode)) throw badInput("edge.cityCode", "format", `must be a six-digit GB/T 2260 code, got '${raw.cityCode}'`);
  let share: number | null = raw.share ?? null;
  if (raw.type === "SHAREHOLDER_OF") {
    if (share === null) throw badInput("edge.share", "required", "SHAREHOLDER_OF needs a share in [0, 1]");
    share = requireFraction(share, "edge.share");
  } else if (share !== null) {
    throw badInput("edge.share", "notAllowed", `only SHAREHOLDER_OF carries a share, not ${raw.type}`);
  }
  const from = normalizeId(raw.from), to = normalizeId(raw.to);
  if (from === to) throw badInput("edge", "selfLoop", `an edge needs two different ends, got ${showId(from)} twice`);
  return { type: raw.type, from, to, share, cityCode: raw.cityCode, validFrom, validTo };
}

export function checkEndpoints(type: RelationType, fromKind: NodeKind, toKind: NodeKind): void {
  if (!ENDPOINTS[type].some(([f, t]) => f === fromKind && t === toKind)) {
    const allowed = ENDPOINTS[type].map(([f, t]) => `${f}→${t}`).join(", ");
    throw badInput("edge", "endpoints", `${type} cannot join ${fromKind}→${toKind} (allowed: ${allowed})`);
  }
}
