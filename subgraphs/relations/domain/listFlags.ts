import { followEvents } from "../../../events/follow.js";
import { EventPayloadError } from "../../../events/contract.js";
import { Backoff } from "../../../events/retry.js";
import type { EventBus } from "../../../events/types.js";
import type { GraphStore } from "../../../graph/types.js";
import type { Logger } from "../../../lib/logger.js";
import { ListEntryChanged } from "../../lists/events.js";
import { SupervisionTierChanged } from "../../ratings/events.js";
import { callSubgraph } from "../../../lib/service/subgraphClient.js";

/** List types that mark a node for related-party risk (graph/risk.ts gives their severities). */
const LIST_FLAGS = new Set(["SERIOUS_DISHONESTY", "INDUSTRY_BLACKLIST", "MARKET_BAN", "JUDGMENT_DEFAULTER", "KEY_ATTENTION", "FALSE_LITIGATION"]);
/** The flag of an enterprise whose general supervision tier is HIGH_RISK (F53: affiliates carry their tier). */
const LOW_RATING = "LOW_RATING";
const LIVE = "[RECOGNISED, PUBLISHED, UNDER_OBJECTION, RECTIFYING]";
/** Where the sync keeps how far it has written the graph (in the graph itself: the writes it vouches for live there). */
export const LIST_FLAGS_POSITION = "consumer:list-flags";

type SubjectKind = "ENTERPRISE" | "INDIVIDUAL";

export interface ListFlagSyncOptions {
  bus: EventBus;
  graph: GraphStore;
  listsUrl: () => string | undefined;
  /** The ratings subgraph, for the LOW_RATING flag; without it that flag is left as it is. */
  ratingsUrl?: () => string | undefined;
  secret: string;
  logger: Logger;
  /** How long changes are gathered before the lists subgraph is asked (one call per burst). */
  debounceMs?: number;
  /** First pause before a failed refresh is tried again, and before following the bus again after it ended the subscription; default 1 s. */
  retryMs?: number;
}

/** The enterprises whose general tier is HIGH_RISK, from the ratings subgraph (its contract); null without it. */
async function highRisk(opts: ListFlagSyncOptions, batch: Array<[string, SubjectKind]>): Promise<Set<string> | null> {
  if (!opts.ratingsUrl) return null;
  const url = opts.ratingsUrl();
  if (!url) throw new Error("the ratings subgraph is not reachable yet");
  const firms = batch.filter(([, kind]) => kind === "ENTERPRISE").map(([id]) => id);
  if (firms.length === 0) return new Set();
  const data = await callSubgraph<{ _entities: Array<{ uscc: string; supervisionTier: { tier: string } } | null> }>(url, opts.secret, "relations", ["credit:read"],
    "query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { uscc supervisionTier { tier } } } }", { r: firms.map((uscc) => ({ __typename: "Enterprise", uscc })) });
  return new Set(data._entities.filter((e) => e?.supervisionTier.tier === "HIGH_RISK").map((e) => e!.uscc));
}

