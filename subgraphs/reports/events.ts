/**
 * What the reports subgraph emits: its outbox, the contracts of an issued report (F38) and of a
 * receiving city's recognition (F40), and the streams the gateway serves.
 */
import { z } from "zod";
import { defineEvent } from "../../events/contract.js";
import type { StreamDeclaration, SubgraphEvents } from "../../events/streams.js";

export const REPORTS_STREAM = "reports";

/** A city issued a signed credit report on a subject. */
export const ReportIssued = defineEvent(REPORTS_STREAM, "ReportIssued", z.object({
  reportId: z.number().int(),
  /** USCC of the subject. */
  subject: z.string(),
  template: z.string(),
  issuingCity: z.string(),
  hash: z.string(),
}));

/** A receiving city recognised another city's report for a use (信用互认). */
export const ReportRecognised = defineEvent(REPORTS_STREAM, "ReportRecognised", z.object({
  recognitionId: z.number().int(),
  reportId: z.number().int(),
  issuingCity: z.string(),
  recognisingCity: z.string(),
  use: z.string(),
  agreementId: z.string(),
}));

const streams: StreamDeclaration[] = [
  {
    field: "reportIssued", eventTypeName: "ReportIssuedEvent", events: [ReportIssued],
    entity: { field: "report", type: "CreditReport", lookup: "creditReport" },
    details: [{ name: "template", type: "String", of: (e) => ReportIssued.parse(e).template }],
  },
  {
    field: "reportRecognised", eventTypeName: "ReportRecognisedEvent", events: [ReportRecognised],
    entity: { field: "recognition", type: "ReportRecognition", lookup: "reportRecognition" },
    // The decision itself resolves for the two cities only (ReportRecognition's resolvers); others get null.
    details: [{ name: "use", type: "String", of: (e) => ReportRecognised.parse(e).use }],
  },
];

export const reportsEvents: SubgraphEvents = {
  outbox: { table: "reports.outbox", stream: REPORTS_STREAM },
  emits: [ReportIssued, ReportRecognised],
  streams,
};
