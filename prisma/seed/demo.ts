import type { Logger } from "../../lib/logger.js";
import { partnerCities } from "../../lib/cities.js";
import type { Store } from "../store.js";
import { catchUpFromRelational } from "../../graph/sync.js";
import type { GraphStore } from "../../graph/types.js";
import { loadRules } from "../../subgraphs/lists/rules/index.js";
import { generateEnterprises } from "./generator.js";
import { seedStore } from "./load.js";
import { seedListsDemo } from "./lists.js";
import { loadDemo } from "./graph.js";
import { seedRatingsDemo } from "./ratings.js";
import { loadScales } from "../../subgraphs/ratings/scales/index.js";
import { seedMeasuresDemo } from "./measures.js";
import { loadCatalogues } from "../../subgraphs/measures/catalogues/index.js";

export interface DemoOptions {
  /** Enterprises per partner city. */
  perCity: number;
  /** The key the demo lists' history is signed with (the hub's, derived from its ledger key). */
  historyKey: string;
  /** The same number gives the same records. */
  seed: number;
}

/**
 * The demo data of a first start on an empty store: enterprises and people of every city,
 * lists in every state, ratings on every city's own scales, commitments in every state and joint
 * cases at every step (made through the lists, ratings and measures subgraphs' own domain
 * functions, so history, tiers, outbox and periods are real), the graph synced from those records, and
 * ownership structures (chains, pyramids, cycles...) hung on the first enterprises.
 * Does nothing when the store already holds enterprises.
 */
export async function seedDemoIfEmpty(store: Store, graph: GraphStore, opts: DemoOptions, logger: Logger): Promise<void> {
  if (opts.perCity <= 0 || (await store.prisma.enterprise.count()) > 0) return;
  const enterprises = opts.perCity * partnerCities().length;
  logger.info({ enterprises, seed: opts.seed }, "empty store: generating demo data");
  const summary = await seedStore(store.prisma, { enterprises, seed: opts.seed });
  const lists = await seedListsDemo(store.prisma, loadRules(), { seed: opts.seed, enterprises, historyKey: opts.historyKey });
  const ratings = await seedRatingsDemo(store.prisma, loadScales(), { seed: opts.seed, enterprises });
  const measures = await seedMeasuresDemo(store.prisma, loadCatalogues(), { seed: opts.seed, enterprises });
  const anchors = [...generateEnterprises({ seed: opts.seed, enterprises: Math.min(enterprises, 50) })].map((g) => g.enterprise.uscc);
  await catchUpFromRelational(graph, store.jobs);
  const demo = await loadDemo(graph, opts.seed, { anchors });
  logger.info({ ...summary, listEntries: lists, ratings, ...measures, graphNodes: demo.nodes.length, graphEdges: demo.edges.length }, "demo data ready");
}