/** The subjects' live list types (lists subgraph) and high-risk tier (ratings), written onto their nodes; flags of other origins stay. */
async function refresh(opts: ListFlagSyncOptions, url: string, batch: Array<[string, SubjectKind]>): Promise<void> {
  const reps = batch.map(([id, kind]) => (kind === "ENTERPRISE" ? { __typename: "Enterprise", uscc: id } : { __typename: "Individual", ref: id }));
  const [data, risky] = await Promise.all([
    callSubgraph<{ _entities: Array<{ listEntries: Array<{ listType: string }> } | null> }>(url, opts.secret, "relations", ["credit:read"],
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { listEntries(states: ${LIVE}) { listType } } ... on Individual { listEntries(states: ${LIVE}) { listType } } } }`,
      { r: reps }),
    highRisk(opts, batch),
  ]);
  const nodes = await opts.graph.getNodes(batch.map(([id]) => id));
  const updated = batch.flatMap(([id], i) => {
    const node = nodes.get(id);
    if (!node) return [];
    const listed = new Set((data._entities[i]?.listEntries ?? []).map((e) => e.listType).filter((t) => LIST_FLAGS.has(t)));
    const rated = risky === null ? node.riskFlags.filter((f) => f === LOW_RATING) : risky.has(id) ? [LOW_RATING] : [];
    const riskFlags = [...new Set([...node.riskFlags.filter((f) => !LIST_FLAGS.has(f) && f !== LOW_RATING), ...listed, ...rated])].sort();
    return riskFlags.join() === [...node.riskFlags].sort().join() ? [] : [{ ...node, riskFlags }];
  });
  if (updated.length) await opts.graph.upsertNodes(updated);
}

/**
 * Keeps the graph's risk flags equal to the subjects' live list entries and high-risk tiers, at
 * least once: each lists event, and each change of a general supervision tier, names a subject whose flags are refreshed (idempotently, from the lists
 * subgraph's current answer). A refresh that fails keeps its subjects and is tried again
 * (backing off); the position read up to is written to the graph only after the flags it
 * covers, so a restart reads again whatever was not yet written.
 */
export function startListFlagSync(opts: ListFlagSyncOptions): { started: Promise<void>; stop(): Promise<void> } {
  const pending = new Map<string, SubjectKind>();
  /** Sequence of the last event whose subject is in `pending`. */
  let pendingUpTo: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const backoff = new Backoff(opts.retryMs ?? 1000, 30_000);
  /** The refresh running now: stopping waits for it (the graph store closes next). */
  let inflight: Promise<void> | null = null;

  const schedule = (ms: number) => {
    if (stopped) return;
    timer ??= setTimeout(() => {
      timer = null;
      inflight = flush().finally(() => (inflight = null));
    }, ms);
  };

  const flush = async () => {
    if (pending.size === 0) return;
    const batch = [...pending];
    const upTo = pendingUpTo;
    pending.clear();
    pendingUpTo = null;
    try {
      const url = opts.listsUrl();
      if (!url) throw new Error("the lists subgraph is not reachable yet");
      await refresh(opts, url, batch);
      if (upTo !== null) await opts.graph.writeMeta(LIST_FLAGS_POSITION, upTo);
      backoff.reset();
    } catch (err) {
      // Kept for the next try; subjects that changed again meanwhile are already pending.
      for (const [id, kind] of batch) if (!pending.has(id)) pending.set(id, kind);
      pendingUpTo ??= upTo;
      const pause = backoff.next();
      opts.logger.warn({ err, subjects: batch.length, retryInMs: pause }, "risk flags from the lists could not be refreshed; trying again");
      schedule(pause);
    }
  };

  const sub = followEvents(opts.bus, {
    // From where the graph's flags were last written; a first start follows from now.
    from: async () => (await opts.graph.readMeta(LIST_FLAGS_POSITION)) ?? (await opts.bus.latestSequence()),
    onEvent: (e) => {
      let p: [string, SubjectKind] | null;
      try {
        const listed = ListEntryChanged.read(e);
        const tier = SupervisionTierChanged.read(e);
        p = listed ? [listed.subject, listed.subjectKind] : tier && tier.field === "" ? [tier.subject, "ENTERPRISE"] : null;
      } catch (err) {
        // Broken by its producer: no retry can mend it.
        if (err instanceof EventPayloadError) return void opts.logger.error({ err }, "an event breaks its contract; its subject's flags are left as they are");
        throw err;
      }
      if (!p) return;
      pending.set(p[0], p[1]);
      pendingUpTo = e.sequence;
      schedule(opts.debounceMs ?? 200);
    },
    onLostPosition: "oldest",
    logger: opts.logger,
    describe: "lists and ratings event subscription for risk flags",
    retryMs: opts.retryMs,
  });

  return {
    started: sub.started,
    async stop() {
      stopped = true;
      await sub.stop();
      if (timer) clearTimeout(timer);
      await inflight;
    },
  };
}
