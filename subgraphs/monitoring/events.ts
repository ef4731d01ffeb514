/**
 * What the monitoring subgraph emits: its outbox, the contract of a raised risk alert, and
 * the `riskAlert` stream (optionally on one watchlist's enterprises). It consumes the lists
 * subgraph's ListEntryChanged (domain/engine.ts), read through that subgraph's contract.
 */
import { z } from "zod";
import { defineEvent } from "../../events/contract.js";
import type { StreamDeclaration, SubgraphEvents } from "../../events/streams.js";

export const MONITORING_STREAM = "monitoring";

/** A rule raised an alert on a subject (风险预警). */
export const RiskAlertRaised = defineEvent(MONITORING_STREAM, "RiskAlertRaised", z.object({
  alertId: z.number().int(),
  /** USCC of the enterprise the alert is about. */
  subject: z.string(),
  ruleId: z.string(),
  severity: z.string(),
}));

const riskAlert: StreamDeclaration = {
  field: "riskAlert", eventTypeName: "RiskAlertEvent", events: [RiskAlertRaised],
  entity: { field: "alert", type: "RiskAlert", lookup: "riskAlert" },
  details: [
    { name: "ruleId", type: "String", of: (e) => RiskAlertRaised.parse(e).ruleId },
    { name: "severity", type: "String", of: (e) => RiskAlertRaised.parse(e).severity },
  ],
  argFilter: {
    arg: "watchlist", argType: "ID",
    // Asked as the subscriber: a watchlist that is not theirs is NOT_FOUND, not someone else's alerts.
    async build(id, ask) {
      const data = await ask("query($id: ID!) { watchlist(id: $id) { enterprises { uscc } } }", { id });
      const list = (data.watchlist as { enterprises: Array<{ uscc: string }> } | null)?.enterprises ?? [];
      const followed = new Set(list.map((x) => x.uscc));
      return (e) => followed.has(RiskAlertRaised.parse(e).subject);
    },
  },
};

export const monitoringEvents: SubgraphEvents = {
  outbox: { table: "monitoring.outbox", stream: MONITORING_STREAM },
  emits: [RiskAlertRaised],
  streams: [riskAlert],
};
