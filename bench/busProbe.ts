// The subscriptions bench's own client of the hub's bus (redis/nats): where the relay left off,
// and a probe of the commit-to-bus part of the latency, the relay's share. The in-process
// memory bus cannot be reached from here.
import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import type { Cleanup } from "./cleanup.js";
import { countAt, log } from "./figures.js";
import { Histogram } from "./histogram.js";
import { BUS_URLS } from "./subscriptionOptions.js";
import { EventSet, readEventId } from "./subscriptionProtocol.js";
import { createEventBus } from "../events/index.js";
import type { EventBus } from "../events/types.js";

export interface BusProbe {
  /** Commit to bus, ms, per measured event. */
  latency: Histogram;
  /** Measured events reaching the bus per second since `t0`: the relay's throughput. */
  perSecond: number[];
  /** Measured events published twice (a relay retry). */
  duplicates: number;
  /** Why the probe's subscription ended, if it did. */
  error: string | null;
  /** Set when the bus had relayed past this fresh database's outbox ids (see moveOutboxPastBus). */
  staleRelayPosition: { busLastOutboxId: string; databaseMaxOutboxId: string } | null;
  /** When measurement started (epoch ms); 0 before. */
  t0: number;
}

/**
 * The bus logs with the hub's logger, to stdout, which is this bench's report: silence it (its
 * loggers read LOG_LEVEL when the bus is made); the probe's own errors come through onError.
 */
async function quietBus(bus: "redis" | "nats"): Promise<EventBus> {
  const logLevel = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = "silent";
  try {
    return await createEventBus(bus === "redis" ? { redisUrl: BUS_URLS.redis } : { natsUrl: BUS_URLS.nats });
  } finally {
    if (logLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = logLevel;
  }
}

/**
 * The relay continues after the bus's last relayed outbox id, even when that came from another
 * database (an earlier run on the same stream): new rows below it would never be relayed. Moves
 * this fresh database's ids past it so the bench measures delivery.
 */
async function moveOutboxPastBus(probeBus: EventBus, db: pg.Client, bus: string, probe: BusProbe): Promise<void> {
  const last = await probeBus.lastEventOf("lists");
  const max = (await db.query<{ max: string | null }>("SELECT max(id)::text AS max FROM lists.outbox")).rows[0].max ?? "0";
  if (last?.outboxId && BigInt(last.outboxId) > BigInt(max)) {
    probe.staleRelayPosition = { busLastOutboxId: last.outboxId, databaseMaxOutboxId: max };
    log(`the ${bus} stream's last lists event is outbox id ${last.outboxId}, this fresh database's max is ${max}: the relay skips ids up to ${last.outboxId}; moving the outbox sequence past it`);
    await db.query(`SELECT setval(pg_get_serial_sequence('lists.outbox', 'id'), $1::bigint)`, [last.outboxId]);
  }
}

export async function startBusProbe(bus: "redis" | "nats", db: pg.Client, tag: string, capacity: number, cleanup: Cleanup): Promise<BusProbe> {
  const probe: BusProbe = { latency: new Histogram(), perSecond: [], duplicates: 0, error: null, staleRelayPosition: null, t0: 0 };
  const probeBus = await quietBus(bus);
  cleanup.add("close probe bus", () => probeBus.close());
  await sleep(1500); // the relay's first pass (position from the bus, demo rows)
  await moveOutboxPastBus(probeBus, db, bus, probe);
  const seen = new EventSet(capacity);
  const sub = probeBus.subscribe(await probeBus.latestSequence(), (e) => {
    const id = readEventId(tag, e.id);
    if (!id || id.warmup) return;
    if (id.index < capacity) {
      if (seen.has(id.index)) {
        probe.duplicates++;
        return;
      }
      seen.add(id.index);
    }
    const now = Date.now();
    probe.latency.record(now - Date.parse(e.occurredAt));
    if (probe.t0) countAt(probe.perSecond, Math.max(0, Math.floor((now - probe.t0) / 1000)));
  }, (err) => {
    // With an onError the bus does not log (its logger writes to stdout, which is the report).
    probe.error = `${err.name}: ${err.message}`;
    log(`probe subscription to the ${bus} bus ended: ${probe.error}`);
  });
  cleanup.add("close probe subscription", async () => sub.close());
  return probe;
}
