import type { Prisma, RiskAlert, Watchlist } from "../../prisma/generated/client.js";
import { loadSchemaFile, type BaseContext, type Resolvers, type SubgraphModule } from "../../lib/service/subgraph.js";
import { badInput, hubError } from "../../lib/errors.js";
import { findCity, requireCity } from "../../lib/cities.js";
import { requireUscc } from "../../lib/ids/index.js";
import { checkFirst, decodeCursor, toPage } from "../../lib/service/pagination.js";
import type { EventBus } from "../../events/types.js";
import { startOutboxRelay } from "../../events/relay.js";
import { loadRiskRules } from "./rules/index.js";
import { startRiskEngine, type Directory } from "./engine.js";

/** Risk warning (风险预警, F56) and watchlists (F57). */
export type MonitoringContext = BaseContext;

const cityOf = (code: string) => findCity(code) ?? { code, name: code, province: "" };
const intId = (raw: string, field: string) => {
  if (!/^\d{1,9}$/.test(raw)) throw badInput(field, "format", `is not an id (digits), got '${raw.slice(0, 40)}'`);
  return Number(raw);
};

/** A watchlist belongs to the partner user who made it. */
async function ownWatchlist(ctx: MonitoringContext, raw: string): Promise<Watchlist & { items: Array<{ uscc: string }> }> {
  const w = await ctx.store.prisma.watchlist.findUnique({ where: { id: intId(raw, "id") }, include: { items: true } });
  if (!w || w.ownerSub !== ctx.identity!.sub || w.ownerCity !== ctx.identity!.city) throw hubError("NOT_FOUND", `no watchlist ${raw} of yours`);
  return w;
}

const usccs = (list: string[]) => {
  if (list.length > 1000) throw badInput("enterprises", "size", "at most 1000 enterprises per call");
  return [...new Set(list.map((u) => requireUscc(u, "enterprises")))];
};

function createResolvers(maxPageSize: number): Resolvers {
  const watchlistView = (w: Watchlist & { items: Array<{ uscc: string }> }) => ({ id: String(w.id), name: w.name, enterprises: w.items.map((i) => ({ uscc: i.uscc })) });
  return {
    Query: {
      riskAlert: (_: unknown, a: { id: string }, ctx: MonitoringContext) => ctx.store.prisma.riskAlert.findUnique({ where: { id: intId(a.id, "id") } }),
      riskAlerts: async (_: unknown, a: { watchlist?: string; cities?: string[]; subject?: string; first?: number; after?: string }, ctx: MonitoringContext) => {
        const first = checkFirst(a.first, maxPageSize);
        for (const c of a.cities ?? []) requireCity(c, "cities");
        const where: Prisma.RiskAlertWhereInput = {
          cityCode: a.cities?.length ? { in: a.cities } : undefined,
          subjectId: a.subject ? requireUscc(a.subject, "subject") : a.watchlist ? { in: (await ownWatchlist(ctx, a.watchlist)).items.map((i) => i.uscc) } : undefined,
          id: a.after ? { lt: Number(decodeCursor(a.after, (k) => /^\d{1,9}$/.test(k))) } : undefined,
        };
        const rows = await ctx.store.prisma.riskAlert.findMany({ where, orderBy: { id: "desc" }, take: first + 1 });
        return toPage(rows, first, (r) => String(r.id));
      },
      watchlists: async (_: unknown, __: unknown, ctx: MonitoringContext) =>
        (await ctx.store.prisma.watchlist.findMany({ where: { ownerSub: ctx.identity!.sub, ownerCity: ctx.identity!.city }, include: { items: true }, orderBy: { id: "asc" } })).map(watchlistView),
      watchlist: async (_: unknown, a: { id: string }, ctx: MonitoringContext) => watchlistView(await ownWatchlist(ctx, a.id)),
    },
    Mutation: {
      createWatchlist: async (_: unknown, a: { name: string; enterprises: string[] }, ctx: MonitoringContext) => {
        if (a.name.trim().length < 1 || a.name.length > 100) throw badInput("name", "length", "name the watchlist in 1 to 100 characters");
        const w = await ctx.store.prisma.watchlist.create({
          data: { ownerSub: ctx.identity!.sub, ownerCity: ctx.identity!.city, name: a.name.trim(), items: { create: usccs(a.enterprises).map((uscc) => ({ uscc })) } },
          include: { items: true },
        });
        return watchlistView(w);
      },
      addToWatchlist: async (_: unknown, a: { id: string; enterprises: string[] }, ctx: MonitoringContext) => {
        const w = await ownWatchlist(ctx, a.id);
        await ctx.store.prisma.watchlistItem.createMany({ data: usccs(a.enterprises).map((uscc) => ({ watchlistId: w.id, uscc })), skipDuplicates: true });
        return watchlistView(await ownWatchlist(ctx, a.id));
      },
      removeFromWatchlist: async (_: unknown, a: { id: string; enterprises: string[] }, ctx: MonitoringContext) => {
        const w = await ownWatchlist(ctx, a.id);
        await ctx.store.prisma.watchlistItem.deleteMany({ where: { watchlistId: w.id, uscc: { in: usccs(a.enterprises) } } });
        return watchlistView(await ownWatchlist(ctx, a.id));
      },
    },
    Enterprise: {
      riskAlerts: (e: { uscc: string }, a: { first?: number }, ctx: MonitoringContext) =>
        ctx.store.prisma.riskAlert.findMany({ where: { subjectId: e.uscc }, orderBy: { id: "desc" }, take: checkFirst(a.first, maxPageSize) }),
    },
    RiskAlert: {
      __resolveReference: (ref: { id: string }, ctx: MonitoringContext) => ctx.store.prisma.riskAlert.findUnique({ where: { id: intId(ref.id, "id") } }),
      id: (r: RiskAlert) => String(r.id),
      subject: (r: RiskAlert) => ({ uscc: r.subjectId }),
      city: (r: RiskAlert) => cityOf(r.cityCode),
      evidence: (r: RiskAlert) => JSON.stringify(r.evidence),
      raisedAt: (r: RiskAlert) => r.raisedAt.toISOString(),
    },
  };
}

export interface MonitoringOptions {
  maxPageSize: number;
  bus?: EventBus;
  directory?: Directory;
}

export function monitoringSubgraph(opts: MonitoringOptions): SubgraphModule<MonitoringContext> {
  const rules = loadRiskRules();
  return {
    name: "monitoring",
    typeDefs: loadSchemaFile(new URL("./schema.graphql", import.meta.url)),
    resolvers: createResolvers(opts.maxPageSize),
    createContext: (base) => base,
    background: (store, logger) => {
      if (!opts.bus || !opts.directory) return () => undefined;
      const stopEngine = startRiskEngine({ prisma: store.jobs, bus: opts.bus, rules, directory: opts.directory, logger });
      const relay = startOutboxRelay({ prisma: store.jobs, bus: opts.bus, outbox: { table: "monitoring.outbox", stream: "monitoring" }, logger });
      return async () => {
        await stopEngine();
        await relay.stop();
      };
    },
  };
}
