import { followEvents } from "../../../events/follow.js";
import type { EventBus } from "../../../events/types.js";
import type { GraphStore } from "../../../graph/types.js";
import type { Logger } from "../../../lib/logger.js";
import { ListEntryChanged } from "../../lists/events.js";
import { callSubgraph } from "../../../lib/service/subgraphClient.js";

/** List types that mark a node for related-party risk (graph/risk.ts gives their severities). */
const LIST_FLAGS = new Set(["SERIOUS_DISHONESTY", "INDUSTRY_BLACKLIST", "MARKET_BAN", "JUDGMENT_DEFAULTER", "KEY_ATTENTION", "FALSE_LITIGATION"]);
const LIVE = "[RECOGNISED, PUBLISHED, UNDER_OBJECTION, RECTIFYING]";

export interface ListFlagSyncOptions {
  bus: EventBus;
  graph: GraphStore;
  listsUrl: () => string | undefined;
  secret: string;
  logger: Logger;
  /** How long changes are gathered before the lists subgraph is asked (one call per burst). */
  debounceMs?: number;
  /** Pause before following the bus again after it ended the subscription (doubles while nothing gets through); default 1 s. */
  retryMs?: number;
}

/**
 * Keeps the graph's risk flags equal to the subjects' live list entries: on each
 * lists event, asks the lists subgraph (its contract) for the subject's live
 * entries and writes their types onto the node. Flags of other origins stay.
 */
export function startListFlagSync(opts: ListFlagSyncOptions): () => Promise<void> {
  const pending = new Map<string, "ENTERPRISE" | "INDIVIDUAL">();
  let timer: NodeJS.Timeout | null = null;
  /** The refresh running now: stopping waits for it (the graph store closes next). */
  let inflight: Promise<void> | null = null;

  const flush = async () => {
    timer = null;
    const url = opts.listsUrl();
    const batch = [...pending];
    pending.clear();
    if (!url || batch.length === 0) return;
    try {
      const reps = batch.map(([id, kind]) => (kind === "ENTERPRISE" ? { __typename: "Enterprise", uscc: id } : { __typename: "Individual", ref: id }));
      const data = await callSubgraph<{ _entities: Array<{ listEntries: Array<{ listType: string }> } | null> }>(url, opts.secret, "relations", ["credit:read"],
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { listEntries(states: ${LIVE}) { listType } } ... on Individual { listEntries(states: ${LIVE}) { listType } } } }`,
        { r: reps });
      const nodes = await opts.graph.getNodes(batch.map(([id]) => id));
      const updated = batch.flatMap(([id], i) => {
        const node = nodes.get(id);
        if (!node) return [];
        const listed = new Set((data._entities[i]?.listEntries ?? []).map((e) => e.listType).filter((t) => LIST_FLAGS.has(t)));
        const riskFlags = [...new Set([...node.riskFlags.filter((f) => !LIST_FLAGS.has(f)), ...listed])].sort();
        return riskFlags.join() === [...node.riskFlags].sort().join() ? [] : [{ ...node, riskFlags }];
      });
      if (updated.length) await opts.graph.upsertNodes(updated);
    } catch (err) {
      opts.logger.warn({ err }, "risk flags from the lists could not be refreshed");
    }
  };

  // Follows the bus from now on; when the bus ends the subscription (a lost connection, a
  // gap), follows again from the last event handled after a pause, or from the oldest
  // retained event when that one cannot be resumed from (none of those was handled).
  const sub = followEvents(opts.bus, {
    from: () => opts.bus.latestSequence(),
    onEvent: (e) => {
      const p = ListEntryChanged.read(e);
      if (!p) return;
      pending.set(p.subject, p.subjectKind);
      timer ??= setTimeout(() => {
        inflight = flush().finally(() => (inflight = null));
      }, opts.debounceMs ?? 200);
    },
    onLostPosition: "oldest",
    logger: opts.logger,
    describe: "lists event subscription for risk flags",
    retryMs: opts.retryMs,
  });

  return async () => {
    sub.close();
    await sub.done;
    if (timer) clearTimeout(timer);
    await inflight;
  };
}
