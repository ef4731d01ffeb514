/**
 * Queries for parts of the API that may not exist yet (ratings and tier, portraits, data
 * quality: other issues add them). Introspection is off at the gateway, so the page asks
 * for what it hopes for and, when validation names fields the schema lacks, drops exactly
 * those (each error's location points at one field of the printed query) and asks again.
 * A part whose fields are all gone is absent: its section stays hidden.
 */
import { graphql, RequestRefused, type Result } from "./http.js";

/** One field of a selection; `sub` for an object field. Plain strings (`__typename`, fragments) are kept as written. */
export interface Field {
  name: string;
  alias?: string;
  args?: string;
  sub?: Selection[];
}
export type Selection = Field | string;

interface Span { start: number; end: number; field: Field }

/** The selection printed on one line, with where each field sits in the text. */
export function printSelection(sel: Selection[], offset = 0): { text: string; spans: Span[] } {
  const spans: Span[] = [];
  let text = "";
  const emit = (list: Selection[]) => {
    for (const s of list) {
      if (text.length > 0 && !text.endsWith("{ ")) text += " ";
      if (typeof s === "string") { text += s; continue; }
      const start = offset + text.length;
      text += `${s.alias ? `${s.alias}: ` : ""}${s.name}${s.args ?? ""}`;
      if (s.sub) {
        text += " { ";
        emit(s.sub);
        text += " }";
      }
      spans.push({ start, end: offset + text.length, field: s });
    }
  };
  emit(sel);
  return { text, spans };
}

/** The selection without the given fields, and without object fields left empty (a `__typename` keeps one: the field exists). */
export function prune(sel: Selection[], drop: Set<Field>): Selection[] {
  const out: Selection[] = [];
  for (const s of sel) {
    if (typeof s === "string") { out.push(s); continue; }
    if (drop.has(s)) continue;
    if (!s.sub) { out.push(s); continue; }
    const sub = prune(s.sub, drop);
    if (sub.length > 0) out.push({ ...s, sub });
  }
  return out;
}

/** The innermost field whose printed text covers a 0-based offset. */
function fieldAt(spans: Span[], at: number): Field | undefined {
  return spans.filter((s) => s.start <= at && at < s.end).sort((a, b) => (a.end - a.start) - (b.end - b.start))[0]?.field;
}

const settled = new Map<string, Selection[]>();

/**
 * Runs `query <header> { <selection> }`, dropping fields the gateway's validation refuses,
 * at most a few rounds. `key` remembers the surviving selection for the rest of the session.
 */
export async function optionalQuery<T>(token: string, key: string, header: string, selection: Selection[], variables: Record<string, unknown>): Promise<Result<T> | null> {
  let sel = settled.get(key) ?? selection;
  for (let round = 0; round < 4 && sel.length > 0; round++) {
    const prefix = `${header} { `;
    const { text, spans } = printSelection(sel, prefix.length);
    try {
      const result = await graphql<T>(token, `${prefix}${text} }`, variables);
      settled.set(key, sel);
      return result;
    } catch (err) {
      if (!(err instanceof RequestRefused) || err.code !== "GRAPHQL_VALIDATION_FAILED") throw err;
      const drop = new Set<Field>();
      for (const e of err.errors) for (const loc of e.locations ?? []) {
        const f = loc.line === 1 ? fieldAt(spans, loc.column - 1) : undefined;
        if (f) drop.add(f);
      }
      if (drop.size === 0) throw err;
      sel = prune(sel, drop);
    }
  }
  settled.set(key, []);
  return null;
}
