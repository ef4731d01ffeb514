import type { PrismaClient } from "../../../prisma/store.js";
import { followEvents, type Follower } from "../../../events/follow.js";
import { EventPayloadError } from "../../../events/contract.js";
import type { DeliveredEvent, EventBus } from "../../../events/types.js";
import type { Logger } from "../../../lib/logger.js";
import { applicableRules, type RiskRule } from "../rules/index.js";
import { RiskAlertRaised, monitoringEvents } from "../events.js";
import { outboxWriter } from "../../../events/outboxWriter.js";
import { ListEntryChanged } from "../../lists/events.js";
import { SupervisionTierChanged } from "../../ratings/events.js";

/** What the engine asks other subgraphs (through their contracts). */
export interface Directory {
  enterprise(uscc: string): Promise<{ cityCode: string; industryCode: string; penaltyDates: string[] } | null>;
  listedCities(uscc: string): Promise<string[]>;
  affiliatedEnterprises(uscc: string, depth: number): Promise<string[]>;
}

interface Alert { rule: RiskRule; subject: string; cityCode: string; evidence: Record<string, unknown> }

const DAY = 86_400_000;
const CONSUMER = "risk-engine";

const WORSE = { LOW_RISK: 0, NORMAL: 1, HIGH_RISK: 2 } as const;

/** F56 等级下调: a subject's supervision tier moved to a worse one (an unrated subject counts as NORMAL). */
async function evaluateTierChange(rules: RiskRule[], e: DeliveredEvent, p: NonNullable<ReturnType<typeof SupervisionTierChanged.read>>, dir: Directory): Promise<Alert[]> {
  if (WORSE[p.to] <= WORSE[p.from ?? "NORMAL"]) return [];
  const info = await dir.enterprise(p.subject);
  const cityCode = info?.cityCode ?? e.city;
  return applicableRules(rules, e.occurredAt.slice(0, 10), cityCode, info?.industryCode ?? "")
    .filter((r) => r.kind === "TIER_DOWNGRADE" && (r.params.toTiers ?? ["NORMAL", "HIGH_RISK"]).includes(p.to as "HIGH_RISK"))
    .map((rule) => ({ rule, subject: p.subject, cityCode, evidence: { from: p.from ?? "NORMAL", to: p.to, field: p.field || null, changeId: p.changeId, ratingCity: e.city } }));
}

/** Evaluates the rules in force on one "entry recognised" or "tier changed" event; pure apart from the directory look-ups. */
export async function evaluate(rules: RiskRule[], e: DeliveredEvent, dir: Directory): Promise<Alert[]> {
  const tier = SupervisionTierChanged.read(e);
  if (tier) return evaluateTierChange(rules, e, tier, dir);
  const p = ListEntryChanged.read(e);
  if (!p || p.to !== "RECOGNISED" || p.subjectKind !== "ENTERPRISE") return [];
  const subject = p.subject, listType = p.listType, day = e.occurredAt.slice(0, 10);
  const info = await dir.enterprise(subject);
  const cityCode = info?.cityCode ?? e.city;
  const alerts: Alert[] = [];
  for (const rule of applicableRules(rules, day, cityCode, info?.industryCode ?? "")) {
    const listed = rule.params.listTypes?.includes(listType) ?? true;
    if (rule.kind === "NEW_LISTING" && listed) alerts.push({ rule, subject, cityCode, evidence: { listType, entryId: e.entityId, issuingCity: e.city } });
    if (rule.kind === "RELATED_PARTY_LISTED" && listed) {
      for (const other of await dir.affiliatedEnterprises(subject, rule.params.depth ?? 2)) {
        if (other !== subject) alerts.push({ rule, subject: other, cityCode, evidence: { listedParty: subject, listType, entryId: e.entityId } });
      }
    }
    if (rule.kind === "CROSS_CITY") {
      const cities = [...new Set(await dir.listedCities(subject))].sort();
      if (cities.length >= (rule.params.minCities ?? 2)) alerts.push({ rule, subject, cityCode, evidence: { cities } });
    }
    if (rule.kind === "REPEATED_PENALTIES" && info) {
      const since = new Date(Date.parse(day) - (rule.params.withinDays ?? 365) * DAY).toISOString().slice(0, 10);
      const recent = info.penaltyDates.filter((d) => d >= since && d <= day);
      if (recent.length >= (rule.params.count ?? 2)) alerts.push({ rule, subject, cityCode, evidence: { penalties: recent, listType } });
    }
  }
  return alerts;
}

const emit = outboxWriter(monitoringEvents.outbox!);

