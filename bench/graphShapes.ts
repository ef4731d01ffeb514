// The ownership groups of the graph bench's registry, one shape each: single firms, chains,
// pyramids, cross-holdings, ownership cycles, state groups under a city's 国资委, control by
// agreement. Group g is made from its own random stream, so it can be made again alone; every
// edge that touches a group's enterprises is made by that group.
import type { City } from "../lib/cities.js";
import { rngFor, type Random } from "../prisma/seed/random.js";
import type { GraphEdge, RelationType } from "../graph/types.js";
import { CITIES, DAY_MS, nomineeCount, personId, enterpriseId, publicBodyId } from "./graphIds.js";

const FIRST_DAY = Date.UTC(2005, 0, 1);
const DAYS = 7300; // validFrom in 2005..2024
const VALID_FROM = Array.from({ length: DAYS }, (_, n) => new Date(FIRST_DAY + n * DAY_MS).toISOString().slice(0, 10));

export type Shape = "single" | "chain" | "pyramid" | "crossHolding" | "cycle" | "state" | "agreement";
const SHAPES: ReadonlyArray<readonly [Shape, number]> = [
  ["single", 0.55], ["chain", 0.12], ["pyramid", 0.12], ["crossHolding", 0.08], ["cycle", 0.05], ["state", 0.05], ["agreement", 0.03],
];


function dayAt(n: number): string {
  return VALID_FROM[n];
}

/** Shares in hundredths, so they read like registered capital ratios. */
function share(rng: Random, min: number, max: number): number {
  return rng.int(Math.round(min * 100), Math.round(max * 100)) / 100;
}

export interface Group {
  index: number;
  shape: Shape;
  city: City;
  /** The group's enterprises are [firstEnterprise, firstEnterprise + size). */
  firstEnterprise: number;
  size: number;
  /** How many fresh people the group took from the running counter. */
  freshPeople: number;
  edges: GraphEdge[];
}

/** Lays one group's edges; ids are made as the edges are. */
class GroupBuilder {
  readonly edges: GraphEdge[] = [];
  private readonly laid = new Set<string>();
  private enterprises = 0;
  private fresh = 0;
  constructor(
    readonly rng: Random,
    private readonly spec: GraphSpec,
    readonly city: City,
    private readonly firstEnterprise: number,
    private readonly firstPerson: number,
    private readonly maxEnterprises: number,
  ) {}

  get size(): number {
    return this.enterprises;
  }
  get freshPeople(): number {
    return this.fresh;
  }
  get full(): boolean {
    return this.enterprises >= this.maxEnterprises;
  }

  enterprise(): string {
    return enterpriseId(this.firstEnterprise + this.enterprises++, this.city);
  }

  /** A person new to the registry, or once the people run out, someone already in it. */
  person(): string {
    const { seed, people } = this.spec;
    const nominees = nomineeCount(people);
    const next = this.firstPerson + this.fresh;
    if (next < people) {
      this.fresh++;
      return personId(seed, next);
    }
    return personId(seed, this.rng.int(nominees, people - 1));
  }

  /** A nominee: the lower the index the more firms they front for (a skewed pick). */
  nominee(): string {
    return personId(this.spec.seed, Math.floor(nomineeCount(this.spec.people) * this.rng.float() ** 1.5));
  }

  /**
   * Each edge ends at one of the group's enterprises, so a (type, from, to) met twice in a
   * group (someone drawn twice once the people ran out) is the only repeat possible: dropped.
   */
  edge(type: RelationType, from: string, to: string, extra: Partial<GraphEdge> = {}): void {
    const key = `${type}|${from}|${to}`;
    if (this.laid.has(key)) return;
    this.laid.add(key);
    this.edges.push({ type, from, to, cityCode: this.city.code, validFrom: dayAt(this.rng.int(0, DAYS - 1)), validTo: null, share: null, ...extra });
  }

  holds(from: string, to: string, s: number): void {
    if (s > 0) this.edge("SHAREHOLDER_OF", from, to, { share: s });
  }

  /** The legal representative: `preferred`, someone new, or a nominee; one in ten replaced an earlier one. */
  represent(e: string, preferred?: string): void {
    const r = this.rng.float();
    const rep = preferred && r < 0.7 ? preferred : r < 0.9 ? this.person() : this.nominee();
    if (this.rng.chance(0.1)) {
      const changed = this.rng.int(1, DAYS - 1);
      this.edge("LEGAL_REPRESENTATIVE_OF", this.person(), e, { validFrom: dayAt(this.rng.int(0, changed - 1)), validTo: dayAt(changed) });
      this.edge("LEGAL_REPRESENTATIVE_OF", rep, e, { validFrom: dayAt(changed) });
    } else {
      this.edge("LEGAL_REPRESENTATIVE_OF", rep, e);
    }
    // Branch-like units (分支机构) have a principal (主要负责人) too.
    if (this.rng.chance(0.08)) this.edge("PRINCIPAL_OF", this.person(), e);
  }

  /** Minority holders (new people) splitting what `taken` leaves. */
  minority(e: string, taken: number, most = 2): void {
    let left = Math.round((1 - taken) * 100);
    const n = this.rng.int(0, most);
    for (let i = 0; i < n && left > 0; i++) {
      const s = i === n - 1 ? left : this.rng.int(1, left);
      this.holds(this.person(), e, s / 100);
      left -= s;
    }
  }
}

