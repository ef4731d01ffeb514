/**
 * Deterministic demo structures for the graph, laid on top of the relational sync: the
 * shapes the ownership and risk rules must get right, with known answers.
 *
 * The seed picks identities (valid USCCs and ID numbers, names, cities); the shapes,
 * shares and dates are fixed, so the answers below hold for every seed (as of DEMO_AS_OF):
 * - chain      P →0.8 A →0.6 B →0.5 C: P's effective share in C is 0.24, no control
 *              (the last hop is exactly 50%); in B 0.48 with control.
 * - pyramid    P →0.6 D →0.5 F and P →0.3 E →0.4 F, Q →0.7 E: P in F = 0.30 + 0.12 = 0.42,
 *              Q in F = 0.28; nobody controls F.
 * - cycle      P →0.9 G →0.6 H →0.3 G (cross-holding): P in G = 0.9 and in H = 0.54
 *              (acyclic path sums; the loop is not counted), P controls both.
 * - agreement  X is ACTUAL_CONTROLLER_OF Q-company, held 35% / 30% by two others: X
 *              controls with effective share 0.
 * - state      a public body (国资委) holds 100% of N and 51% of O.
 * - repChange  J's legal representative changed on 2022-07-01 (before → after); a senior
 *              manager appointed from 2030-01-01 is not valid yet.
 * - hub        one person is legal representative of five companies in three cities.
 * - supply     K1 → L → M supply chain across cities.
 * Risk flags: hub person KEY_ATTENTION, K2 LOW_RATING, M SERIOUS_DISHONESTY, C
 * JUDGMENT_DEFAULTER, and K1 LOW_RATING (its own: never counted in its score).
 */
import { partnerCities, type City } from "../../lib/cities.js";
import { idCheckDigit, orgCodeCheckChar, usccCheckChar } from "../../lib/ids/index.js";
import { Random } from "./random.js";
import { seedAnchorDate } from "./formats.js";
import { GRAPH_NAMES } from "./words.js";
import type { GraphEdge, GraphNode, GraphStore, RelationType } from "../../graph/types.js";

/** Every "current" demo edge is valid on this date (the seed data's fixed today). */
export const DEMO_AS_OF = seedAnchorDate();
const SINCE = "2019-01-01";

export interface DemoGraph {
  seed: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Ids by role, for tests and walkthroughs. */
  roles: {
    chain: { person: string; a: string; b: string; c: string };
    pyramid: { person: string; other: string; d: string; e: string; f: string };
    cycle: { person: string; g: string; h: string };
    agreement: { controller: string; holder1: string; holder2: string; company: string };
    state: { body: string; n: string; o: string };
    repChange: { before: string; after: string; manager: string; company: string; changedOn: string; managerFrom: string };
    hub: { person: string; companies: string[] };
    supply: { l: string; m: string };
    cities: string[];
  };
}

const SURNAMES = GRAPH_NAMES.surnames;
const GIVEN = GRAPH_NAMES.givenNameChars.split("");
const TRADES = GRAPH_NAMES.tradeNames;
/** Lines of business in a company's name. */
const LINES = GRAPH_NAMES.lines;

class Ids {
  private enterprises = 0;
  private people = 0;
  private readonly orgBase: number;
  private readonly dayBase: number;
  constructor(private readonly rng: Random) {
    this.orgBase = rng.int(0, 9999);
    this.dayBase = rng.int(0, 1500);
  }

  /** "91" + city + "GD" + six digits + GB 11714 check, then the MOD 31 check. "GD" never occurs in the seed data. */
  uscc(cityCode: string): string {
    const org8 = "GD" + String((this.orgBase * 100 + this.enterprises++) % 1_000_000).padStart(6, "0");
    const first17 = "91" + cityCode + org8 + orgCodeCheckChar(org8);
    return first17 + usccCheckChar(first17);
  }

  /** Born in the 1940s: the seed data's people are born 1950–2002, so the two never collide. */
  idNumber(city: City): string {
    const district = city.districts[this.people % city.districts.length][0];
    const born = new Date(Date.UTC(1940, 0, 1) + (this.dayBase + this.people++ * 7) * 86_400_000);
    const ymd = born.toISOString().slice(0, 10).replaceAll("-", "");
    const first17 = district + ymd + String(this.rng.int(1, 999)).padStart(3, "0");
    return first17 + idCheckDigit(first17);
  }
}

