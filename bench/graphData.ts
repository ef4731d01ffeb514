// The graph bench's synthetic registry: N enterprises in ownership groups shaped like the
// real registers (single firms, chains, pyramids, cross-holdings, ownership cycles, state
// groups under a city's 国资委, control by agreement), ~1.5 N people, nominee legal
// representatives who front for many firms, some representatives replaced (closed edges),
// and a few risk flags. Ids are valid USCCs (check character) and resident ID numbers
// (check digit). Deterministic from the seed: group g is made from its own random stream,
// so any group can be made again alone, which is how the bench knows each sampled
// subject's neighbours (every edge that touches a group's enterprises is made by that group).
import { type City } from "../lib/cities.js";
import { hash32 } from "../prisma/seed/random.js";
import { GRAPH_NAMES } from "../prisma/seed/words.js";
import type { GraphEdge, GraphNode } from "../graph/types.js";
import { CITIES, enterpriseId, flagsOf, nomineeCount, personCity, personId, publicBodyId } from "./graphIds.js";
import { makeGroup, type GraphSpec, type Group, type Shape } from "./graphShapes.js";

/** Every current edge is valid on this day; replaced representatives' edges ended before it. */
export const AS_OF = "2025-12-31";

const SURNAMES = GRAPH_NAMES.surnames;
const GIVEN = GRAPH_NAMES.givenNameChars.split("");

function enterpriseNode(seed: number, index: number, city: City): GraphNode {
  const h = hash32(seed, 0xa7, index);
  const name = `${city.name.replace(/市$/, "")}${GRAPH_NAMES.tradeNames[h % GRAPH_NAMES.tradeNames.length]}${GRAPH_NAMES.lines[(h >>> 8) % GRAPH_NAMES.lines.length]}有限公司`;
  return { id: enterpriseId(index, city), kind: "Enterprise", name, cityCode: city.code, riskFlags: flagsOf(seed, "Enterprise", index) };
}

function personNode(seed: number, index: number): GraphNode {
  const h = hash32(seed, 0xb7, index);
  const name = SURNAMES[h % SURNAMES.length] + GIVEN[(h >>> 8) % GIVEN.length] + GIVEN[(h >>> 16) % GIVEN.length];
  return { id: personId(seed, index), kind: "Person", name, cityCode: personCity(seed, index).code, riskFlags: flagsOf(seed, "Person", index) };
}

/**
 * The whole registry, laid out once (where each group's enterprises and fresh people
 * start); nodes and edges are then made on demand, as streams or per group.
 */
export class SyntheticRegistry {
  private readonly firstEnterprise: Int32Array;
  private readonly firstPerson: Int32Array;
  private readonly cityOf: Uint8Array;
  readonly groups: number;
  readonly shapes: Record<Shape, number> = { single: 0, chain: 0, pyramid: 0, crossHolding: 0, cycle: 0, state: 0, agreement: 0 };
  /** Fresh people the groups asked for (more than `people`: the rest were people already in the registry). */
  readonly peopleWanted: number;

  constructor(readonly spec: GraphSpec) {
    const starts: number[] = [], persons: number[] = [], cities: number[] = [];
    let e = 0, p = nomineeCount(spec.people);
    for (let g = 0; e < spec.enterprises; g++) {
      const group = makeGroup(spec, g, e, p, spec.enterprises - e);
      starts.push(e);
      persons.push(p);
      cities.push(CITIES.indexOf(group.city));
      this.shapes[group.shape]++;
      e += group.size;
      p += group.freshPeople;
    }
    this.groups = starts.length;
    this.firstEnterprise = Int32Array.from([...starts, e]);
    this.firstPerson = Int32Array.from(persons);
    this.cityOf = Uint8Array.from(cities);
    this.peopleWanted = p;
  }

  group(g: number): Group {
    const e = this.firstEnterprise[g];
    return makeGroup(this.spec, g, e, this.firstPerson[g], this.spec.enterprises - e);
  }

  /** The group an enterprise index belongs to. */
  groupOf(enterprise: number): number {
    let lo = 0, hi = this.groups - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.firstEnterprise[mid] <= enterprise) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  *nodes(): Generator<GraphNode> {
    for (let g = 0; g < this.groups; g++) {
      const city = CITIES[this.cityOf[g]];
      for (let i = this.firstEnterprise[g]; i < this.firstEnterprise[g + 1]; i++) yield enterpriseNode(this.spec.seed, i, city);
    }
    for (let i = 0; i < this.spec.people; i++) yield personNode(this.spec.seed, i);
    for (const city of CITIES) yield { id: publicBodyId(city), kind: "PublicBody", name: `${city.name}人民政府国有资产监督管理委员会`, cityCode: city.code, riskFlags: [] };
  }

  *edges(): Generator<GraphEdge> {
    for (let g = 0; g < this.groups; g++) yield* this.group(g).edges;
  }
}
