// What the graph bench knows about a sampled subject without asking the store: its group's
// edges (every edge that touches the group's enterprises), hence its exact neighbours, its
// exact ultimate controllers (ownership only ever points into a group), and distances inside
// the group (an upper bound on the graph's). Each answer is checked against that, so a
// figure is never the time of a wrong or empty answer.
import { RELATION_WEIGHT, SEVERITY } from "../graph/risk.js";
import type { Affiliate, Controller, GraphEdge, PathStep, RelatedPartyRisk } from "../graph/types.js";
import { AS_OF } from "./graphData.js";
import { flagsOfId } from "./graphIds.js";
import type { Group } from "./graphShapes.js";

const CONTROL_SHARE = 0.5;

function validAt(e: GraphEdge, asOf: string): boolean {
  return e.validFrom <= asOf && (e.validTo == null || asOf < e.validTo);
}

export class Neighbourhood {
  readonly edges: GraphEdge[];
  private readonly adjacent = new Map<string, Array<{ other: string; edge: GraphEdge }>>();

  constructor(readonly group: Group, readonly seed: number) {
    this.edges = group.edges.filter((e) => validAt(e, AS_OF));
    for (const e of this.edges) {
      for (const [a, b] of [[e.from, e.to], [e.to, e.from]]) {
        const list = this.adjacent.get(a) ?? [];
        this.adjacent.set(a, list);
        list.push({ other: b, edge: e });
      }
    }
  }

  /** Undirected distances inside the group from `start`, up to `depth`. */
  distances(start: string, depth: number): Map<string, number> {
    const dist = new Map([[start, 0]]);
    let frontier = [start];
    for (let d = 1; d <= depth && frontier.length > 0; d++) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const { other } of this.adjacent.get(id) ?? []) {
          if (!dist.has(other)) {
            dist.set(other, d);
            next.push(other);
          }
        }
      }
      frontier = next;
    }
    dist.delete(start);
    return dist;
  }

  incident(id: string): Array<{ other: string; edge: GraphEdge }> {
    return this.adjacent.get(id) ?? [];
  }

  /** Controllers by the acyclic-path rules of graph/ownership.ts, worked out here on the group alone. */
  controllers(uscc: string, threshold: number): Map<string, { share: number; controls: boolean }> {
    const up = new Map<string, GraphEdge[]>();
    for (const e of this.edges) {
      if (e.type !== "SHAREHOLDER_OF" && e.type !== "ACTUAL_CONTROLLER_OF") continue;
      up.set(e.to, [...(up.get(e.to) ?? []), e]);
    }
    const found = new Map<string, { share: number; controls: boolean }>();
    const walk = (at: string, seen: Set<string>, share: number, owning: boolean, controlling: boolean) => {
      for (const e of up.get(at) ?? []) {
        if (seen.has(e.from)) continue;
        const own = owning && e.type === "SHAREHOLDER_OF";
        const ctl = controlling && (e.type === "ACTUAL_CONTROLLER_OF" || (e.share ?? 0) > CONTROL_SHARE);
        const s = own ? share * (e.share ?? 0) : 0;
        if (!e.from.startsWith("91")) {
          // A person or public body (no USCC): the top of this path.
          const f = found.get(e.from) ?? { share: 0, controls: false };
          found.set(e.from, { share: f.share + s, controls: f.controls || ctl });
        } else if (own || ctl) {
          walk(e.from, new Set([...seen, e.from]), s, own, ctl);
        }
      }
    };
    walk(uscc, new Set([uscc]), 1, true, true);
    for (const [id, c] of found) if (!(c.share >= threshold - 1e-12 || c.controls)) found.delete(id);
    return found;
  }
}

/** Problems with a path claimed to lead from `from` to `to`: each step must continue the last. */
export function pathProblems(steps: PathStep[], from: string, to: string): string[] {
  let at = from;
  for (const s of steps) {
    if (s.from === at) at = s.to;
    else if (s.to === at) at = s.from;
    else return [`step ${s.type} ${s.from}→${s.to} does not continue from ${at}`];
  }
  return at === to ? [] : [`path ends at ${at}, not ${to}`];
}

