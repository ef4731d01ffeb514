import { AsyncLocalStorage } from "node:async_hooks";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQueryable } from "@prisma/driver-adapter-utils";

/**
 * Whose work a statement is: a subgraph request runs inside a scope, marked `background` when
 * the caller is the hub's own background work (a service identity: the risk engine, the
 * graph's risk flags), whose statements are not the partners' and are not counted.
 */
export const sqlScope = new AsyncLocalStorage<{ background: boolean }>();

/**
 * Counts SQL statements sent through a Prisma driver adapter: the measure the
 * batching tests and benchmarks report (a query for 100 enterprises must cost
 * a constant number of statements).
 */
export class StatementCounter {
  count = 0;
}

function countQueries<T extends SqlQueryable>(target: T, counter: StatementCounter): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (prop === "queryRaw" || prop === "executeRaw") {
        return (...args: unknown[]) => {
          if (!sqlScope.getStore()?.background) counter.count++;
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      }
      if (prop === "startTransaction") {
        return async (...args: unknown[]) => {
          const tx = await (value as (...a: unknown[]) => Promise<SqlQueryable>).apply(obj, args);
          return countQueries(tx, counter);
        };
      }
      return typeof value === "function" ? value.bind(obj) : value;
    },
  });
}

export function countingFactory(factory: SqlDriverAdapterFactory, counter: StatementCounter): SqlDriverAdapterFactory {
  return new Proxy(factory, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (prop === "connect") {
        return async () => countQueries<SqlDriverAdapter>(await obj.connect(), counter);
      }
      return typeof value === "function" ? value.bind(obj) : value;
    },
  });
}
