import { badInput } from "../errors.js";

/** Relay-style keyset pagination: the cursor is the last row's sort key, never an offset. */
export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export function encodeCursor(key: string): string {
  return Buffer.from(key, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string, isValidKey: (key: string) => boolean): string {
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  if (!isValidKey(key)) throw badInput("after", "cursor", "is not a cursor this connection returned; pass pageInfo.endCursor unchanged");
  return key;
}

export function checkFirst(first: number | null | undefined, max: number, fallback = 20): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw badInput("first", "range", `must be between 1 and ${max}, got ${n}`);
  return n;
}

/** Builds the page from `first + 1` rows fetched in key order. */
export function toPage<T>(rows: T[], first: number, keyOf: (row: T) => string): Page<T> {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
