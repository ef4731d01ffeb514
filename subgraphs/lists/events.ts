/**
 * What the lists subgraph emits: its outbox, the contracts of its events (producers write
 * and consumers read through them: the gateway's streams, the risk engine, the graph's risk
 * flags), and the subscription streams the gateway serves from them.
 */
import { z } from "zod";
import { defineEvent } from "../../events/contract.js";
import type { StreamDeclaration, SubgraphEvents } from "../../events/streams.js";
import { ListEntryState, ListType, SubjectKind } from "../../prisma/generated/enums.js";

export const LISTS_STREAM = "lists";

/** An entry moved (or was recognised: `from` null); entries linked to responsible persons emit their own. */
export const ListEntryChanged = defineEvent(LISTS_STREAM, "ListEntryChanged", z.object({
  id: z.number().int(),
  from: z.enum(ListEntryState).nullable(),
  to: z.enum(ListEntryState),
  reason: z.string().optional(),
  listType: z.enum(ListType),
  /** USCC or ID number: the graph and the risk engine key subjects by it. */
  subject: z.string(),
  subjectKind: z.enum(SubjectKind),
}));

/** An objection took a step (申请 → 受理 → 标注 → 核实 → 更正/删除/维持 → 更新). */
export const ObjectionChanged = defineEvent(LISTS_STREAM, "ObjectionChanged", z.object({
  objectionId: z.number().int(),
  entryId: z.number().int(),
  step: z.string(),
}));

/** A repair application was submitted, decided or revoked. */
export const RepairChanged = defineEvent(LISTS_STREAM, "RepairChanged", z.object({
  repairId: z.number().int(),
  entryId: z.number().int(),
  status: z.string(),
}));

const entry = { field: "entry", type: "ListEntry", lookup: "listEntry" };

const streams: StreamDeclaration[] = [
  {
    field: "listEntryChanged", eventTypeName: "ListEntryChangedEvent", events: [ListEntryChanged], entity: entry,
    details: [
      { name: "fromState", type: "ListEntryState", of: (e) => ListEntryChanged.parse(e).from },
      { name: "toState", type: "ListEntryState", of: (e) => ListEntryChanged.parse(e).to },
    ],
    typeFilter: { arg: "types", argType: "[ListType!]", of: (e) => ListEntryChanged.parse(e).listType },
  },
  {
    field: "objectionChanged", eventTypeName: "ObjectionChangedEvent", events: [ObjectionChanged], entity: entry,
    details: [
      { name: "objectionId", type: "ID", of: (e) => ObjectionChanged.parse(e).objectionId },
      { name: "step", type: "String", of: (e) => ObjectionChanged.parse(e).step },
    ],
  },
  {
    field: "repairChanged", eventTypeName: "RepairChangedEvent", events: [RepairChanged], entity: entry,
    details: [
      { name: "repairId", type: "ID", of: (e) => RepairChanged.parse(e).repairId },
      { name: "status", type: "String", of: (e) => RepairChanged.parse(e).status },
    ],
  },
];

export const listsEvents: SubgraphEvents = {
  outbox: { table: "lists.outbox", stream: LISTS_STREAM },
  emits: [ListEntryChanged, ObjectionChanged, RepairChanged],
  streams,
};
