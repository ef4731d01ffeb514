import DataLoader from "dataloader";
import { GraphQLError } from "graphql";
import type { BaseContext, Resolvers, SubgraphModule } from "../../lib/service/subgraph.js";
import { loadSchemaFile } from "../../lib/service/subgraph.js";
import { hubError, badInput } from "../../lib/errors.js";
import { requireCity } from "../../lib/cities.js";
import { DateScalar } from "../../lib/service/scalars.js";
import { checkUscc, requireIdNumber, requireUscc } from "../../lib/ids/index.js";
import type { GraphNode, GraphStore, PathStep, RelationType } from "../../graph/types.js";
import { normalizeId } from "../../graph/model.js";
import { syncFromRelational } from "../../graph/sync.js";
import type { EventBus } from "../../events/types.js";
import { startListFlagSync } from "./listFlags.js";

/** Relations (关联关系) and related-party risk over the affiliate graph. */
export interface RelationsContext extends BaseContext {
  nodes: DataLoader<string, GraphNode | null>;
}

const KIND = { Enterprise: "ENTERPRISE", Person: "PERSON", PublicBody: "PUBLIC_BODY" } as const;
const today = () => new Date().toISOString().slice(0, 10);

/** A graph node as the federated type that owns it: enterprises and people resolve in their own subgraphs. */
function subjectOf(node: GraphNode | null): Record<string, unknown> | null {
  if (!node) return null;
  if (node.kind === "Enterprise") return { __typename: "Enterprise", uscc: node.id };
  if (node.kind === "Person") return { __typename: "Individual", ref: node.id };
  return { __typename: "PublicBody", code: node.id.replace(/^PB:/, ""), name: node.name };
}

/** The store failing is a coded, partial failure: the rest of the query still answers. */
async function graph<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof GraphQLError) throw err;
    throw hubError("GRAPH_UNAVAILABLE", "the affiliate graph is unavailable; other fields still answer");
  }
}

function subjectId(raw: string, field: string): string {
  const id = normalizeId(raw);
  if (checkUscc(id).ok) return id;
  if (id.length === 18) return requireIdNumber(id, field);
  return requireUscc(id, field);
}

function asOfArg(asOf: string | null | undefined): string {
  return asOf ?? today();
}

function depthArg(depth: number | null | undefined): number {
  const d = depth ?? 2;
  if (!Number.isInteger(d) || d < 1 || d > 4) throw badInput("depth", "range", `must be between 1 and 4, got ${d}`);
  return d;
}

function firstArg(first: number | null | undefined, max = 100): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > max) throw badInput("first", "range", `must be between 1 and ${max}, got ${n}`);
  return n;
}

interface AffiliateArgs { depth?: number; relationTypes?: RelationType[]; first?: number; asOf?: string }

