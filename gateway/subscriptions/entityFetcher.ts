import { Kind, print, visit, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import DataLoader from "dataloader";
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

/**
 * Fetches event entities through the gateway itself, batched per burst: all the entities
 * that events arriving together need, for one caller and one selection, in one operation
 * (so a thousand subscribers with the same token cost one query). One DataLoader per
 * (caller, lookup, selection): a burst's ids are gathered until the event loop turns
 * (setImmediate), and every burst asks afresh.
 */
export class EntityFetcher<C> {
  private loaders = new Map<string, DataLoader<string, unknown>>();
  private documents = new Map<string, string>();

  constructor(private run: RunQuery<C>, private callerKey: (ctx: C) => string) {}

  load(ctx: C, lookup: string, id: string, selection: string): Promise<unknown> {
    const key = `${this.callerKey(ctx)}\u0000${lookup}\u0000${selection}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      // Bounded: a loader holds nothing between bursts, so dropping them all costs one allocation each.
      if (this.loaders.size > 1000) this.loaders.clear();
      // The cache only gathers a burst (one entry per id); emptied as the burst is fetched, so the next burst asks afresh.
      const l: DataLoader<string, unknown> = new DataLoader((ids) => {
        l.clearAll();
        return this.fetch(ctx, lookup, selection, ids);
      }, { batchScheduleFn: (run) => setImmediate(run) });
      loader = l;
      this.loaders.set(key, loader);
    }
    return loader.load(id);
  }

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

  /** One operation for a burst's ids (distinct: DataLoader dedupes keys within a batch); an error per id or the entity. */
  private async fetch(ctx: C, lookup: string, selection: string, ids: readonly string[]): Promise<unknown[]> {
    const n = 2 ** Math.ceil(Math.log2(ids.length));
    // Padding repeats the last id (the subgraph's loader asks for it once).
    const variables = Object.fromEntries(Array.from({ length: n }, (_, i) => [`i${i}`, ids[Math.min(i, ids.length - 1)]]));
    const result = await this.run(this.document(lookup, selection, n), ctx, variables);
    return ids.map((_, i) => {
      const err = result.errors?.find((e) => e.path?.[0] === `e${i}` || !e.path);
      return err ? hubError((err.extensions?.code as "FORBIDDEN") ?? "INTERNAL_SERVER_ERROR", err.message) : (result.data?.[`e${i}`] ?? null);
    });
  }
}
