/**
 * Related-party risk (关联风险), F54: a deterministic score from the flags of the
 * subject's related parties, weighted by relation and distance, with the paths that
 * explain it. The backend only enumerates paths (Cypher); all arithmetic is here, so
 * kuzu and Neo4j give bit-for-bit the same score.
 *
 * For each flagged node X (other than the subject) within `depth` hops (default 3),
 * over the simple undirected paths valid at `asOf`:
 *
 *   contribution(X) = max over paths p from the subject to X of
 *                     severity(X) × decay^(length(p) − 1) × w(p)
 *   severity(X)     = max over X's flags of SERIOUS_DISHONESTY 1.0, MARKET_BAN 0.9,
 *                     INDUSTRY_BLACKLIST 0.8, JUDGMENT_DEFAULTER 0.7, KEY_ATTENTION 0.5,
 *                     LOW_RATING 0.3 (other flags 0: listed nowhere, counted nowhere)
 *   decay           = 0.5
 *   w(p)            = product over the hops of: the share for SHAREHOLDER_OF; 1.0 for
 *                     ACTUAL_CONTROLLER_OF, LEGAL_REPRESENTATIVE_OF, PRINCIPAL_OF; 0.6 for
 *                     SENIOR_MANAGER_OF, MEMBER_OF; 0.4 for SUPPLY_CHAIN
 *   score           = 1 − Π over X of (1 − contribution(X))      (noisy-OR, in [0, 1])
 *
 * The subject's own flags are not counted. `distance`, `weight` and `path` report the
 * path that gave the maximum (ties: the shorter, then the smaller ids). Taking the
 * strongest path rather than the shortest keeps the score monotone: a new, weak, direct
 * edge (a supply-chain link) can never lower a risk that a strong two-hop tie (the same
 * legal representative) already carries.
 *
 * Worked example: the subject's legal representative P has KEY_ATTENTION (0.5; one hop,
 * w = 1.0 → 0.5), and a supplier's supplier has SERIOUS_DISHONESTY (1.0; two hops,
 * w = 0.4 × 0.4 = 0.16 → 1.0 × 0.5 × 0.16 = 0.08): score = 1 − 0.5 × 0.92 = 0.54.
 */
import { byEnd, comparePaths, end, isSimple, round12, toSteps, type RawPath } from "./paths.js";
import type { RelatedPartyRisk, RelationType, RiskContribution } from "./types.js";

export const SEVERITY: Readonly<Record<string, number>> = {
  SERIOUS_DISHONESTY: 1.0,
  MARKET_BAN: 0.9,
  INDUSTRY_BLACKLIST: 0.8,
  JUDGMENT_DEFAULTER: 0.7,
  KEY_ATTENTION: 0.5,
  LOW_RATING: 0.3,
};

export const DECAY = 0.5;

/** Per-hop weight; SHAREHOLDER_OF uses the edge's share instead. */
export const RELATION_WEIGHT: Readonly<Record<Exclude<RelationType, "SHAREHOLDER_OF">, number>> = {
  ACTUAL_CONTROLLER_OF: 1.0,
  LEGAL_REPRESENTATIVE_OF: 1.0,
  PRINCIPAL_OF: 1.0,
  SENIOR_MANAGER_OF: 0.6,
  MEMBER_OF: 0.6,
  SUPPLY_CHAIN: 0.4,
};

export const DEFAULT_RISK_DEPTH = 3;

export const RISK_FORMULA =
  "score = 1 − Π(1 − c_X) over flagged related parties X within depth hops (subject's own flags excluded); " +
  "c_X = max over simple paths p to X of severity(X) × 0.5^(length(p) − 1) × w(p); " +
  "severity = max over flags of SERIOUS_DISHONESTY 1.0, MARKET_BAN 0.9, INDUSTRY_BLACKLIST 0.8, JUDGMENT_DEFAULTER 0.7, KEY_ATTENTION 0.5, LOW_RATING 0.3; " +
  "w(p) = Π over hops of share (SHAREHOLDER_OF), 1.0 (ACTUAL_CONTROLLER_OF, LEGAL_REPRESENTATIVE_OF, PRINCIPAL_OF), 0.6 (SENIOR_MANAGER_OF, MEMBER_OF), 0.4 (SUPPLY_CHAIN)";

export function severityOf(flags: readonly string[]): number {
  let s = 0;
  for (const f of flags) s = Math.max(s, SEVERITY[f] ?? 0);
  return s;
}

export function pathWeight(p: RawPath): number {
  let w = 1;
  for (const r of p.rels) w *= r.type === "SHAREHOLDER_OF" ? r.share ?? 0 : RELATION_WEIGHT[r.type];
  return w;
}

/** `paths` start at the subject and end at flagged nodes; non-simple ones are ignored. */
export function riskFrom(paths: readonly RawPath[]): RelatedPartyRisk {
  const contributions: RiskContribution[] = [];
  for (const [, candidates] of byEnd(paths.filter(isSimple))) {
    const node = end(candidates[0]);
    const severity = severityOf(node.riskFlags);
    if (severity === 0) continue;
    let best: { p: RawPath; weight: number; contribution: number } | undefined;
    for (const p of candidates) {
      const weight = pathWeight(p);
      const contribution = severity * DECAY ** (p.rels.length - 1) * weight;
      if (!best || contribution > best.contribution || (contribution === best.contribution && comparePaths(p, best.p) < 0)) {
        best = { p, weight, contribution };
      }
    }
    if (!best || best.contribution === 0) continue;
    contributions.push({
      node,
      flags: node.riskFlags.filter((f) => (SEVERITY[f] ?? 0) > 0),
      distance: best.p.rels.length,
      weight: best.weight,
      contribution: best.contribution,
      path: toSteps(best.p),
    });
  }
  contributions.sort((a, b) => b.contribution - a.contribution || (a.node.id < b.node.id ? -1 : 1));
  let keep = 1;
  for (const c of contributions) keep *= 1 - c.contribution;
  const rounded = contributions.map((c) => ({ ...c, weight: round12(c.weight), contribution: round12(c.contribution) }));
  return { score: round12(1 - keep), contributions: rounded, formula: RISK_FORMULA };
}