/** The demo's nodes and edges as they are laid, in cities shuffled by the seed. */
class DemoBuilder {
  readonly rng: Random;
  private readonly ids: Ids;
  readonly cities: City[];
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];

  constructor(seed: number) {
    this.rng = new Random(seed);
    this.ids = new Ids(this.rng);
    this.cities = [...partnerCities()];
    for (let i = this.cities.length - 1; i > 0; i--) {
      const j = this.rng.int(0, i);
      [this.cities[i], this.cities[j]] = [this.cities[j], this.cities[i]];
    }
  }

  city = (i: number) => this.cities[i % this.cities.length];

  person = (c: number, riskFlags: string[] = []) => {
    const id = this.ids.idNumber(this.city(c));
    const rng = this.rng;
    this.nodes.push({ id, kind: "Person", name: rng.pick(SURNAMES) + rng.pick(GIVEN) + rng.pick(GIVEN), cityCode: this.city(c).code, riskFlags });
    return id;
  };

  company = (c: number, riskFlags: string[] = []) => {
    const id = this.ids.uscc(this.city(c).code);
    const name = `${this.city(c).name.replace(/市$/, "")}${this.rng.pick(TRADES)}${this.rng.pick(LINES)}有限公司`;
    this.nodes.push({ id, kind: "Enterprise", name, cityCode: this.city(c).code, riskFlags });
    return id;
  };

  edge = (type: RelationType, from: string, to: string, c: number, extra: Partial<GraphEdge> = {}) => {
    this.edges.push({ type, from, to, cityCode: this.city(c).code, validFrom: SINCE, validTo: null, share: null, ...extra });
  };

  holds = (from: string, to: string, share: number, c: number) => this.edge("SHAREHOLDER_OF", from, to, c, { share });
}

export function demoGraph(seed: number, opts: { anchors?: string[] } = {}): DemoGraph {
  // The shapes are laid in this order: each name and id the seed gives follows from it.
  const b = new DemoBuilder(seed);
  const { city, person, company, edge, holds, nodes, edges, cities } = b;

  // chain P →0.8 A →0.6 B →0.5 C
  const chain = { person: person(3), a: company(3), b: company(3), c: company(3, ["JUDGMENT_DEFAULTER"]) };
  holds(chain.person, chain.a, 0.8, 3);
  holds(chain.a, chain.b, 0.6, 3);
  holds(chain.b, chain.c, 0.5, 3);

  const pyramid = { person: person(4), other: person(4), d: company(4), e: company(4), f: company(4) };
  holds(pyramid.person, pyramid.d, 0.6, 4);
  holds(pyramid.person, pyramid.e, 0.3, 4);
  holds(pyramid.other, pyramid.e, 0.7, 4);
  holds(pyramid.d, pyramid.f, 0.5, 4);
  holds(pyramid.e, pyramid.f, 0.4, 4);

  const cycle = { person: person(5), g: company(5), h: company(5) };
  holds(cycle.person, cycle.g, 0.9, 5);
  holds(cycle.g, cycle.h, 0.6, 5);
  holds(cycle.h, cycle.g, 0.3, 5);

  const agreement = { controller: person(0), holder1: person(0), holder2: person(1), company: company(0) };
  edge("ACTUAL_CONTROLLER_OF", agreement.controller, agreement.company, 0);
  holds(agreement.holder1, agreement.company, 0.35, 0);
  holds(agreement.holder2, agreement.company, 0.3, 0);

  const body = `PB:${city(1).code}-SASAC`;
  nodes.push({ id: body, kind: "PublicBody", name: `${city(1).name}人民政府国有资产监督管理委员会`, cityCode: city(1).code, riskFlags: [] });
  const state = { body, n: company(1), o: company(1) };
  holds(state.body, state.n, 1, 1);
  holds(state.body, state.o, 0.51, 1);

  const repChange = { before: person(2), after: person(2), manager: person(2), company: company(2), changedOn: "2022-07-01", managerFrom: "2030-01-01" };
  edge("LEGAL_REPRESENTATIVE_OF", repChange.before, repChange.company, 2, { validFrom: "2015-03-01", validTo: repChange.changedOn });
  edge("LEGAL_REPRESENTATIVE_OF", repChange.after, repChange.company, 2, { validFrom: repChange.changedOn });
  edge("SENIOR_MANAGER_OF", repChange.manager, repChange.company, 2, { validFrom: repChange.managerFrom });

  const hubPerson = person(0, ["KEY_ATTENTION"]);
  const hub = {
    person: hubPerson,
    companies: [company(0, ["LOW_RATING"]), company(1, ["LOW_RATING"]), company(2), company(0), company(1)],
  };
  for (const [i, k] of hub.companies.entries()) edge("LEGAL_REPRESENTATIVE_OF", hub.person, k, i % 3);

  const supply = { l: company(1), m: company(2, ["SERIOUS_DISHONESTY"]) };
  edge("SUPPLY_CHAIN", hub.companies[0], supply.l, 0);
  edge("SUPPLY_CHAIN", supply.l, supply.m, 1);

  // Hooks onto synced enterprises, when given: they then join the demo's neighbourhoods.
  const [a0, a1] = opts.anchors ?? [];
  if (a0) edge("SUPPLY_CHAIN", supply.m, a0, 2);
  if (a1) edge("SENIOR_MANAGER_OF", hub.person, a1, 0);

  return {
    seed, nodes, edges,
    roles: { chain, pyramid, cycle, agreement, state, repChange, hub, supply, cities: cities.map((c) => c.code) },
  };
}

/** Writes the demo structures into a store (nodes first); idempotent. */
export async function loadDemo(store: GraphStore, seed: number, opts: { anchors?: string[] } = {}): Promise<DemoGraph> {
  const demo = demoGraph(seed, opts);
  await store.upsertNodes(demo.nodes);
  await store.upsertEdges(demo.edges);
  return demo;
}
