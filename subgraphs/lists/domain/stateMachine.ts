import type { ListEntryState } from "../../../prisma/generated/client.js";
import { hubError } from "../../../lib/errors.js";

/**
 * The list-entry lifecycle (F14), the one place it is defined:
 * RECOGNISED → PUBLISHED → (UNDER_OBJECTION) → RECTIFYING → REPAIRED | EXITED | EXPIRED | REVOKED.
 * `by` says who may make a move: the recognising city by hand, repair confirmation,
 * repair revocation, or the expiry sweep.
 */
export type Mover = "manual" | "repair" | "repairRevoked" | "sweep";

const MOVES: Array<{ from: ListEntryState[]; to: ListEntryState; by: Mover }> = [
  { from: ["RECOGNISED", "UNDER_OBJECTION", "RECTIFYING"], to: "PUBLISHED", by: "manual" },
  { from: ["PUBLISHED", "RECTIFYING"], to: "UNDER_OBJECTION", by: "manual" },
  { from: ["PUBLISHED", "UNDER_OBJECTION"], to: "RECTIFYING", by: "manual" },
  { from: ["PUBLISHED", "UNDER_OBJECTION", "RECTIFYING"], to: "EXITED", by: "manual" },
  { from: ["RECOGNISED", "PUBLISHED", "UNDER_OBJECTION", "RECTIFYING"], to: "REVOKED", by: "manual" },
  { from: ["PUBLISHED", "UNDER_OBJECTION", "RECTIFYING"], to: "REPAIRED", by: "repair" },
  { from: ["REPAIRED"], to: "PUBLISHED", by: "repairRevoked" },
  { from: ["RECOGNISED", "PUBLISHED", "UNDER_OBJECTION", "RECTIFYING"], to: "EXPIRED", by: "sweep" },
];

/** States whose measures are in force and which are shown as listed. */
export const LIVE_STATES: ListEntryState[] = ["RECOGNISED", "PUBLISHED", "UNDER_OBJECTION", "RECTIFYING"];

export function allowedTargets(from: ListEntryState, by: Mover): ListEntryState[] {
  return MOVES.filter((m) => m.by === by && m.from.includes(from)).map((m) => m.to);
}

/** Throws INVALID_TRANSITION naming the current state and the moves allowed from it. */
export function checkTransition(from: ListEntryState, to: ListEntryState, by: Mover): void {
  if (allowedTargets(from, by).includes(to)) return;
  const allowed = allowedTargets(from, by);
  const other = MOVES.find((m) => m.to === to && m.from.includes(from));
  const hint = other ? ` (${to} happens through ${other.by === "repair" ? "confirmRepair: decideRepairApplication(CONFIRM)" : other.by === "sweep" ? "the expiry sweep when the period ends" : "revokeRepair"})` : "";
  throw hubError("INVALID_TRANSITION", `cannot move a ${from} entry to ${to}${hint}; allowed from ${from}: ${allowed.length ? allowed.join(", ") : "none (final state)"}`, {
    currentState: from, allowed,
  });
}
