// Checking what a target answers before benching it: a fast error is not a fast answer.
import { maskPersonalField } from "../lib/privacy.js";

export interface Answer {
  status: number;
  text: string;
  /** Why this answer must not be benched (HTTP error, GraphQL errors, short page); null if fine. */
  problem: string | null;
}

export async function fetchAnswer(url: string, query: string, headers: Record<string, string> = {}): Promise<Answer> {
  let status = 0;
  let text = "";
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query }) });
    status = res.status;
    text = await res.text();
    const body = JSON.parse(text) as { data?: { enterprises?: { edges?: unknown[] } }; errors?: Array<{ message?: string }>};
    let problem: string | null = null;
    if (status !== 200) problem = `HTTP ${status}`;
    else if (body.errors?.length) problem = `GraphQL errors`;
    else if (body.data?.enterprises?.edges?.length !== 20) problem = "not a page of 20 enterprises";
    return { status, text, problem: problem && `${problem}: ${text.slice(0, 300)}` };
  } catch (err) {
    return { status, text, problem: `request failed: ${err instanceof Error ? err.message : String(err)} ${text.slice(0, 300)}` };
  }
}

/** Where two JSON documents first differ, as a path and both values (short), or null if they are equal. */
export function firstDifference(a: unknown, b: unknown, path = "$"): { path: string; ours: unknown; theirs: unknown } | null {
  if (a === b) return null;
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  const short = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v).slice(0, 200));
  return { path, ours: short(a), theirs: short(b) };
}

/**
 * The bench query's one personal field (legalRepresentative.name) masked as our gateway
 * masks it for a caller without personal:read, so a gateway that does not mask (the stock
 * one) can still be checked to return the same records.
 */
export function maskLegalRepresentatives(answer: unknown): unknown {
  const copy = structuredClone(answer) as { data?: { enterprises?: { edges?: Array<{ node?: { legalRepresentative?: { name?: unknown } | null } }> } } };
  for (const edge of copy.data?.enterprises?.edges ?? []) {
    const rep = edge.node?.legalRepresentative;
    if (rep && "name" in rep) rep.name = maskPersonalField("Individual", "name", rep.name);
  }
  return copy;
}
