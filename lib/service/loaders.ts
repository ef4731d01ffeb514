import DataLoader from "dataloader";
import type { BaseContext } from "./context.js";

/** A request-scoped loader of one row per key: one SQL statement per batch. */
export function rowLoader<K, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (row: V) => K): DataLoader<K, V | null> {
  return new DataLoader(async (keys) => {
    const byKey = new Map((await fetch(keys)).map((row) => [keyOf(row), row]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/** A request-scoped loader of the rows that belong to each key (one-to-many). */
export function groupLoader<K, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (row: V) => K): DataLoader<K, V[]> {
  return new DataLoader(async (keys) => {
    const groups = new Map<K, V[]>(keys.map((k) => [k, []]));
    for (const row of await fetch(keys)) groups.get(keyOf(row))?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/** A request context: the base (store, caller, logger) and the subgraph's loaders. */
export type LoaderContext<L> = BaseContext & { loaders: L };

/** The context factory of a subgraph whose request pieces are its loaders, made fresh per request from the store's client. */
export function withLoaders<L>(make: (prisma: BaseContext["store"]["prisma"]) => L): (base: BaseContext) => LoaderContext<L> {
  return (base) => ({ ...base, loaders: make(base.store.prisma) });
}
