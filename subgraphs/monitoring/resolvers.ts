import type { Prisma, RiskAlert, Watchlist } from "../../prisma/generated/client.js";
import type { Resolvers } from "../../lib/service/subgraph.js";
import { badInput } from "../../lib/errors.js";
import { cityOf, requireCity } from "../../lib/cities.js";
import { requireRowId as intId, requireUscc } from "../../lib/ids/index.js";
import { checkFirst, decodeCursor, toPage } from "../../lib/service/pagination.js";
import { ownWatchlist as ownedBy } from "./data.js";
import type { MonitoringContext } from "./loaders.js";

/** A watchlist belongs to the partner user who made it. */
const ownWatchlist = (ctx: MonitoringContext, raw: string) => ownedBy(ctx.store.prisma, intId(raw, "id"), raw, ctx.identity!);

const usccs = (list: string[]) => {
  if (list.length > 1000) throw badInput("enterprises", "size", "at most 1000 enterprises per call");
  return [...new Set(list.map((u) => requireUscc(u, "enterprises")))];
};

export function createResolvers(maxPageSize: number): Resolvers {
  const watchlistView = (w: Watchlist & { items: Array<{ uscc: string }> }) => ({ id: String(w.id), name: w.name, enterprises: w.items.map((i) => ({ uscc: i.uscc })) });
  return {
    Query: {
      riskAlert: (_: unknown, a: { id: string }, ctx: MonitoringContext) => ctx.loaders.riskAlert.load(intId(a.id, "id")),
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
      riskAlerts: async (e: { uscc: string }, a: { first?: number }, ctx: MonitoringContext) => (await ctx.loaders.alertsOfSubject.load(e.uscc)).slice(0, checkFirst(a.first, maxPageSize)),
    },
    RiskAlert: {
      __resolveReference: (ref: { id: string }, ctx: MonitoringContext) => ctx.loaders.riskAlert.load(intId(ref.id, "id")),
      id: (r: RiskAlert) => String(r.id),
      subject: (r: RiskAlert) => ({ uscc: r.subjectId }),
      city: (r: RiskAlert) => cityOf(r.cityCode),
      evidence: (r: RiskAlert) => JSON.stringify(r.evidence),
      raisedAt: (r: RiskAlert) => r.raisedAt.toISOString(),
    },
  };
}

