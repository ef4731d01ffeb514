import { createHmac } from "node:crypto";
import type { Resolvers } from "../../lib/service/subgraph.js";
import { badInput } from "../../lib/errors.js";
import { requireCity } from "../../lib/cities.js";
import { today } from "../../lib/dates.js";
import { checkUscc, requireIdNumber, requireUscc } from "../../lib/ids/index.js";
import { decodeCursor, toPage } from "../../lib/service/pagination.js";
import type { Affiliate, GraphStore, PathStep, RelationType } from "../../graph/types.js";
import { normalizeId } from "../../graph/model.js";
import { AFFILIATE_LIMIT, KIND, subjectOf, withGraph } from "./data.js";
import type { RelationsContext } from "./loaders.js";

function subjectId(raw: string, field: string): string {
  const id = normalizeId(raw);
  if (checkUscc(id).ok) return id;
  if (id.length === 18) return requireIdNumber(id, field);
  return requireUscc(id, field);
}

const asOfArg = (asOf: string | null | undefined): string => asOf ?? today();

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

/**
 * An affiliate's place in the order (nearest first, then by id) as a cursor key that does not
 * show the id: a person's id is the raw ID number, which the caller may only see masked.
 */
const affiliateKeyWith = (cursorKey: string) => (a: Affiliate) => `${a.distance}:${createHmac("sha256", cursorKey).update(a.node.id).digest("base64url").slice(0, 22)}`;
const AFFILIATE_KEY = /^[1-4]:[\w-]{22}$/;

interface AffiliateArgs { depth?: number; relationTypes?: RelationType[]; first?: number; after?: string; asOf?: string }

export function createResolvers(store: GraphStore, cursorKey: string): Resolvers {
  const affiliateKey = affiliateKeyWith(cursorKey);
  /** A Relay page of the subjects within `depth` hops; `totalCount` counts them all. */
  const affiliates = async (id: string, a: AffiliateArgs, ctx: RelationsContext) => {
    const depth = depthArg(a.depth), first = firstArg(a.first);
    const after = a.after ? decodeCursor(a.after, (k) => AFFILIATE_KEY.test(k)) : null;
    const all = await withGraph(() => store.affiliates(id, { depth, relationTypes: a.relationTypes ?? undefined, first: AFFILIATE_LIMIT, asOf: asOfArg(a.asOf) }));
    const start = after === null ? 0 : all.findIndex((x) => affiliateKey(x) === after) + 1;
    if (after !== null && start === 0) throw badInput("after", "cursor", "is not a cursor of this list any more (the graph changed): start again without `after`");
    const rows = all.slice(start, start + first + 1);
    for (const x of rows) ctx.nodes.prime(x.node.id, x.node);
    const page = toPage(rows, first, affiliateKey);
    return {
      totalCount: all.length,
      pageInfo: page.pageInfo,
      edges: page.edges.map(({ cursor, node: x }) => ({ cursor, node: { kind: KIND[x.node.kind], subject: subjectOf(x.node), distance: x.distance, path: x.path, riskFlags: x.node.riskFlags } })),
    };
  };
  const step = (side: "from" | "to") => async (s: PathStep, _: unknown, ctx: RelationsContext) => subjectOf(await ctx.nodes.load(s[side]));
  return {
    GraphSubject: { __resolveType: (s: { __typename: string }) => s.__typename },
    PathStep: { from: step("from"), to: step("to") },
    OwnershipPath: { steps: (p: PathStep[]) => p },
    Enterprise: {
      affiliates: (e: { uscc: string }, a: AffiliateArgs, ctx: RelationsContext) => affiliates(e.uscc, a, ctx),
      ultimateControllers: async (e: { uscc: string }, a: { threshold?: number; asOf?: string }) => {
        const threshold = a.threshold ?? 0.25;
        if (!(threshold >= 0 && threshold <= 1)) throw badInput("threshold", "range", `must be between 0 and 1, got ${threshold}`);
        const list = await withGraph(() => store.ultimateControllers(e.uscc, { threshold, asOf: asOfArg(a.asOf) }));
        return list.map((c) => ({ kind: KIND[c.node.kind], subject: subjectOf(c.node), effectiveShare: c.effectiveShare, controls: c.controls, paths: c.paths }));
      },
      relatedPartyRisk: async (e: { uscc: string }, a: { asOf?: string }) => {
        const r = await withGraph(() => store.relatedPartyRisk(e.uscc, { asOf: asOfArg(a.asOf) }));
        return { ...r, contributions: r.contributions.map((c) => ({ ...c, kind: KIND[c.node.kind], subject: subjectOf(c.node) })) };
      },
    },
    Portrait: {
      __resolveReference: (ref: { subject: string }) => ref,
      relatedPartyRisk: async (p: { subject: string }) => {
        if (!checkUscc(p.subject).ok) return null;
        // A portrait still answers when the graph is down: the score is left out.
        return store.relatedPartyRisk(p.subject, { asOf: today() }).then((r) => r.score, () => null);
      },
    },
    Individual: { affiliates: (i: { ref: string }, a: AffiliateArgs, ctx: RelationsContext) => affiliates(i.ref, a, ctx) },
    Query: {
      relationPath: async (_: unknown, a: { from: string; to: string; maxDepth?: number; asOf?: string }) => {
        const from = subjectId(a.from, "from"), to = subjectId(a.to, "to");
        const maxDepth = a.maxDepth ?? 6;
        if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 6) throw badInput("maxDepth", "range", `must be between 1 and 6, got ${maxDepth}`);
        const steps = await withGraph(() => store.relationPath(from, to, { maxDepth, asOf: asOfArg(a.asOf) }));
        return steps ? { length: steps.length, steps } : null;
      },
      affiliateClusters: async (_: unknown, a: { cities?: string[]; cityCode?: string; minSize?: number; first?: number; asOf?: string }) => {
        const cities = [...(a.cities ?? []), ...(a.cityCode != null ? [a.cityCode] : [])];
        for (const c of a.cities ?? []) requireCity(c, "cities");
        if (a.cityCode != null) requireCity(a.cityCode);
        const minSize = a.minSize ?? 3;
        if (!Number.isInteger(minSize) || minSize < 2) throw badInput("minSize", "range", `must be at least 2, got ${minSize}`);
        const clusters = await withGraph(() => store.clusters({ cities, minSize, first: firstArg(a.first ?? 20), asOf: asOfArg(a.asOf) }));
        return clusters.map((c) => ({ id: c.id, size: c.size, members: c.members.map(subjectOf) }));
      },
    },
  };
}