/** Writes the alerts and their outbox events in one transaction; an alert already raised for the event is skipped. */
export async function raise(prisma: PrismaClient, alerts: Alert[], sourceEventId: string): Promise<number> {
  let raised = 0;
  await prisma.$transaction(async (tx) => {
    for (const a of alerts) {
      const exists = await tx.riskAlert.findUnique({ where: { ruleId_sourceEventId_subjectId: { ruleId: a.rule.id, sourceEventId, subjectId: a.subject } } });
      if (exists) continue;
      const alert = await tx.riskAlert.create({
        data: { ruleId: a.rule.id, ruleVersion: a.rule.version, severity: a.rule.severity, subjectId: a.subject, cityCode: a.cityCode, message: a.rule.message, evidence: a.evidence as object, sourceEventId },
      });
      await emit(tx, RiskAlertRaised, alert.id, a.cityCode, { alertId: alert.id, subject: a.subject, ruleId: a.rule.id, severity: a.rule.severity });
      raised++;
    }
  });
  return raised;
}

/**
 * The rule engine: consumes the bus from where it stopped, at least once: an event is marked
 * judged (its position saved) only after its alerts are written, and raising is idempotent per
 * rule, event and subject, so an event judged twice never makes two alerts.
 *
 * When judging fails (a subgraph it asks, or the store, is unavailable) or saving the position
 * fails, the subscription ends and follows again from the last event judged after a pause (1 s,
 * doubling to 30 s while nothing gets through): that event is judged again. Only an event that
 * breaks its contract (EventPayloadError) is passed over, logged: no retry can mend it. When the
 * position cannot be resumed from (a `gap`: events after it are gone; `ahead`: the bus was
 * reset), it takes every retained event instead, none of which it has judged.
 */
export function startRiskEngine(opts: { prisma: PrismaClient; bus: EventBus; rules: RiskRule[]; directory: Directory; logger: Logger; retryMs?: number; saveEveryMs?: number }): Follower {
  const judge = async (e: DeliveredEvent) => {
    let alerts: Alert[];
    try {
      alerts = await evaluate(opts.rules, e, opts.directory);
    } catch (err) {
      if (!(err instanceof EventPayloadError)) throw err;
      return void opts.logger.error({ err, event: e.id }, "an event breaks its contract: passed over, no alert judged on it");
    }
    const n = await raise(opts.prisma, alerts, e.id);
    if (n) opts.logger.info({ alerts: n, event: e.id }, "risk alerts raised");
  };
  // The position is saved at most every `saveEveryMs` while events stream in, the last one of a
  // burst when it is over, and at stop: raising is idempotent, so events judged since the last
  // save are only judged again after a restart, and a backlog (a first start, a busy bus) is not
  // one write per event. Saves run one at a time, each writing the latest event judged.
  const every = opts.saveEveryMs ?? 250;
  let judged: string | null = null;
  let saved: string | null = null;
  let savedAt = 0;
  let timer: NodeJS.Timeout | null = null;
  let saving: Promise<void> = Promise.resolve();
  const save = () => (saving = saving.catch(() => undefined).then(async () => {
    const sequence = judged;
    if (sequence === null || sequence === saved) return;
    await opts.prisma.consumerPosition.upsert({ where: { consumer: CONSUMER }, create: { consumer: CONSUMER, sequence }, update: { sequence } });
    saved = sequence;
    savedAt = Date.now();
  }));
  const follower = followEvents(opts.bus, {
    // A first start judges events from now on, not the whole retained history.
    from: async () => (await opts.prisma.consumerPosition.findUnique({ where: { consumer: CONSUMER } }))?.sequence ?? (await opts.bus.latestSequence()),
    onEvent: async (e) => {
      await judge(e);
      judged = e.sequence;
      if (Date.now() - savedAt >= every) return save();
      // Within the interval: saved by the next event after it, or by this timer when the burst is over.
      timer ??= setTimeout(() => {
        timer = null;
        save().catch((err) => opts.logger.warn({ err }, "risk engine: its position could not be saved; saved with the next event"));
      }, every - (Date.now() - savedAt));
    },
    onLostPosition: "oldest",
    logger: opts.logger,
    describe: "risk engine's event subscription",
    retryMs: opts.retryMs,
  });
  return {
    started: follower.started,
    done: follower.done,
    close: () => follower.close(),
    // Stopping waits for the event being judged, then saves how far it got: the store closes next.
    async stop() {
      await follower.stop();
      if (timer) clearTimeout(timer);
      await save().catch((err) => opts.logger.warn({ err }, "risk engine: the last position could not be saved; those events are judged again at the next start"));
    },
  };
}
