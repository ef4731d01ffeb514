/**
 * Ultimate controllers (实际控制人 / 受益所有人) from the ownership paths the backend found.
 *
 * Effective share: the sum, over the ACYCLIC SHAREHOLDER_OF paths from a natural person
 * (or public body) down to the enterprise, of the product of the shares along the path.
 * With cross-holdings (A owns 60% of B, B owns 30% of A) the hub reports these acyclic
 * path sums, as the platforms do, and NOT the Leontief integrated share (I − A)⁻¹, which
 * would also count the ownership that goes round the cycle again and again. A path that
 * meets a node twice is dropped, so a cycle never loops and is never counted twice.
 *
 * Control: some path on which every hop is either a SHAREHOLDER_OF edge with share > 50%
 * or an ACTUAL_CONTROLLER_OF edge (control by agreement). Exactly 50% is not control.
 */
import { byEnd, comparePaths, isSimple, reversed, round12, toSteps, type RawPath } from "./paths.js";
import type { Controller } from "./types.js";

export const CONTROL_SHARE = 0.5;

function isOwnershipPath(p: RawPath): boolean {
  return p.rels.every((r) => r.type === "SHAREHOLDER_OF");
}

function isControlPath(p: RawPath): boolean {
  return p.rels.every((r) => r.type === "ACTUAL_CONTROLLER_OF" || (r.type === "SHAREHOLDER_OF" && (r.share ?? 0) > CONTROL_SHARE));
}

/** Product of the shares along an ownership path, multiplied from the controller down. */
export function pathShare(p: RawPath): number {
  let s = 1;
  for (const r of p.rels) s *= r.share ?? 0;
  return s;
}

/**
 * @param upward paths that start at the enterprise and walk SHAREHOLDER_OF /
 *   ACTUAL_CONTROLLER_OF edges backwards to a Person or PublicBody.
 */
export function controllersFrom(upward: readonly RawPath[], threshold: number): Controller[] {
  const out: Controller[] = [];
  for (const [, paths] of byEnd(upward.filter(isSimple))) {
    const fromTop = paths.map(reversed).filter((p) => isOwnershipPath(p) || isControlPath(p)).sort(comparePaths);
    if (fromTop.length === 0) continue;
    let effectiveShare = 0;
    for (const p of fromTop) if (isOwnershipPath(p)) effectiveShare += pathShare(p);
    effectiveShare = round12(effectiveShare);
    const controls = fromTop.some(isControlPath);
    if (effectiveShare >= threshold || controls) {
      out.push({ node: fromTop[0].nodes[0], effectiveShare, controls, paths: fromTop.map(toSteps) });
    }
  }
  return out.sort((a, b) => b.effectiveShare - a.effectiveShare || Number(b.controls) - Number(a.controls) || (a.node.id < b.node.id ? -1 : 1));
}
