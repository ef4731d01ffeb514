/** The lists' part of a portrait (F55): from the subject's entries and, batched, their objections and repairs (three statements whatever it holds). */
import type { ListEntry } from "../../../prisma/generated/client.js";
import { lastMonths, monthCounts, today } from "../../../lib/dates.js";
import type { ListsContext } from "../loaders.js";
import { LIVE_STATES } from "./stateMachine.js";

type Part = { subject: string };
const OPEN_OBJECTION = new Set(["SUBMITTED", "ACCEPTED", "VERIFYING"]);
const OPEN_REPAIR = new Set(["SUBMITTED", "ACCEPTED"]);

const live = async (p: Part, ctx: ListsContext) => (await ctx.loaders.entriesOfSubject.load(p.subject)).filter((e) => LIVE_STATES.includes(e.state));

function banInForce(e: ListEntry, day: string): boolean {
  const iso = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
  return e.listType === "MARKET_BAN" && (iso(e.banStartsOn) ?? "9999") <= day && (e.banEndsOn === null || iso(e.banEndsOn)! >= day);
}

export const portraitResolvers = {
  __resolveReference: (ref: Part) => ref,
  activeListings: async (p: Part, _: unknown, ctx: ListsContext) => (await live(p, ctx)).filter((e) => e.listType !== "MARKET_BAN"),
  bans: async (p: Part, _: unknown, ctx: ListsContext) => (await live(p, ctx)).filter((e) => banInForce(e, today())),
  openObjections: async (p: Part, _: unknown, ctx: ListsContext) => {
    const entries = await ctx.loaders.entriesOfSubject.load(p.subject);
    return (await Promise.all(entries.map((e) => ctx.loaders.objections.load(e.id)))).flat().filter((o) => OPEN_OBJECTION.has(o.step)).length;
  },
  openRepairs: async (p: Part, _: unknown, ctx: ListsContext) => {
    const entries = await ctx.loaders.entriesOfSubject.load(p.subject);
    return (await Promise.all(entries.map((e) => ctx.loaders.repairs.load(e.id)))).flat().filter((r) => OPEN_REPAIR.has(r.status)).length;
  },
  listingTrend: async (p: Part, _: unknown, ctx: ListsContext) =>
    monthCounts(lastMonths(12, today()), (await ctx.loaders.entriesOfSubject.load(p.subject)).map((e) => e.recognisedAt)),
};
