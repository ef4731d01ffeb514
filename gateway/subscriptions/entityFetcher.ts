import { Kind, print, visit, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import { hubError } from "../../lib/errors.js";

type Result = { data?: Record<string, unknown> | null; errors?: ReadonlyArray<{ message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }> };
export type RunQuery<C> = (query: string, ctx: C, variables: Record<string, string>) => Promise<Result>;

const selectionCache = new WeakMap<FieldNode, string>();

/**
 * The client's selection on the entity as query text: fragments inlined, aliases
 * dropped (the subscription executor reads fields by name) and `__typename`
 * added everywhere (it resolves unions and interfaces from it).
 */
export function selectionText(info: GraphQLResolveInfo): string {
  const node = info.fieldNodes[0];
  const cached = selectionCache.get(node);
  if (cached) return cached;
  const inlined = visit(node.selectionSet!, {
    FragmentSpread(spread) {
      const frag = info.fragments[spread.name.value];
      return { kind: Kind.INLINE_FRAGMENT, typeCondition: frag.typeCondition, selectionSet: frag.selectionSet, directives: spread.directives };
    },
  });
  const text = print(visit(inlined, {
    Field: (f) => (f.alias ? { ...f, alias: undefined } : undefined),
    SelectionSet: (set: SelectionSetNode) => ({ ...set, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: "__typename" } }, ...set.selections] }),
  }));
  selectionCache.set(node, text);
  return text;
}

interface Pending {
  ids: Map<string, Array<{ resolve(v: unknown): void; reject(e: unknown): void }>>;
  ctx: unknown;
  lookup: string;
  selection: string;
}

/**
 * Fetches event entities through the gateway itself, batched per burst: all the
 * entities that events arriving together need, for one caller and one selection,
 * in one operation (so a thousand subscribers with the same token cost one query).
 */
export class EntityFetcher<C> {
  private pending = new Map<string, Pending>();
  private scheduled = false;

  constructor(private run: RunQuery<C>, private callerKey: (ctx: C) => string) {}

  load(ctx: C, lookup: string, id: string, selection: string): Promise<unknown> {
    const key = `${this.callerKey(ctx)}\u0000${lookup}\u0000${selection}`;
    let group = this.pending.get(key);
    if (!group) this.pending.set(key, (group = { ids: new Map(), ctx, lookup, selection }));
    const waiters = group.ids.get(id) ?? [];
    group.ids.set(id, waiters);
    const promise = new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return promise;
  }

  private flush(): void {
    this.scheduled = false;
    const groups = [...this.pending.values()];
    this.pending.clear();
    for (const g of groups) void this.fetchGroup(g);
  }

  private documents = new Map<string, string>();

  /**
   * The operation for `n` entities: ids as variables and `n` a power of two, so bursts reuse
   * a handful of documents and the gateway's query-plan cache (a plan per distinct text).
   */
  private document(lookup: string, selection: string, n: number): string {
    const key = `${lookup}\u0000${selection}\u0000${n}`;
    let doc = this.documents.get(key);
    if (!doc) {
      const slots = Array.from({ length: n }, (_, i) => i);
      doc = `query HubSubscriptionEntities(${slots.map((i) => `$i${i}: ID!`).join(", ")}) { ${slots.map((i) => `e${i}: ${lookup}(id: $i${i}) ${selection}`).join(" ")} }`;
      if (this.documents.size > 1000) this.documents.clear();
      this.documents.set(key, doc);
    }
    return doc;
  }

  private async fetchGroup(g: Pending): Promise<void> {
    const ids = [...g.ids.keys()];
    const n = 2 ** Math.ceil(Math.log2(ids.length));
    // Padding repeats the last id (the subgraph's loader asks for it once).
    const variables = Object.fromEntries(Array.from({ length: n }, (_, i) => [`i${i}`, ids[Math.min(i, ids.length - 1)]]));
    try {
      const result = await this.run(this.document(g.lookup, g.selection, n), g.ctx as C, variables);
      ids.forEach((id, i) => {
        const err = result.errors?.find((e) => e.path?.[0] === `e${i}` || !e.path);
        for (const w of g.ids.get(id)!) {
          if (err) w.reject(hubError((err.extensions?.code as "FORBIDDEN") ?? "INTERNAL_SERVER_ERROR", err.message));
          else w.resolve(result.data?.[`e${i}`] ?? null);
        }
      });
    } catch (err) {
      for (const waiters of g.ids.values()) for (const w of waiters) w.reject(err);
    }
  }
}