export function checkAffiliates(all: Affiliate[], subject: string, n: Neighbourhood, depth: number): string[] {
  const out: string[] = [];
  const got = new Map(all.map((a) => [a.node.id, a]));
  for (const a of all) {
    if (a.distance < 1 || a.distance > depth || a.path.length !== a.distance) out.push(`${a.node.id}: distance ${a.distance}, path of ${a.path.length}`);
    out.push(...pathProblems(a.path, subject, a.node.id));
  }
  for (const [id, d] of n.distances(subject, depth)) {
    const a = got.get(id);
    if (!a) out.push(`known neighbour ${id} at ${d} hops missing`);
    else if (a.distance > d) out.push(`${id} at ${a.distance} hops, known at ${d}`);
  }
  // Every edge of an enterprise is in its group: the one-hop set is exact.
  const direct = new Set(n.incident(subject).map((x) => x.other));
  for (const a of all) if (a.distance === 1 && !direct.has(a.node.id)) out.push(`${a.node.id} at one hop is no neighbour`);
  return out;
}

export function checkControllers(got: Controller[], uscc: string, n: Neighbourhood, threshold: number): string[] {
  const want = n.controllers(uscc, threshold);
  const out: string[] = [];
  for (const c of got) {
    const w = want.get(c.node.id);
    if (!w) out.push(`unexpected controller ${c.node.id}`);
    else if (Math.abs(w.share - c.effectiveShare) > 1e-9 || w.controls !== c.controls) {
      out.push(`${c.node.id}: share ${c.effectiveShare} controls ${c.controls}, expected ${w.share} ${w.controls}`);
    }
  }
  for (const id of want.keys()) if (!got.some((c) => c.node.id === id)) out.push(`controller ${id} missing`);
  return out;
}

export function checkRelationPath(steps: PathStep[] | null, from: string, to: string, knownWithin: number | undefined, maxDepth: number): string[] {
  if (steps === null) return knownWithin === undefined ? [] : [`no path, known one of ${knownWithin}`];
  const out = pathProblems(steps, from, to);
  if (steps.length > maxDepth) out.push(`path of ${steps.length} over maxDepth ${maxDepth}`);
  if (knownWithin !== undefined && steps.length > knownWithin) out.push(`path of ${steps.length}, known one of ${knownWithin}`);
  return out;
}

/** Flagged direct neighbours must contribute at least severity × the edge's weight. */
export function checkRisk(r: RelatedPartyRisk, uscc: string, n: Neighbourhood, depth: number): string[] {
  const out: string[] = [];
  if (!(r.score >= 0 && r.score <= 1)) out.push(`score ${r.score}`);
  for (const c of r.contributions) {
    if (c.flags.length === 0 || c.distance > depth || c.node.id === uscc) out.push(`contribution of ${c.node.id}: flags ${c.flags.join(",")} at ${c.distance}`);
    if (c.contribution > r.score + 1e-9) out.push(`contribution ${c.contribution} above the score ${r.score}`);
    out.push(...pathProblems(c.path, uscc, c.node.id));
  }
  for (const { other, edge } of n.incident(uscc)) {
    const severity = Math.max(0, ...flagsOfId(n.seed, other).map((f) => SEVERITY[f] ?? 0));
    const weight = edge.type === "SHAREHOLDER_OF" ? (edge.share ?? 0) : RELATION_WEIGHT[edge.type];
    if (severity * weight <= 0) continue;
    const c = r.contributions.find((x) => x.node.id === other);
    if (!c || c.contribution < severity * weight - 1e-9) out.push(`flagged neighbour ${other} contributes ${c?.contribution ?? "nothing"}, at least ${severity * weight} known`);
  }
  return out;
}