function createResolvers(store: GraphStore): Resolvers {
  const affiliates = async (id: string, a: AffiliateArgs, ctx: RelationsContext) => {
    const depth = depthArg(a.depth), first = firstArg(a.first);
    const list = await graph(() => store.affiliates(id, { depth, relationTypes: a.relationTypes ?? undefined, first, asOf: asOfArg(a.asOf) }));
    for (const x of list) ctx.nodes.prime(x.node.id, x.node);
    return { totalCount: list.length, edges: list.map((x) => ({ kind: KIND[x.node.kind], subject: subjectOf(x.node), distance: x.distance, path: x.path, riskFlags: x.node.riskFlags })) };
  };
  const step = (side: "from" | "to") => async (s: PathStep, _: unknown, ctx: RelationsContext) => subjectOf(await ctx.nodes.load(s[side]));
  return {
    Date: DateScalar,
    GraphSubject: { __resolveType: (s: { __typename: string }) => s.__typename },
    PathStep: { from: step("from"), to: step("to") },
    OwnershipPath: { steps: (p: PathStep[]) => p },
    Enterprise: {
      affiliates: (e: { uscc: string }, a: AffiliateArgs, ctx: RelationsContext) => affiliates(e.uscc, a, ctx),
      ultimateControllers: async (e: { uscc: string }, a: { threshold?: number; asOf?: string }) => {
        const threshold = a.threshold ?? 0.25;
        if (!(threshold >= 0 && threshold <= 1)) throw badInput("threshold", "range", `must be between 0 and 1, got ${threshold}`);
        const list = await graph(() => store.ultimateControllers(e.uscc, { threshold, asOf: asOfArg(a.asOf) }));
        return list.map((c) => ({ kind: KIND[c.node.kind], subject: subjectOf(c.node), effectiveShare: c.effectiveShare, controls: c.controls, paths: c.paths }));
      },
      relatedPartyRisk: async (e: { uscc: string }, a: { asOf?: string }) => {
        const r = await graph(() => store.relatedPartyRisk(e.uscc, { asOf: asOfArg(a.asOf) }));
        return { ...r, contributions: r.contributions.map((c) => ({ ...c, kind: KIND[c.node.kind], subject: subjectOf(c.node) })) };
      },
    },
    Individual: { affiliates: (i: { ref: string }, a: AffiliateArgs, ctx: RelationsContext) => affiliates(i.ref, a, ctx) },
    Query: {
      relationPath: async (_: unknown, a: { from: string; to: string; maxDepth?: number; asOf?: string }) => {
        const from = subjectId(a.from, "from"), to = subjectId(a.to, "to");
        const maxDepth = a.maxDepth ?? 6;
        if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 6) throw badInput("maxDepth", "range", `must be between 1 and 6, got ${maxDepth}`);
        const steps = await graph(() => store.relationPath(from, to, { maxDepth, asOf: asOfArg(a.asOf) }));
        return steps ? { length: steps.length, steps } : null;
      },
      affiliateClusters: async (_: unknown, a: { cityCode?: string; minSize?: number; first?: number; asOf?: string }) => {
        if (a.cityCode) requireCity(a.cityCode);
        const minSize = a.minSize ?? 3;
        if (!Number.isInteger(minSize) || minSize < 2) throw badInput("minSize", "range", `must be at least 2, got ${minSize}`);
        const clusters = await graph(() => store.clusters({ cityCode: a.cityCode ?? undefined, minSize, first: firstArg(a.first ?? 20), asOf: asOfArg(a.asOf) }));
        return clusters.map((c) => ({ id: c.id, size: c.size, members: c.members.map(subjectOf) }));
      },
    },
  };
}

export interface RelationsOptions {
  store: GraphStore;
  /** Lists events keep the graph's risk flags current (when the bus and the lists subgraph are known). */
  listFlags?: { bus: EventBus; listsUrl: () => string | undefined; secret: string };
  /** How often an incremental sync from the relational records runs (a full one runs at start). */
  syncIntervalSeconds: number;
}

export function relationsSubgraph(opts: RelationsOptions): SubgraphModule<RelationsContext> {
  return {
    name: "relations",
    typeDefs: loadSchemaFile(new URL("./schema.graphql", import.meta.url)),
    resolvers: createResolvers(opts.store),
    createContext: (base) => ({
      ...base,
      nodes: new DataLoader(async (ids: readonly string[]) => {
        const found = await graph(() => opts.store.getNodes([...ids]));
        return ids.map((id) => found.get(normalizeId(id)) ?? null);
      }),
    }),
    background: (relational, logger) => {
      let since: Date | undefined;
      /** The sync running now: stopping waits for it (the graph store closes next). */
      let running: Promise<void> | null = null;
      const sync = () => (running ??= syncOnce().finally(() => (running = null)));
      const syncOnce = async () => {
        const started = new Date();
        const full = since === undefined;
        try {
          const r = await syncFromRelational(opts.store, relational.jobs, { since });
          since = started;
          if (full || r.nodes || r.edges) logger.info(r, full ? "graph full sync" : "graph sync");
        } catch (err) {
          logger.error({ err }, "graph sync failed");
        }
      };
      void sync();
      const timer = setInterval(() => void sync(), opts.syncIntervalSeconds * 1000);
      timer.unref();
      const stopFlags = opts.listFlags ? startListFlagSync({ ...opts.listFlags, graph: opts.store, logger }) : undefined;
      return async () => {
        clearInterval(timer);
        await stopFlags?.();
        await running;
      };
    },
  };
}
