import { withLoaders, type LoaderContext } from "../../lib/service/loaders.js";

/** The audit subgraph reads one connection per request: no entity to batch. */
export const createAuditLoaders = () => ({});

/** A request of the audit subgraph (查询登记): the caller. */
export type AuditContext = LoaderContext<ReturnType<typeof createAuditLoaders>>;

export const createAuditContext = withLoaders(createAuditLoaders);