export interface GraphSpec {
  seed: number;
  enterprises: number;
  people: number;
}

function pickShape(rng: Random): Shape {
  let r = rng.float();
  for (const [shape, w] of SHAPES) {
    if (r < w) return shape;
    r -= w;
  }
  return "single";
}

/** Group g's shape and edges, its enterprises from `firstEnterprise` on (at most `room` of them). */
export function makeGroup(spec: GraphSpec, g: number, firstEnterprise: number, firstPerson: number, room: number): Group {
  const rng = rngFor(spec.seed, 0x67, g);
  const shape = pickShape(rng);
  const city = CITIES[rng.int(0, CITIES.length - 1)];
  const b = new GroupBuilder(rng, spec, city, firstEnterprise, firstPerson, room);
  LAY[shape](b, b.enterprise(), b.person());
  return { index: g, shape, city, firstEnterprise, size: b.size, freshPeople: b.freshPeople, edges: b.edges };
}

/** Each shape laid from the group's first enterprise (`top`) and first person (`founder`). */
const LAY: Record<Shape, (b: GroupBuilder, top: string, founder: string) => void> = {
  single(b, top, founder) {
    const { rng } = b;
    const s = share(rng, 0.3, 1);
    b.holds(founder, top, s);
    b.minority(top, s);
    b.represent(top, founder);
  },
  chain(b, top, founder) {
    const { rng } = b;
    // P → E0 → E1 → … (up to six firms), each link a majority or a large minority.
    let holder = founder, s = share(rng, 0.51, 1), last = top;
    b.holds(founder, top, s);
    b.minority(top, s, 1);
    b.represent(top, founder);
    for (let i = rng.int(1, 5); i > 0 && !b.full; i--) {
      holder = last;
      last = b.enterprise();
      s = share(rng, 0.3, 1);
      b.holds(holder, last, s);
      b.minority(last, s, 1);
      b.represent(last);
    }
    if (rng.chance(0.5) && last !== top) b.edge("ACTUAL_CONTROLLER_OF", founder, last);
  },
  pyramid(b, top, founder) {
    const { rng } = b;
    const s = share(rng, 0.5, 1);
    b.holds(founder, top, s);
    b.minority(top, s, 1);
    b.represent(top, founder);
    for (let c = rng.int(2, 3); c > 0 && !b.full; c--) {
      const child = b.enterprise();
      const cs = share(rng, 0.3, 0.9);
      b.holds(top, child, cs);
      b.minority(child, cs, 1);
      b.represent(child);
      for (let k = rng.int(0, 2); k > 0 && !b.full; k--) {
        const grandchild = b.enterprise();
        const gs = share(rng, 0.3, 1);
        b.holds(child, grandchild, gs);
        b.minority(grandchild, gs, 1);
        b.represent(grandchild);
      }
    }
    if (rng.chance(0.4)) b.edge("ACTUAL_CONTROLLER_OF", founder, top);
  },
  crossHolding(b, top, founder) {
    const { rng } = b;
    // A and B hold each other (相互持股); a third firm held by both.
    b.holds(founder, top, share(rng, 0.51, 0.8));
    b.represent(top, founder);
    if (b.full) return;
    const other = b.enterprise();
    b.holds(top, other, share(rng, 0.51, 0.8));
    b.holds(other, top, share(rng, 0.1, 0.2));
    b.represent(other);
    if (!b.full && rng.chance(0.5)) {
      const third = b.enterprise();
      b.holds(top, third, share(rng, 0.3, 0.5));
      b.holds(other, third, share(rng, 0.2, 0.5));
      b.represent(third);
    }
  },
  cycle(b, top, founder) {
    const { rng } = b;
    // An ownership loop E0 → E1 → … → E0 with the founder above E0.
    const ring = [top];
    for (let k = rng.int(2, 4); k > 0 && !b.full; k--) ring.push(b.enterprise());
    b.holds(founder, top, share(rng, 0.5, 0.8));
    for (let i = 0; i < ring.length; i++) {
      if (ring.length > 1) b.holds(ring[i], ring[(i + 1) % ring.length], share(rng, 0.2, 0.6));
      b.represent(ring[i], i === 0 ? founder : undefined);
    }
    if (ring.length > 1) b.holds(b.person(), ring[1], share(rng, 0.1, 0.3));
  },
  state(b, top, founder) {
    const { rng } = b;
    // The city's 国资委 holds the group's parent; the parent holds its subsidiaries.
    const s = rng.chance(0.5) ? 1 : 0.51;
    b.holds(publicBodyId(b.city), top, s);
    if (s < 1) b.holds(founder, top, 0.49);
    b.represent(top, founder);
    for (let k = rng.int(1, 4); k > 0 && !b.full; k--) {
      const sub = b.enterprise();
      b.holds(top, sub, share(rng, 0.51, 1));
      b.represent(sub);
    }
  },
  agreement(b, top, founder) {
    const { rng } = b;
    // Control by agreement (协议控制): holders all below half, a controller with no shares.
    const s1 = share(rng, 0.3, 0.45), s2 = share(rng, 0.2, 0.45);
    b.holds(b.person(), top, s1);
    b.holds(b.person(), top, Math.min(s2, Math.round((1 - s1) * 100) / 100));
    b.edge("ACTUAL_CONTROLLER_OF", founder, top);
    b.represent(top, founder);
  },
};
