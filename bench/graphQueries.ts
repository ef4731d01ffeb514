// The graph bench's query figures: each GraphStore query called for random generated
// subjects, timed one at a time (latency without queueing), every answer checked
// (graphChecks.ts) outside the timed call.
import type { GraphStore } from "../graph/types.js";
import { Random } from "../prisma/seed/random.js";
import { AS_OF, type SyntheticRegistry } from "./graphData.js";
import { Neighbourhood, checkAffiliates, checkControllers, checkRelationPath, checkRisk } from "./graphChecks.js";
import { enterpriseId } from "./graphIds.js";
import { log, percentile, round } from "./figures.js";

/** As the relations subgraph asks (AFFILIATE_LIMIT): every affiliate, paged afterwards. */
const AFFILIATE_FIRST = 10_000;
const CONTROL_THRESHOLD = 0.25;
const RISK_DEPTH = 3;
const PATH_DEPTH = 6;

export interface Subject {
  index: number;
  uscc: string;
  n: Neighbourhood;
  /** Another enterprise of the group (or the group's first person) and its distance inside the group. */
  near: { id: string; within: number | undefined };
  /** An enterprise anywhere. */
  far: string;
}

export function pickSubjects(r: SyntheticRegistry, count: number, seed: number): Subject[] {
  const rng = new Random(seed ^ 0x5eed);
  const out: Subject[] = [];
  for (let k = 0; k < count; k++) {
    const index = rng.int(0, r.spec.enterprises - 1);
    const group = r.group(r.groupOf(index));
    const uscc = enterpriseId(index, group.city);
    const n = new Neighbourhood(group, r.spec.seed);
    const nearIndex = group.firstEnterprise + ((index - group.firstEnterprise + 1) % group.size);
    const nearId = nearIndex !== index ? enterpriseId(nearIndex, group.city) : (n.incident(uscc)[0]?.other ?? uscc);
    const farIndex = rng.int(0, r.spec.enterprises - 1);
    const far = enterpriseId(farIndex, r.group(r.groupOf(farIndex)).city);
    out.push({ index, uscc, n, near: { id: nearId, within: n.distances(uscc, PATH_DEPTH).get(nearId) }, far });
  }
  return out;
}

export interface QueryFigures {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** Mean size of an answer (affiliates, controllers, contributions, path steps). */
  meanAnswerSize: number;
  /** Answers that failed a check, with the first few problems. */
  failed: number;
  problems: string[];
  /** Sampling stopped early at --budget seconds for this query. */
  stoppedByBudget: boolean;
}

interface StoreQuery<T> {
  call(store: GraphStore, s: Subject): Promise<T>;
  check(s: Subject, answer: T): string[];
  size(answer: T): number;
}

/** Typed per query, run as one list. */
function query<T>(q: StoreQuery<T>): StoreQuery<unknown> {
  return q as StoreQuery<unknown>;
}

export const STORE_QUERIES: Record<string, StoreQuery<unknown>> = {
  affiliates2: query({
    call: (g, s) => g.affiliates(s.uscc, { depth: 2, first: AFFILIATE_FIRST, asOf: AS_OF }),
    check: (s, a) => checkAffiliates(a, s.uscc, s.n, 2),
    size: (a) => a.length,
  }),
  affiliates3: query({
    call: (g, s) => g.affiliates(s.uscc, { depth: 3, first: AFFILIATE_FIRST, asOf: AS_OF }),
    check: (s, a) => checkAffiliates(a, s.uscc, s.n, 3),
    size: (a) => a.length,
  }),
  ultimateControllers: query({
    call: (g, s) => g.ultimateControllers(s.uscc, { threshold: CONTROL_THRESHOLD, asOf: AS_OF }),
    check: (s, c) => checkControllers(c, s.uscc, s.n, CONTROL_THRESHOLD),
    size: (c) => c.length,
  }),
  relationPathSameGroup: query({
    call: (g, s) => g.relationPath(s.uscc, s.near.id, { maxDepth: PATH_DEPTH, asOf: AS_OF }),
    check: (s, p) => (s.near.id === s.uscc ? [] : checkRelationPath(p, s.uscc, s.near.id, s.near.within, PATH_DEPTH)),
    size: (p) => p?.length ?? 0,
  }),
  relationPathRandomPair: query({
    call: (g, s) => g.relationPath(s.uscc, s.far, { maxDepth: PATH_DEPTH, asOf: AS_OF }),
    check: (s, p) => checkRelationPath(p, s.uscc, s.far, undefined, PATH_DEPTH),
    size: (p) => p?.length ?? 0,
  }),
  relatedPartyRisk: query({
    call: (g, s) => g.relatedPartyRisk(s.uscc, { asOf: AS_OF, depth: RISK_DEPTH }),
    check: (s, r) => checkRisk(r, s.uscc, s.n, RISK_DEPTH),
    size: (r) => r.contributions.length,
  }),
};

export function summarise(ms: number[], sizes: number[], problems: string[][], stoppedByBudget: boolean): QueryFigures {
  const sorted = Float64Array.from(ms).sort();
  const failedAnswers = problems.filter((p) => p.length > 0);
  return {
    samples: ms.length,
    p50Ms: round(percentile(sorted, 50), 1),
    p95Ms: round(percentile(sorted, 95), 1),
    p99Ms: round(percentile(sorted, 99), 1),
    maxMs: round(sorted[sorted.length - 1] ?? 0, 1),
    meanMs: round(ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length), 1),
    meanAnswerSize: round(sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length), 1),
    failed: failedAnswers.length,
    problems: failedAnswers.flat().slice(0, 5),
    stoppedByBudget,
  };
}

/** Each query over the subjects in turn: `warmup` untimed calls, then timed ones until the subjects or the budget run out. */
export async function measureStore(store: GraphStore, subjects: Subject[], o: { warmup: number; budgetSec: number }): Promise<Record<string, QueryFigures>> {
  const out: Record<string, QueryFigures> = {};
  for (const [name, q] of Object.entries(STORE_QUERIES)) {
    for (const s of subjects.slice(0, o.warmup)) await q.call(store, s);
    const ms: number[] = [], sizes: number[] = [], problems: string[][] = [];
    const until = performance.now() + o.budgetSec * 1000;
    let stopped = false;
    for (const s of subjects.slice(o.warmup)) {
      if (performance.now() > until) {
        stopped = true;
        break;
      }
      const t = performance.now();
      const answer = await q.call(store, s);
      ms.push(performance.now() - t);
      sizes.push(q.size(answer));
      problems.push(q.check(s, answer).map((p) => `${s.uscc}: ${p}`));
    }
    out[name] = summarise(ms, sizes, problems, stopped);
    log(`${name}: p50 ${out[name].p50Ms} ms, p95 ${out[name].p95Ms} ms over ${ms.length}; ${out[name].failed} failed checks`);
  }
  return out;
}
