/**
 * What the measures subgraph emits: its outbox, the contracts of a commitment's change of state
 * (履约, 失信: F30, F31) and of a joint case's step (发起 → 响应 → 执行 → 反馈, F26), and the
 * streams the gateway serves.
 */
import { z } from "zod";
import { defineEvent } from "../../events/contract.js";
import type { StreamDeclaration, SubgraphEvents } from "../../events/streams.js";
import { COMMITMENT_TYPES } from "./catalogues/index.js";

export const MEASURES_STREAM = "measures";
export const COMMITMENT_STATES = ["PENDING", "FULFILLED", "BREACHED", "WITHDRAWN"] as const;
export const CASE_STEPS = ["INITIATED", "RESPONDED", "EXECUTED", "FEEDBACK"] as const;

/** A commitment was recorded or changed state; a breach also left a negative record. */
export const CommitmentChanged = defineEvent(MEASURES_STREAM, "CommitmentChanged", z.object({
  commitmentId: z.number().int(),
  subjectKind: z.enum(["ENTERPRISE", "INDIVIDUAL"]),
  type: z.enum(COMMITMENT_TYPES),
  state: z.enum(COMMITMENT_STATES),
  breachRecordId: z.number().int().nullable(),
}));

/** A department took a step of a joint case. */
export const JointCaseStepTaken = defineEvent(MEASURES_STREAM, "JointCaseStepTaken", z.object({
  caseId: z.number().int(),
  stepId: z.number().int(),
  step: z.enum(CASE_STEPS),
  measureCode: z.string(),
  department: z.string(),
}));

const streams: StreamDeclaration[] = [
  {
    field: "commitmentChanged", eventTypeName: "CommitmentChangedEvent", events: [CommitmentChanged],
    entity: { field: "commitment", type: "CreditCommitment", lookup: "creditCommitment" },
    details: [{ name: "state", type: "CommitmentState", of: (e) => CommitmentChanged.parse(e).state }],
    typeFilter: { arg: "states", argType: "[CommitmentState!]", of: (e) => CommitmentChanged.parse(e).state },
  },
  {
    field: "jointCaseStep", eventTypeName: "JointCaseStepEvent", events: [JointCaseStepTaken],
    entity: { field: "case", type: "JointCase", lookup: "jointCase" },
    details: [
      { name: "step", type: "JointCaseStepKind", of: (e) => JointCaseStepTaken.parse(e).step },
      { name: "department", type: "String", of: (e) => JointCaseStepTaken.parse(e).department },
    ],
    typeFilter: { arg: "steps", argType: "[JointCaseStepKind!]", of: (e) => JointCaseStepTaken.parse(e).step },
  },
];

export const measuresEvents: SubgraphEvents = {
  outbox: { table: "measures.outbox", stream: MEASURES_STREAM },
  emits: [CommitmentChanged, JointCaseStepTaken],
  streams,
};
